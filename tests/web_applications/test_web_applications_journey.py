"""From "what do you want to do?" to the submitted application, through the pages only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import PDF_BYTES, section_payloads

from wib.files.models import File, FileEvent
from wib.procedures.registry import get_procedure

pytestmark = pytest.mark.django_db


def url(name: str, file: File | None = None, **kwargs) -> str:
    if file is not None:
        kwargs["public_id"] = file.public_id
    return reverse(f"web:applications:{name}", kwargs=kwargs or None)


def start(client, procedure: str = "single-permit") -> File:
    response = client.post(url("new"), {"procedure": procedure})
    assert response.status_code == 302, response.content
    file = File.objects.latest("created_at")
    assert response["Location"] == url("tasks", file)
    return file


def save(client, file: File, section: str, data: dict, **extra):
    file.refresh_from_db()
    return client.post(
        url("section", file, section=section), {**data, "version": file.version, **extra}
    )


def employer_data(employer) -> dict:
    return {
        "enterprise_number": str(employer.enterprise),
        "establishment": employer.unit.number,
    }


def fill_everything(client, file: File, employer) -> None:
    payloads = section_payloads(file.procedure_code)
    assert save(client, file, "employer", employer_data(employer)).status_code == 302
    for section in ("worker", "employment", "stay"):
        response = save(client, file, section, payloads[section])
        assert response.status_code == 302, response.context["form"].errors
    file.refresh_from_db()
    for requirement in get_procedure(file.procedure_code).required_documents(
        authority_code=file.authority.code, category=file.category
    ):
        response = client.post(
            url("documents", file),
            {
                "kind": requirement.kind,
                f"{requirement.kind}-document": SimpleUploadedFile(
                    f"{requirement.kind}.pdf", PDF_BYTES, content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 302, requirement.kind


@pytest.mark.parametrize(
    ("place", "authority_name"),
    [("linkebeek", "Flemish Region"), ("waterloo", "Walloon Region")],
)
def test_an_employer_applies_for_a_single_permit_from_start_to_submission(
    new_employer, sign_in, place, authority_name
):
    employer = new_employer(place)
    client = sign_in(employer)

    page = client.get(url("new"))
    assert page.status_code == 200
    assert "more than 90 days" in page.content.decode()
    # The permit of indefinite duration is the worker's own procedure.
    assert "single-permit-indefinite" not in page.content.decode()

    file = start(client)
    tasks = client.get(url("tasks", file)).content.decode()
    assert "Not yet started" in tasks
    assert "Cannot start yet" in tasks  # documents and submission wait for the place

    form_page = client.get(url("section", file, section="employer")).content.decode()
    # The register's establishment unit is offered, with its address; the number is pre-filled.
    assert employer.unit.number in form_page
    assert "Stationsstraat 12" in form_page
    assert str(employer.enterprise) in form_page

    fill_everything(client, file, employer)
    file.refresh_from_db()
    assert file.authority.code == employer.authority
    assert file.section_data("employer")["establishment_number"] == employer.unit.number
    assert file.authority_explanation

    tasks = client.get(url("tasks", file)).content.decode()
    assert "Not yet started" in tasks  # only the check-and-submit task is left
    assert tasks.count("Completed") == 5

    check = client.get(url("check", file))
    assert check.status_code == 200
    assert "Asha" in check.content.decode()
    assert check.context["problems"] == []

    response = client.post(url("check", file), {"declaration": "on", "version": file.version})
    assert response.status_code == 302
    assert response["Location"] == url("submitted", file)
    file.refresh_from_db()
    assert file.state == "submitted"

    confirmation = client.get(url("submitted", file)).content.decode()
    assert file.reference in confirmation
    assert authority_name in confirmation
    assert file.authority_explanation in confirmation

    receipt = client.get(url("receipt", file))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt["Content-Disposition"].startswith("attachment")
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")

    # Still there later, from the file's own page.
    detail = client.get(url("detail", file)).content.decode()
    assert url("receipt", file) in detail
    assert "Submitted" in detail


def test_the_declaration_must_be_confirmed(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = start(client)
    fill_everything(client, file, linkebeek)
    file.refresh_from_db()
    response = client.post(url("check", file), {"version": file.version})
    assert response.status_code == 200
    assert response.context["form"].has_error("declaration")
    file.refresh_from_db()
    assert file.state == "draft"


def test_submitting_twice_creates_one_submission(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = start(client)
    fill_everything(client, file, linkebeek)
    file.refresh_from_db()
    form = {"declaration": "on", "version": file.version}
    first = client.post(url("check", file), form)
    second = client.post(url("check", file), form)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url("submitted", file)
    assert FileEvent.objects.filter(file=file, action="submit").count() == 1
    file.refresh_from_db()
    assert file.state == "submitted"


def test_an_incomplete_application_lists_what_is_missing(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = start(client)
    response = client.post(url("check", file), {"declaration": "on", "version": file.version})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("The worker" in error for error in errors)
    file.refresh_from_db()
    assert file.state == "draft"


def test_save_and_come_back_later_returns_to_the_task_list(linkebeek, sign_in):
    client = sign_in(linkebeek)
    file = start(client)
    response = save(client, file, "worker", section_payloads("single-permit")["worker"], later="1")
    assert response["Location"] == url("tasks", file)
    page = client.get(url("section", file, section="worker")).content.decode()
    assert 'value="Asha"' in page  # resumed with what was saved


def test_a_mandatary_chooses_the_employer_and_may_apply_for_a_worker(db, client):
    from factories import EnterpriseFactory, mandatary_user

    from wib.accounts.testing import act_for

    employer = EnterpriseFactory()
    user, mandatary = mandatary_user(employer)
    client.force_login(user)
    act_for(client, mandatary)
    page = client.get(url("new")).content.decode()
    assert str(employer) in page
    assert "single-permit-indefinite" in page
    response = client.post(url("new"), {"employer": employer.number, "procedure": "single-permit"})
    assert response.status_code == 302
    file = File.objects.latest("created_at")
    assert file.employer == employer
    assert file.mandatary == mandatary


def test_a_worker_sees_only_the_permit_of_indefinite_duration(db, client):
    from factories import WorkerUserFactory

    worker = WorkerUserFactory()
    client.force_login(worker)
    page = client.get(url("new"))
    choices = [code for code, _label in page.context["form"].fields["procedure"].choices]
    assert choices == ["single-permit-indefinite"]
    response = client.post(url("new"), {"procedure": "single-permit-indefinite"})
    assert response.status_code == 302
    file = File.objects.latest("created_at")
    assert file.worker_user == worker
    assert file.employer is None


def test_an_employer_cannot_start_the_workers_own_procedure(linkebeek, sign_in):
    client = sign_in(linkebeek)
    response = client.post(url("new"), {"procedure": "single-permit-indefinite"})
    assert response.status_code == 200
    assert response.context["form"].has_error("procedure")
    assert not File.objects.exists()
