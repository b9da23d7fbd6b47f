"""Every wrong answer gets its own message next to its field, and nothing is half-saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import PDF_BYTES, section_payloads

from wib.files import services
from wib.files.models import File, FileDocument

pytestmark = pytest.mark.django_db


def url(name: str, file: File, **kwargs) -> str:
    return reverse(f"web:applications:{name}", kwargs={"public_id": file.public_id, **kwargs})


@pytest.fixture
def draft(linkebeek, sign_in):
    client = sign_in(linkebeek)
    client.post(reverse("web:applications:new"), {"procedure": "single-permit"})
    return client, File.objects.get(), linkebeek


def post_section(client, file, section, data, version=None):
    file.refresh_from_db()
    return client.post(
        url("section", file, section=section),
        {**data, "version": file.version if version is None else version},
    )


def test_a_wrong_enterprise_number_is_refused_on_its_field(draft):
    client, file, employer = draft
    response = post_section(
        client,
        file,
        "employer",
        {"enterprise_number": "0123.456.789", "establishment": employer.unit.number},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("enterprise_number", "wrong_check_digits")
    html = response.content.decode()
    assert 'href="#id_enterprise_number"' in html  # the error summary links to the field
    file.refresh_from_db()
    assert file.sections == {} and file.authority is None


def test_another_valid_enterprise_number_is_refused(draft):
    client, file, employer = draft
    response = post_section(
        client,
        file,
        "employer",
        {"enterprise_number": "0203.201.340", "establishment": employer.unit.number},
    )
    assert response.context["form"].has_error("enterprise_number", "employer_not_allowed")


def test_an_unknown_postcode_is_refused_with_the_resolvers_message(draft):
    client, file, employer = draft
    response = post_section(
        client,
        file,
        "employer",
        {
            "enterprise_number": str(employer.enterprise),
            "establishment": "other",
            "postcode": "9999",
            "street": "Nergensstraat 1",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["postcode"]
    assert any("9999" in error for error in errors)
    file.refresh_from_db()
    assert file.authority is None and "employer" not in file.sections


def test_a_manual_address_is_resolved_and_explained(draft):
    client, file, employer = draft
    response = post_section(
        client,
        file,
        "employer",
        {
            "enterprise_number": str(employer.enterprise),
            "establishment": "other",
            "postcode": "1410",
            "street": "Chaussée de Bruxelles 1",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.authority.code == "wallonia"
    page = client.get(url("section", file, section="employer")).content.decode()
    assert "Walloon Region" in page
    assert file.authority_explanation in page


def test_a_postcode_covering_two_municipalities_offers_the_choice(draft):
    client, file, employer = draft
    response = post_section(
        client,
        file,
        "employer",
        {
            "enterprise_number": str(employer.enterprise),
            "establishment": "other",
            "postcode": "1040",
        },
    )
    assert response.status_code == 302
    page = client.get(url("section", file, section="employer")).content.decode()
    assert "Etterbeek" in page and 'value="21005"' in page


def test_a_salary_that_is_not_a_number_is_refused(draft):
    client, file, _employer = draft
    data = {**section_payloads("single-permit")["employment"], "gross_salary": "a lot"}
    response = post_section(client, file, "employment", data)
    assert response.status_code == 200
    assert response.context["form"].has_error("gross_salary", "invalid")
    assert 'value="Engineer"' in response.content.decode()  # the rest of the input is kept
    file.refresh_from_db()
    assert "employment" not in file.sections


def test_a_date_of_birth_in_the_future_is_refused(draft):
    client, file, _employer = draft
    data = {**section_payloads("single-permit")["worker"], "birth_date": "2999-01-01"}
    response = post_section(client, file, "worker", data)
    assert response.context["form"].has_error("birth_date", "birth_date_future")


def test_a_stale_form_keeps_the_input_and_says_what_happened(draft):
    client, file, employer = draft
    stale_version = file.version
    # Meanwhile a colleague saves another section of the same draft.
    services.save_section(
        file=file,
        section="worker",
        data=section_payloads("single-permit")["worker"],
        actor=employer.user,
        expected_version=file.version,
    )
    data = {**section_payloads("single-permit")["employment"], "job_title": "Welder"}
    response = post_section(client, file, "employment", data, version=stale_version)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this application" in html
    assert 'value="Welder"' in html
    file.refresh_from_db()
    assert "employment" not in file.sections
    # The form now carries the current version: saving again is a deliberate choice.
    assert f'name="version" value="{file.version}"' in html
    again = post_section(client, file, "employment", data)
    assert again.status_code == 302


def upload(client, file, kind, name, content):
    return client.post(
        url("documents", file),
        {"kind": kind, f"{kind}-document": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def placed(draft):
    client, file, employer = draft
    post_section(
        client,
        file,
        "employer",
        {"enterprise_number": str(employer.enterprise), "establishment": employer.unit.number},
    )
    file.refresh_from_db()
    return client, file, employer


def test_an_upload_over_the_limit_is_refused_next_to_its_field(placed, settings):
    client, file, _employer = placed
    eleven_megabytes = PDF_BYTES[:-6] + b"\0" * (11 * 1024 * 1024) + b"%%EOF\n"
    response = upload(client, file, "passport", "passport.pdf", eleven_megabytes)
    assert response.status_code == 400
    slot = next(slot for slot in response.context["slots"] if slot.kind == "passport")
    assert slot.form.has_error("document", "too_large")
    assert "larger than 10 MB" in response.content.decode()
    assert not FileDocument.objects.exists()


def test_a_program_renamed_to_pdf_is_refused(placed):
    client, file, _employer = placed
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200
    response = upload(client, file, "passport", "passport.pdf", program)
    assert response.status_code == 400
    slot = next(slot for slot in response.context["slots"] if slot.kind == "passport")
    assert slot.form.has_error("document", "type_not_allowed")
    assert 'href="#id_passport-document"' in response.content.decode()
    assert not FileDocument.objects.exists()


def test_uploaded_documents_are_listed_with_size_and_hash_and_can_be_removed(placed):
    import hashlib

    client, file, _employer = placed
    assert upload(client, file, "passport", "passport.pdf", PDF_BYTES).status_code == 302
    page = client.get(url("documents", file)).content.decode()
    assert "passport.pdf" in page
    assert hashlib.sha256(PDF_BYTES).hexdigest() in page
    assert 'accept=".pdf,.png,.jpg,.jpeg"' in page
    document = FileDocument.objects.get()
    response = client.post(url("remove-document", file, document_id=document.stored_document_id))
    assert response.status_code == 302
    assert not FileDocument.objects.exists()


def test_documents_wait_for_the_place_of_employment(draft):
    client, file, _employer = draft
    page = client.get(url("documents", file)).content.decode()
    assert "Complete the place of employment first" in page
