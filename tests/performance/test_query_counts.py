"""The list pages run a fixed number of SQL queries whatever the number of files they show.

Each page is rendered through Django's test client, logged in with the right role, once with
2 files and once with 25 files (varied procedures, states and authorities, each with documents,
history, an information request and, when decided, a decision letter). The number of queries
must be the same for both sizes: a query per row (an N+1) would make it grow.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from factories import (
    EnterpriseFactory,
    FileFactory,
    MandateFactory,
    MembershipFactory,
    UserFactory,
    employer_user,
    official,
    pdf_upload,
)

from wib.accounts.testing import act_for, login_with_second_factor
from wib.documents.services import store_upload
from wib.files.models import Decision, File, FileDocument, FileEvent, InformationRequest
from wib.geography.models import Authority
from wib.registry.models import Denomination

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 25
AUTHORITIES = ["flanders", "brussels", "wallonia", "german-speaking-community"]
# (procedure, state) pairs seen by each audience; cycled through to vary the rows.
WORK_QUEUE = [
    ("single-permit", "submitted"),
    ("short-stay-work-authorisation", "information_requested"),
    ("single-permit-renewal", "admissible"),
    ("single-permit-indefinite", "submitted"),
    ("single-permit", "admissible"),
]
RESIDENCE_QUEUE = [
    ("single-permit", "residence_review"),
    ("single-permit-renewal", "residence_information_requested"),
    ("single-permit", "granted"),
    ("single-permit-indefinite", "residence_review"),
]
EVERY_STATE = [
    ("single-permit", "draft"),
    ("single-permit", "submitted"),
    ("short-stay-work-authorisation", "authorised"),
    ("single-permit-renewal", "information_requested"),
    ("single-permit", "residence_review"),
    ("single-permit", "granted"),
    ("short-stay-work-authorisation", "work_refused"),
    ("single-permit-renewal", "withdrawn"),
]
DECIDED = {
    "authorised": ("work", "approved"),
    "work_refused": ("work", "refused"),
    "residence_review": ("work", "approved"),
    "residence_information_requested": ("work", "approved"),
    "granted": ("residence", "granted"),
}
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_files(
    count: int,
    *,
    kinds: list[tuple[str, str]],
    authorities: list[str],
    employer: Any = None,
    mandatary: Any = None,
) -> list[File]:
    """`count` files cycling through the kinds and authorities, each with what hangs off a
    real file: two documents, history events, an answered information request with its own
    document, and a decision with its letter once decided. Without a given employer, each file
    has its own (with an official name in the register)."""
    someone = UserFactory()
    letter = store_upload(uploaded_file=pdf_upload("letter.pdf"), uploaded_by=someone)
    files = []
    pairs = zip(itertools.cycle(kinds), itertools.cycle(authorities), strict=False)
    for index, ((procedure_code, state), authority_code) in enumerate(pairs):
        if index == count:
            break
        owner = employer
        if owner is None:
            owner = EnterpriseFactory()
            Denomination.objects.create(
                entity_number=owner.number,
                language="2",
                type_of_denomination="001",
                denomination=f"Employer {index}",
            )
        submitted = state != "draft"
        file = FileFactory(
            procedure_code=procedure_code,
            state=state,
            employer=owner,
            mandatary=mandatary if index % 2 else None,
            created_by=someone,
            submitted_by=someone if submitted else None,
            authority=Authority.objects.get(code=authority_code),
            worker_name=f"Worker {index}",
            submitted_at=START if submitted else None,
            complete_since=START.date() if submitted else None,
            decision_due_on=START.date() + datetime.timedelta(days=index * 10)
            if submitted
            else None,
            information_due_on=START.date() + datetime.timedelta(days=15)
            if "information" in state
            else None,
            receipt=letter if submitted else None,
        )
        _hang_off(file, someone, letter, state)
        files.append(file)
    return files


def _hang_off(file: File, someone: Any, letter: Any, state: str) -> None:
    for kind in ("passport", "employment_contract"):
        FileDocument.objects.create(
            file=file,
            kind=kind,
            stored_document=store_upload(uploaded_file=pdf_upload(), uploaded_by=someone),
            step=FileDocument.Step.APPLICATION,
            added_by=someone,
            added_at=START,
        )
    FileEvent.objects.create(
        file=file, action="create", to_state="draft", actor=someone, capacity="employer", at=START
    )
    if state == "draft":
        return
    FileEvent.objects.create(
        file=file,
        action="submit",
        from_state="draft",
        to_state="submitted",
        actor=someone,
        capacity="employer",
        at=START,
    )
    request = InformationRequest.objects.create(
        file=file,
        stage="work",
        message="Add the diploma.",
        due_on=START.date() + datetime.timedelta(days=15),
        requested_by=someone,
        requested_at=START,
        answered_at=START,
        answered_by=someone,
        answer="Attached.",
    )
    FileDocument.objects.create(
        file=file,
        kind="diploma",
        stored_document=store_upload(uploaded_file=pdf_upload(), uploaded_by=someone),
        step=FileDocument.Step.INFORMATION,
        information_request=request,
        added_by=someone,
        added_at=START,
    )
    if state in DECIDED:
        stage, outcome = DECIDED[state]
        Decision.objects.create(
            file=file,
            stage=stage,
            outcome=outcome,
            motivation="The conditions are met.",
            decided_by=someone,
            decided_on=START.date(),
            letter=letter,
        )


@dataclass(frozen=True)
class Scenario:
    """A list page, who reads it, and the files it lists."""

    client: Client
    url: str
    fill: Callable[[int], list[File]]
    rows: Callable[[Any], int]


def _table_rows(response: Any) -> int:
    return len(response.context["rows"])


def _api_rows(response: Any) -> int:
    return len(response.json()["results"])


def _official_scenario(authority_code: str, *, role: str = "official") -> Scenario:
    client = Client()
    login_with_second_factor(client, official(authority_code, role=role))
    if authority_code == "immigration-office":
        kinds, authorities = RESIDENCE_QUEUE, AUTHORITIES
    else:
        kinds, authorities = WORK_QUEUE, [authority_code]
    return Scenario(
        client=client,
        url=reverse("backoffice:queue"),
        fill=lambda count: make_files(count, kinds=kinds, authorities=authorities),
        rows=_table_rows,
    )


def _applicant_scenario(*, through_mandate: bool, url: str, rows: Callable) -> Scenario:
    employer = EnterpriseFactory()
    if through_mandate:
        mandatary = EnterpriseFactory()
        MandateFactory(employer=employer, mandatary=mandatary)
        user = MembershipFactory(enterprise=mandatary).user
    else:
        mandatary = EnterpriseFactory()
        user = employer_user(employer)
    client = Client()
    client.force_login(user)
    act_for(client, employer)
    return Scenario(
        client=client,
        url=url,
        fill=lambda count: make_files(
            count,
            kinds=EVERY_STATE,
            authorities=AUTHORITIES,
            employer=employer,
            mandatary=mandatary,
        ),
        rows=rows,
    )


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "regional official's queue": lambda: _official_scenario("flanders"),
    "Immigration Office official's queue": lambda: _official_scenario("immigration-office"),
    "supervisor's queue and dashboard": lambda: _official_scenario("wallonia", role="supervisor"),
    "employer user's files": lambda: _applicant_scenario(
        through_mandate=False, url=reverse("web:applications:list"), rows=_table_rows
    ),
    "mandatary user's files": lambda: _applicant_scenario(
        through_mandate=True, url=reverse("web:applications:list"), rows=_table_rows
    ),
    "API list of files": lambda: _applicant_scenario(
        through_mandate=False, url="/api/v1/files?page_size=100", rows=_api_rows
    ),
}


def _count_queries(scenario: Scenario) -> tuple[int, int, list[str]]:
    """(queries, rows shown, the SQL) of one rendering of the page."""
    with CaptureQueriesContext(connection) as captured:
        response = scenario.client.get(scenario.url)
    assert response.status_code == 200, response.content[:500]
    return len(captured), scenario.rows(response), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_list_page_runs_the_same_number_of_queries_for_2_and_25_files(name, record_property):
    scenario = SCENARIOS[name]()
    scenario.fill(SMALL)
    # A first rendering warms what is cached per process (content types, translations).
    scenario.client.get(scenario.url)
    small, small_rows, _ = _count_queries(scenario)

    scenario.fill(LARGE - SMALL)
    large, large_rows, sql = _count_queries(scenario)

    # The queue shows 25 per page and "My files" 20: the large page really has more rows.
    assert small_rows == SMALL
    assert large_rows > small_rows
    record_property("queries", large)
    print(f"{name}: {large} queries for {SMALL} and {LARGE} files")
    assert large == small, "\n".join(sql)
