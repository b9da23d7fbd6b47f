"""Uploaded documents: checking what arrives, storing it under a random name, serving it back.

The public API is importable from here (`from wib.documents import store_upload`) as well as
from `wib.documents.services`; the names resolve lazily so that importing the package does
not need the app registry.
"""

from typing import Any

__all__ = [
    "DocumentRejected",
    "StoredDocument",
    "document_response",
    "open_document",
    "store_upload",
    "verify_document",
]


def __getattr__(name: str) -> Any:
    if name == "StoredDocument":
        from wib.documents.models import StoredDocument

        return StoredDocument
    if name in __all__:
        from wib.documents import services

        return getattr(services, name)
    raise AttributeError(name)
