"""The form field for a document upload: checks the file where the user chose it."""

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext

from wib.documents.limits import megabytes, upload_limit_bytes
from wib.documents.services import check_upload

# Helps the browser's file picker; the server never relies on it.
ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def limit_text(max_bytes: int | None = None) -> str:
    """The hint telling people what they may upload, before they try."""
    limit = upload_limit_bytes() if max_bytes is None else max_bytes
    return gettext("PDF, PNG or JPEG, at most %(limit)s MB.") % {"limit": megabytes(limit)}


class DocumentField(forms.FileField):
    """A file input accepting PDF, PNG or JPEG up to the upload limit.

    clean() returns the uploaded file once check_upload has passed, so the error ("empty",
    "too_large", "type_not_allowed") is shown on the field; the view's service then stores it
    with store_upload. The default help text states the types and the limit.
    """

    def __init__(self, *, max_bytes: int | None = None, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        # Lazy: the limit and the language are those of the request, not of import time.
        kwargs.setdefault("help_text", lazy(limit_text, str)(max_bytes))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if uploaded and uploaded is not initial:
            check_upload(uploaded, max_bytes=self.max_bytes)
        return uploaded
