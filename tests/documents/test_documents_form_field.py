"""The upload form field shows the limit up front and the content check on the field."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from wib.documents.forms import DocumentField


class PassportForm(forms.Form):
    passport = DocumentField(label="Passport")


def test_the_field_accepts_a_real_pdf():
    pdf = SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")
    form = PassportForm(data={}, files={"passport": pdf})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["passport"] is pdf


def test_the_field_shows_the_content_error_on_the_field():
    with translation.override("en"):
        exe = SimpleUploadedFile("p.pdf", b"MZ\x90\x00" + bytes(100))
        form = PassportForm(data={}, files={"passport": exe})
        assert not form.is_valid()
        assert form.errors.as_data()["passport"][0].code == "type_not_allowed"
        assert "PDF, PNG or JPEG" in form.errors["passport"][0]


def test_the_hint_states_the_limit_in_the_active_language(settings):
    settings.WIB_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    with translation.override("en"):
        assert str(PassportForm()["passport"].help_text) == "PDF, PNG or JPEG, at most 5 MB."
    with translation.override("fr"):
        assert "5 Mo" in str(PassportForm()["passport"].help_text)
    html = str(PassportForm()["passport"])
    assert 'accept=".pdf,.png,.jpg,.jpeg,' in html
