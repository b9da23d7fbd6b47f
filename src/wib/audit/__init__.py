"""The append-only, hash-chained audit trail: who did or saw what, for whom, and when."""

from typing import Any

# Re-exported lazily so `from wib.audit import record_event` works without importing models
# while the app registry is still loading.
_EXPORTS = {
    "record_event": "wib.audit.services",
    "verify_chain": "wib.audit.verification",
    "ChainVerification": "wib.audit.verification",
    "views_of": "wib.audit.selectors",
    "records_for_target": "wib.audit.selectors",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
