"""Storing an upload after checking its content, and handing stored documents back out."""

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from wib.documents.limits import megabytes, upload_limit_bytes
from wib.documents.models import EXTENSIONS, JPEG, PDF, PNG, StoredDocument

TOO_LARGE = "too_large"
TYPE_NOT_ALLOWED = "type_not_allowed"
EMPTY = "empty"

_MESSAGES = {
    EMPTY: _("The file is empty. Choose the file that contains the document."),
    TOO_LARGE: _(
        "The file is larger than %(limit)s MB. Make it smaller, for example by scanning at a "
        "lower resolution, and upload it again."
    ),
    TYPE_NOT_ALLOWED: _(
        "The file must be a PDF, PNG or JPEG document. Other types of file are not accepted."
    ),
}

# Magic numbers: the content decides the type, never the file name or the browser's claim.
_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_HEAD_BYTES = 8
# Readers accept trailing bytes after the end-of-file marker; Acrobat looks in the last 1024.
_PDF_TAIL_BYTES = 1024
_UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\"]")


class DocumentRejected(ValidationError):
    """An upload that is not stored; `code` is "empty", "too_large" or "type_not_allowed".

    Keeps ValidationError's constructor (Django copies these); build one with `of()`.
    """

    @classmethod
    def of(cls, code: str, **params: Any) -> "DocumentRejected":
        return cls(_MESSAGES[code], code=code, params=params or None)


def detect_content_type(head: bytes, tail: bytes) -> str:
    """The allowed type the content is, from its first and last bytes; raise if none."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            if content_type == PDF and b"%%EOF" not in tail:
                # A PDF without its end marker is truncated or not a PDF at all.
                break
            return content_type
    raise DocumentRejected.of(TYPE_NOT_ALLOWED)


def clean_original_name(name: str | None) -> str:
    """The file's own name, without any folder and control characters, kept for display only."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("", unicodedata.normalize("NFC", base)).strip()
    if len(base) > 255:
        stem, extension = os.path.splitext(base)
        base = stem[: 255 - len(extension[:20])] + extension[:20]
    return base or "document"


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def check_upload(uploaded_file: Any, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check an upload's size and content without storing it; raise DocumentRejected.

    The size the upload declares is checked first, then the bytes are counted while they
    are hashed, so an over-size file is never read further than the limit. Forms call this
    to show the error next to the field; store_upload calls it again before storing.
    """
    limit = upload_limit_bytes() if max_bytes is None else max_bytes
    too_large = DocumentRejected.of(TOO_LARGE, limit=megabytes(limit))
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size == 0:
        raise DocumentRejected.of(EMPTY)
    if declared_size is not None and declared_size > limit:
        raise too_large

    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            raise too_large
        digest.update(chunk)
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
        tail = (tail + chunk[-_PDF_TAIL_BYTES:])[-_PDF_TAIL_BYTES:]
    if size == 0:
        raise DocumentRejected.of(EMPTY)
    content_type = detect_content_type(head, tail)
    uploaded_file.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest())


def store_upload(
    *, uploaded_file: Any, uploaded_by: Any, max_bytes: int | None = None
) -> StoredDocument:
    """Check an uploaded file and store it under a random name; raise DocumentRejected.

    One transaction; the caller links the document to its file and records the audit event.
    """
    checked = check_upload(uploaded_file, max_bytes=max_bytes)
    document = StoredDocument(
        original_name=clean_original_name(getattr(uploaded_file, "name", None)),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
    )
    with transaction.atomic():
        document.file.save("upload", uploaded_file, save=False)
        try:
            document.save(force_insert=True)
        except BaseException:
            # The row did not make it: do not leave an orphan file behind in the storage.
            document.file.delete(save=False)
            raise
    return document


def open_document(document: StoredDocument) -> File:
    """The stored bytes, opened for reading; the caller closes it (FileResponse does)."""
    return document.file.storage.open(str(document.file.name), "rb")


def verify_document(document: StoredDocument) -> bool:
    """Whether the stored bytes still have the recorded size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with open_document(document) as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
            size += len(chunk)
    return size == document.size and digest.hexdigest() == document.sha256


def download_name(document: StoredDocument) -> str:
    """The original name, with the extension of the checked type when it had another one."""
    extension = EXTENSIONS[document.content_type]
    current = os.path.splitext(document.original_name)[1]
    allowed = {extension, ".jpeg"} if document.content_type == JPEG else {extension}
    if current.lower() in allowed:
        return document.original_name
    return f"{document.original_name}{extension}"


def document_response(document: StoredDocument) -> FileResponse:
    """Serve a document as a download with its checked type; never rendered inline.

    Permission to see the document is the caller's business (a selector scoped to the actor).
    """
    response = FileResponse(
        open_document(document),
        as_attachment=True,
        filename=download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# The browser's own PDF and image viewers work in a sandbox without scripts; the document may
# not load anything but its own inline styles and embedded images.
INLINE_CONTENT_SECURITY_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
)


def document_inline_response(document: StoredDocument) -> FileResponse:
    """Serve a document to be viewed in the browser, with its checked type and no scripts.

    Only the three checked types exist in storage, so the browser renders a PDF, PNG or JPEG
    and nothing else; nosniff and the sandboxing policy keep it from becoming an active page.
    Permission to see the document is the caller's business, as for `document_response`.
    """
    response = FileResponse(
        open_document(document),
        as_attachment=False,
        filename=download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
