"""Bad input gets a clear, translated error and loses nothing: the form comes back, in Dutch.

Each case posts the same bad input to the English and the Dutch page: the English page names the
problems in its error summary, and none of those English sentences may appear on the Dutch page,
which must show its own summary. A refused submission changes nothing in the database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from factories import pdf_upload
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from robustness_helpers import (
    EMPLOYER,
    OFFICIAL,
    build_world,
    client_for,
    state_of_the_world,
)

pytestmark = pytest.mark.django_db

_SUMMARY = re.compile(r'<ul class="error-summary__list">(.*?)</ul>', re.S)
_ITEM = re.compile(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", re.S)


def _errors(html: str) -> list[str]:
    summary = _SUMMARY.search(html)
    assert summary is not None, "no error summary on the page"
    return [item.strip() for item in _ITEM.findall(summary.group(1)) if item.strip()]


@pytest.fixture
def world(db):
    return build_world()


def _url(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _post_in_both(world, role: str, name: str, data: Any, **kwargs: Any) -> tuple[str, str]:
    answers = []
    for language in ("en", "nl"):
        before = state_of_the_world()
        response = client_for(world, role).post(_url(language, name, **kwargs), data)
        assert response.status_code in (200, 400), (language, response.status_code)
        assert state_of_the_world() == before, f"a refused {name} changed something"
        answers.append(response.content.decode())
    return answers[0], answers[1]


def _assert_dutch(english: str, dutch: str) -> list[str]:
    english_errors = _errors(english)
    dutch_errors = _errors(dutch)
    assert english_errors and len(dutch_errors) == len(english_errors)
    for sentence in english_errors:
        assert sentence not in dutch, f"English error on the Dutch page: {sentence}"
    assert 'lang="nl"' in dutch
    return dutch_errors


def test_missing_and_impossible_answers_are_refused_in_dutch(world):
    version = world.draft.version
    english, dutch = _post_in_both(
        world,
        EMPLOYER,
        "web:applications:section",
        {"version": version, "first_name": "", "birth_date": "2026-02-30", "nationality": "\x00"},
        public_id=world.draft.public_id,
        section="worker",
    )
    errors = _assert_dutch(english, dutch)
    # The summary names the field before Django's generic "required" message.
    assert "Voornaam: Dit veld is verplicht." in errors


def test_a_salary_too_large_for_any_column_is_refused_in_dutch(world):
    english, dutch = _post_in_both(
        world,
        EMPLOYER,
        "web:applications:section",
        {
            "version": world.draft.version,
            "category": "other",
            "job_title": "A" * 100_000,
            "start_date": "2026-13-01",
            "gross_salary": "9" * 40,
            "salary_period": "yearly",
        },
        public_id=world.draft.public_id,
        section="employment",
    )
    _assert_dutch(english, dutch)


def test_a_program_named_as_a_pdf_is_refused_in_dutch(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload() -> dict[str, Any]:
        program = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
        return {"kind": "cv", "cv-document": program}

    answers = []
    for language in ("en", "nl"):
        before = state_of_the_world()
        response = client_for(world, EMPLOYER).post(
            _url(language, "web:applications:documents", public_id=world.draft.public_id),
            upload(),
        )
        assert response.status_code == 400
        assert state_of_the_world() == before
        answers.append(response.content.decode())
    _assert_dutch(*answers)


def test_an_official_action_without_its_motivation_is_refused_in_dutch(world):
    english, dutch = _post_in_both(
        world,
        OFFICIAL,
        "backoffice:action",
        {"request_information-version": world.submitted.version, "request_information-message": ""},
        public_id=world.submitted.public_id,
        action="request_information",
    )
    _assert_dutch(english, dutch)


def test_a_withdrawal_without_a_version_is_refused_in_dutch(world):
    english, dutch = _post_in_both(
        world,
        EMPLOYER,
        "web:applications:withdraw",
        {"reason": "\x00" * 10, "version": "9" * 30},
        public_id=world.submitted.public_id,
    )
    _assert_dutch(english, dutch)


def test_the_upload_still_works_after_the_refusals(world):
    """The refusals above lose nothing: the same page then takes a proper document."""
    response = client_for(world, EMPLOYER).post(
        _url("nl", "web:applications:documents", public_id=world.draft.public_id),
        {"kind": "other", "other-document": pdf_upload("extra.pdf")},
    )
    assert response.status_code == 302
    assert world.draft.documents.filter(kind="other").count() == 1


# Any text at all, in every field of the worker's section, stays a refusal or a clean save.
_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300
) | st.sampled_from(["", "2026-02-30", "9" * 40, "\x00", "0000-00-00", "1992-03-04", "IN"])


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first_name=_ANY_TEXT,
    last_name=_ANY_TEXT,
    birth_date=_ANY_TEXT,
    nationality=_ANY_TEXT,
    insz=_ANY_TEXT,
    passport_number=_ANY_TEXT,
)
def test_any_input_in_the_worker_section_is_saved_cleanly_or_refused_in_dutch(world, **fields):
    draft = world.draft
    draft.refresh_from_db()
    before = state_of_the_world()
    response = client_for(world, EMPLOYER).post(
        _url("nl", "web:applications:section", public_id=draft.public_id, section="worker"),
        {"version": draft.version, **fields},
    )
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        draft.refresh_from_db()
        assert draft.version == _version_in(before, draft) + 1
        saved = draft.section_data("worker")
        assert saved["first_name"] == fields["first_name"].strip()
    else:
        assert state_of_the_world() == before
        html = response.content.decode()
        assert "This field is required." not in html
        assert "Enter a valid date." not in html
        assert _errors(html)


def _version_in(state: dict[str, Any], draft: Any) -> int:
    return next(
        version
        for public_id, _s, version, _d in state["drafts"]
        if public_id == str(draft.public_id)
    )
