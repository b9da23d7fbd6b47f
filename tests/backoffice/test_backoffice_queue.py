"""The officials' queue: who may open it, which files it holds, its filters, order and pages."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from factories import EnterpriseFactory, FileFactory, employer_user, official

from wib.backoffice import views
from wib.core.identifiers import make_insz
from wib.geography.models import Authority

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


def references(response) -> list[str]:
    return [row.file.reference for row in response.context["rows"]]


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def test_the_queue_needs_an_official_who_passed_the_second_factor():
    url = reverse("backoffice:queue")
    assert Client().get(url)["Location"].startswith(reverse("accounts:login"))

    unverified = Client()
    unverified.force_login(official("flanders"))
    assert unverified.get(url)["Location"].startswith(reverse("accounts:otp-enrol"))

    employer = Client()
    employer.force_login(employer_user(EnterpriseFactory()))
    assert employer.get(url).status_code == 403


def test_a_region_sees_its_own_submitted_files_only(official_client):
    client, _user = official_client("flanders")
    mine = FileFactory(state="submitted")
    FileFactory(state="draft")
    FileFactory(state="submitted", authority=authority("brussels"))

    response = client.get(reverse("backoffice:queue"))

    assert response.status_code == 200
    assert references(response) == [mine.reference]
    assert "Files of" in response.content.decode()


def test_the_immigration_office_sees_only_forwarded_files(official_client):
    client, _user = official_client("immigration-office")
    FileFactory(state="admissible")
    forwarded = FileFactory(state="residence_review", authority=authority("wallonia"))

    assert references(client.get(reverse("backoffice:queue"))) == [forwarded.reference]


def test_a_file_approved_by_the_region_leaves_its_queue(official_client):
    client, _user = official_client("flanders")
    waiting = FileFactory(state="admissible")
    FileFactory(state="residence_review")

    assert references(client.get(reverse("backoffice:queue"))) == [waiting.reference]


def test_rows_show_procedure_employer_worker_status_and_deadline(official_client):
    client, _user = official_client("flanders")
    with time_machine.travel(TODAY, tick=False):
        FileFactory(
            state="admissible",
            worker_name="Ravi Kumar",
            decision_due_on=datetime.date(2026, 5, 30),
        )
        page = client.get(reverse("backoffice:queue")).content.decode()

    assert "Single permit" in page
    assert "Ravi Kumar" in page
    assert "Admissible" in page
    assert 'datetime="2026-05-30"' in page
    assert "Overdue" in page


def test_search_by_reference_worker_name_or_insz(official_client):
    client, _user = official_client("flanders")
    insz = make_insz(datetime.date(1990, 5, 17), 33)
    asha = FileFactory(state="submitted", worker_name="Asha Rao")
    ravi = FileFactory(state="submitted", worker_name="Ravi Kumar", worker_insz=insz)
    url = reverse("backoffice:queue")

    assert references(client.get(url, {"q": "asha"})) == [asha.reference]
    assert references(client.get(url, {"q": ravi.reference})) == [ravi.reference]
    formatted = f"{insz[:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:]}"
    assert references(client.get(url, {"q": formatted})) == [ravi.reference]


@time_machine.travel(TODAY, tick=False)
def test_filters_by_status_procedure_category_due_date_and_overdue(official_client):
    client, _user = official_client("flanders")
    late = FileFactory(
        state="admissible", category="researcher", decision_due_on=datetime.date(2026, 5, 1)
    )
    soon = FileFactory(state="submitted", decision_due_on=datetime.date(2026, 6, 10))
    later = FileFactory(
        state="submitted",
        procedure_code="short-stay-work-authorisation",
        decision_due_on=datetime.date(2026, 8, 1),
    )
    waiting = FileFactory(
        state="information_requested", information_due_on=datetime.date(2026, 6, 20)
    )
    url = reverse("backoffice:queue")

    assert set(references(client.get(url, {"state": "submitted"}))) == {
        soon.reference,
        later.reference,
    }
    assert references(client.get(url, {"procedure": "short-stay-work-authorisation"})) == [
        later.reference
    ]
    assert references(client.get(url, {"category": "researcher"})) == [late.reference]
    assert set(references(client.get(url, {"due_before": "2026-06-20"}))) == {
        late.reference,
        soon.reference,
        waiting.reference,
    }
    assert references(client.get(url, {"overdue": "on"})) == [late.reference]
    # An invalid filter value is ignored, not an error page.
    response = client.get(url, {"due_before": "someday", "state": "nonsense"})
    assert response.status_code == 200
    assert len(references(response)) == 4


def test_sorting_by_due_date_submission_and_reference(official_client):
    client, _user = official_client("flanders")
    base = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)
    first = FileFactory(
        state="submitted",
        reference="WIB-2026-CCCC-0001",
        decision_due_on=datetime.date(2026, 7, 1),
        submitted_at=base,
    )
    second = FileFactory(
        state="submitted",
        reference="WIB-2026-AAAA-0001",
        decision_due_on=datetime.date(2026, 9, 1),
        submitted_at=base + datetime.timedelta(days=2),
    )
    third = FileFactory(
        state="submitted",
        reference="WIB-2026-BBBB-0001",
        decision_due_on=datetime.date(2026, 8, 1),
        submitted_at=base + datetime.timedelta(days=1),
    )
    url = reverse("backoffice:queue")

    assert references(client.get(url)) == [first.reference, third.reference, second.reference]
    assert references(client.get(url, {"sort": "-due"}))[0] == second.reference
    assert references(client.get(url, {"sort": "-submitted"})) == [
        second.reference,
        third.reference,
        first.reference,
    ]
    assert references(client.get(url, {"sort": "reference"})) == [
        second.reference,
        third.reference,
        first.reference,
    ]


def test_paging_keeps_the_filters(official_client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client, _user = official_client("flanders")
    for day in range(1, 6):
        FileFactory(state="submitted", decision_due_on=datetime.date(2026, 7, day))
    FileFactory(state="admissible")
    url = reverse("backoffice:queue")

    first = client.get(url, {"state": "submitted"})
    assert len(references(first)) == 2
    page = first.content.decode()
    assert "Page 1 of 3" in page
    assert "state=submitted&amp;page=2" in page
    last = client.get(url, {"state": "submitted", "page": "3"})
    assert len(references(last)) == 1
    assert client.get(url, {"state": "submitted", "page": "99"}).context["page"].number == 3


@time_machine.travel(TODAY, tick=False)
def test_a_supervisor_sees_open_and_overdue_counts_per_status(official_client):
    supervisor, _user = official_client("flanders", role="supervisor")
    plain, _other = official_client("flanders")
    FileFactory(state="submitted", decision_due_on=datetime.date(2026, 5, 1))
    FileFactory(state="submitted", decision_due_on=datetime.date(2026, 7, 1))
    FileFactory(state="admissible", decision_due_on=datetime.date(2026, 7, 1))
    FileFactory(state="inadmissible", closed_at=TODAY)
    FileFactory(state="submitted", authority=authority("brussels"))

    dashboard = {
        item.state: (item.open, item.overdue)
        for item in supervisor.get(reverse("backoffice:queue")).context["dashboard"]
    }

    assert dashboard == {"submitted": (2, 1), "admissible": (1, 0)}
    assert "Open files by status" not in plain.get(reverse("backoffice:queue")).content.decode()


def test_an_unknown_file_id_answers_404(official_client):
    client, _user = official_client("flanders")
    assert client.get(reverse("backoffice:file", args=[uuid.uuid4()])).status_code == 404


def test_an_official_lands_on_the_queue_after_logging_in(official_client):
    client, _user = official_client("immigration-office")
    assert client.get(reverse("accounts:start"))["Location"] == reverse("backoffice:queue")


@pytest.mark.parametrize(
    ("language", "heading", "overdue"),
    [
        ("nl", "Dossiers van", "Termijn verstreken"),
        ("fr", "Dossiers de", "Délai dépassé"),
        ("de", "Akten von", "Frist überschritten"),
    ],
)
def test_the_queue_and_file_page_speak_the_officials_language(
    official_client, language, heading, overdue
):
    client, _user = official_client("flanders")
    file = FileFactory(state="admissible", decision_due_on=datetime.date(2020, 1, 1))

    queue = client.get(f"/{language}/backoffice/").content.decode()
    page = client.get(f"/{language}/backoffice/files/{file.public_id}/")

    assert heading in queue
    assert overdue in queue
    assert page.status_code == 200
    assert overdue in page.content.decode()
