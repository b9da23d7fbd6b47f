"""The single permit end to end through the real pages (Django's test client): the employer's
application pages, the Flemish and Immigration Office back office, and the employer's eBox page.
The eBox is the simulator on the live server, reached over HTTP by the worker's task function."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from factories import employer_user, mandatary_user, official, pdf_upload, section_payloads
from journey_helpers import JOURNEY_MESSAGES, ebox_messages, employer_at, message_types, run_worker

from wib.accounts.testing import act_for, login_with_second_factor
from wib.files.models import File, FileEvent
from wib.procedures.registry import get_procedure

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def hidden_version(html: str, name: str = "version") -> str:
    match = re.search(rf'name="{re.escape(name)}" value="(\d+)"', html)
    assert match, f"no {name} field on the page"
    return match.group(1)


def page(client: Client, url: str, *, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def post(client: Client, url: str, data: dict, *, expect_redirect: bool = True):
    response = client.post(url, data)
    if expect_redirect:
        assert response.status_code == 302, (url, response.status_code, _errors(response))
    return response


def _errors(response) -> str:
    found = re.findall(r'class="[^"]*error-message[^"]*"[^>]*>(.*?)<', response.content.decode())
    return " | ".join(found) or response.content.decode()[:2000]


def apply_through_the_pages(client: Client, *, employer, unit, procedure_code: str) -> File:
    """New application, every section, every document, the check page and the declaration."""
    response = post(
        client,
        reverse("web:applications:new"),
        {"employer": employer.number, "procedure": procedure_code},
    )
    file = File.objects.get(public_id=re.search(r"files/([0-9a-f-]{36})/", response.url).group(1))
    payloads = section_payloads(procedure_code)
    payloads["employer"] = {"enterprise_number": employer.number, "establishment": unit.number}
    for section in get_procedure(procedure_code).section_codes():
        url = reverse(
            "web:applications:section", kwargs={"public_id": file.public_id, "section": section}
        )
        version = hidden_version(page(client, url))
        post(client, url, {**payloads[section], "version": version})
    file.refresh_from_db()
    assert file.authority.code == unit.authority_code
    documents = reverse("web:applications:documents", kwargs={"public_id": file.public_id})
    page(client, documents)
    procedure = get_procedure(procedure_code)
    for requirement in procedure.required_documents(
        authority_code=file.authority.code, category=file.category
    ):
        kind = requirement.kind
        post(client, documents, {"kind": kind, f"{kind}-document": pdf_upload(f"{kind}.pdf")})
    check = reverse("web:applications:check", kwargs={"public_id": file.public_id})
    version = hidden_version(page(client, check))
    post(client, check, {"declaration": "on", "version": version})
    file.refresh_from_db()
    assert file.state == "submitted"
    return file


def official_acts(client: Client, file: File, action: str, **fields: str) -> None:
    url = reverse("backoffice:file", kwargs={"public_id": file.public_id})
    html = page(client, url)
    version = hidden_version(html, f"{action}-version")
    data = {f"{action}-version": version, **{f"{action}-{k}": v for k, v in fields.items()}}
    response = post(
        client,
        reverse("backoffice:action", kwargs={"public_id": file.public_id, "action": action}),
        data,
    )
    assert response.url == url


def in_queue(client: Client, file: File) -> bool:
    return file.reference in page(client, reverse("backoffice:queue"))


def applicant_client(user, enterprise) -> Client:
    client = Client()
    client.force_login(user)
    act_for(client, enterprise)
    return client


def official_client(authority_code: str) -> Client:
    client = Client()
    login_with_second_factor(client, official(authority_code))
    return client


def single_permit_through_the_pages(applicant: Client, employer, unit) -> File:
    flemish, immigration = official_client("flanders"), official_client("immigration-office")
    file = apply_through_the_pages(
        applicant, employer=employer, unit=unit, procedure_code="single-permit"
    )
    run_worker()
    assert in_queue(flemish, file)
    assert not in_queue(immigration, file)

    official_acts(
        flemish,
        file,
        "request_information",
        message="Add the diploma, please.",
        due_on="2026-03-17",
    )
    detail = reverse("web:applications:detail", kwargs={"public_id": file.public_id})
    html = page(applicant, detail)
    assert "Add the diploma, please." in html
    post(
        applicant,
        reverse("web:applications:answer", kwargs={"public_id": file.public_id}),
        {
            "version": hidden_version(html),
            "answer": "The diploma is attached.",
            "kind": "diploma",
            "documents": pdf_upload("diploma.pdf"),
        },
    )
    file.refresh_from_db()
    assert file.state == "submitted"

    official_acts(flemish, file, "declare_admissible")
    official_acts(flemish, file, "approve_work", motivation="The conditions are met.")
    file.refresh_from_db()
    # Nobody forwarded it: the approval put it in the Immigration Office's queue.
    assert file.state == "residence_review"
    assert in_queue(immigration, file)
    assert not in_queue(flemish, file)

    official_acts(immigration, file, "grant_residence")
    file.refresh_from_db()
    assert file.state == "granted"
    run_worker()
    return file


def test_the_single_permit_through_the_pages_ends_in_the_employers_ebox(simulators):
    employer, unit = employer_at("flanders")
    applicant = applicant_client(employer_user(employer), employer)

    with time_machine.travel(START, tick=False):
        file = single_permit_through_the_pages(applicant, employer, unit)

    html = page(applicant, reverse("web:applications:detail", kwargs={"public_id": file.public_id}))
    assert file.reference in html
    # The employer's eBox page shows what the simulator received, with the letters to download.
    ebox_page = page(applicant, reverse("web:applications:ebox"))
    assert ebox_page.count(file.reference) >= len(JOURNEY_MESSAGES)
    letters = re.findall(r'href="([^"]*/ebox/[^"]*/attachments/[^"]*)"', ebox_page)
    assert len(letters) == 3  # the receipt, the work decision and the final decision
    for href in letters:
        download = applicant.get(href)
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    received = ebox_messages(simulators, ebox_id=employer.number)
    assert message_types(received) == Counter(JOURNEY_MESSAGES)


def test_a_mandatary_through_the_pages_is_recorded_and_the_employer_gets_the_decisions(
    simulators,
):
    employer, unit = employer_at("flanders")
    user, mandatary = mandatary_user(employer)
    applicant = applicant_client(user, employer)

    with time_machine.travel(START, tick=False):
        file = single_permit_through_the_pages(applicant, employer, unit)

    assert (file.employer, file.mandatary, file.submitted_by) == (employer, mandatary, user)
    submitted = FileEvent.objects.get(file=file, action="submit")
    assert (submitted.capacity, submitted.capacity_detail) == ("mandatary", mandatary.number)
    for ebox_id in (employer.number, mandatary.number):
        assert message_types(ebox_messages(simulators, ebox_id=ebox_id)) == Counter(
            JOURNEY_MESSAGES
        )
    # The mandatary's eBox page shows the mandatary's own box, never the employer's.
    ebox_page = page(applicant, reverse("web:applications:ebox"))
    assert mandatary.number in ebox_page.replace(".", "") or str(mandatary) in ebox_page
