"""Whole journeys through the services, with the eBox and the authorities' systems reached over
real HTTP (the simulators on the live server) by the worker's own task function."""

from __future__ import annotations

import datetime
from collections import Counter

import httpx
import pytest
import time_machine
from factories import WorkerUserFactory, employer_user, mandatary_user, official, pdf_upload
from journey_helpers import (
    JOURNEY_MESSAGES,
    counts_per_business_id,
    ebox_messages,
    employer_at,
    filled_draft,
    message_types,
    payloads_for,
    run_worker,
)

from wib.core.identifiers import make_insz
from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.files import services
from wib.files.models import FileEvent
from wib.files.selectors import files_in_queue
from wib.simulators.models import SimulatedAgencySubmission

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DECISIONS = {"work-approved", "permit-granted", "authorisation-granted"}


def assert_pdf_on_decisions(messages) -> None:
    for message in messages:
        if message.message_type in DECISIONS | {"file-submitted"}:
            [(name, content)] = message.attachments
            assert name.endswith(".pdf")
            assert content.startswith(b"%PDF")
        else:
            assert message.attachments == []


def single_permit_to_granted(*, applicant, employer, unit, step=run_worker, before_step=None):
    """Apply, request information, answer, admissible, work approved, residence granted; the
    worker runs after each step. Returns the file and the officials."""
    flemish, immigration = official("flanders"), official("immigration-office")
    file = filled_draft(
        actor=applicant,
        employer=employer,
        procedure_code="single-permit",
        payloads=payloads_for("single-permit", unit),
    )
    assert file.authority.code == "flanders"
    assert file.authority_rule
    actions = [
        lambda f: services.submit_file(file=f, actor=applicant, declaration_accepted=True),
        lambda f: services.request_information(
            file=f, actor=flemish, message="Add the diploma, please."
        ),
        lambda f: services.answer_information_request(
            file=f, actor=applicant, answer="Attached.", documents=[("diploma", pdf_upload())]
        ),
        lambda f: services.declare_admissible(file=f, actor=flemish),
        lambda f: services.decide_work_part(file=f, actor=flemish, approve=True, motivation="OK"),
        lambda f: services.decide_residence_part(file=f, actor=immigration, grant=True),
    ]
    for number, action in enumerate(actions):
        if before_step is not None:
            before_step(number, file)
        file = action(file)
        step()
        if number == 3:
            assert file in files_in_queue(actor=flemish, authority_code="flanders")
        if number == 4:
            # Nobody forwarded it: approval alone puts it in the Immigration Office's queue.
            assert file.state == "residence_review"
            assert file in files_in_queue(actor=immigration, authority_code="immigration-office")
            assert file not in files_in_queue(actor=flemish, authority_code="flanders")
            forwarded = FileEvent.objects.get(file=file, action="forward_to_immigration_office")
            assert forwarded.actor is None and forwarded.capacity == "system"
    return file


def test_a_linkebeek_employer_gets_every_milestone_of_the_single_permit_in_its_ebox(simulators):
    employer, unit = employer_at("flanders")
    applicant = employer_user(employer)

    with time_machine.travel(START, tick=False):
        file = single_permit_to_granted(applicant=applicant, employer=employer, unit=unit)

    assert file.state == "granted"
    received = ebox_messages(simulators, ebox_id=employer.number)
    assert message_types(received) == Counter(JOURNEY_MESSAGES)
    assert all(file.reference in message.subject["nl"] for message in received)
    assert all(set(message.subject) >= {"nl", "fr", "de"} for message in received)
    assert_pdf_on_decisions(received)
    # The Flemish system got the file, and the Immigration Office got it when it was forwarded.
    assert SimulatedAgencySubmission.objects.filter(authority_code="flanders").exists()
    assert SimulatedAgencySubmission.objects.filter(authority_code="immigration-office").exists()
    assert not OutboxMessage.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_with_the_ebox_down_midway_the_journey_goes_on_and_each_message_arrives_once(
    simulators,
):
    employer, unit = employer_at("flanders")
    applicant = employer_user(employer)

    with time_machine.travel(START, tick=False) as traveller:

        def take_down_after_submission(number, file):
            if number == 1:
                response = httpx.post(f"{simulators}/simulators/ebox/_down")
                assert response.json()["isDown"] is True

        def worker_then_half_an_hour(*_args):
            run_worker()
            traveller.shift(datetime.timedelta(minutes=30))

        file = single_permit_to_granted(
            applicant=applicant,
            employer=employer,
            unit=unit,
            step=worker_then_half_an_hour,
            before_step=take_down_after_submission,
        )
        assert file.state == "granted"
        # Only the receipt got through before the outage; the rest waits, retried with backoff.
        assert message_types(ebox_messages(simulators, ebox_id=employer.number)) == Counter(
            ["file-submitted"]
        )
        waiting = OutboxMessage.objects.filter(channel="ebox").exclude(
            status=DeliveryStatus.DELIVERED
        )
        assert waiting.count() == 4
        assert all(message.status == DeliveryStatus.PENDING for message in waiting)
        assert all(message.attempts >= 1 and "503" in message.last_error for message in waiting)

        httpx.post(f"{simulators}/simulators/ebox/_up")
        traveller.shift(datetime.timedelta(hours=2))
        run_worker()
        run_worker()

    received = ebox_messages(simulators, ebox_id=employer.number)
    assert message_types(received) == Counter(JOURNEY_MESSAGES)
    assert_pdf_on_decisions(received)
    keys = OutboxMessage.objects.filter(channel="ebox").values_list("idempotency_key", flat=True)
    assert counts_per_business_id() == Counter(set(keys))
    assert not OutboxMessage.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_a_mandatary_applies_and_the_decisions_still_reach_the_employer(simulators):
    employer, unit = employer_at("flanders")
    user, mandatary = mandatary_user(employer)

    with time_machine.travel(START, tick=False):
        file = single_permit_to_granted(applicant=user, employer=employer, unit=unit)

    assert (file.employer, file.mandatary, file.submitted_by) == (employer, mandatary, user)
    submitted = FileEvent.objects.get(file=file, action="submit")
    assert (submitted.actor, submitted.capacity, submitted.capacity_detail) == (
        user,
        "mandatary",
        mandatary.number,
    )
    for ebox_id in (employer.number, mandatary.number):
        received = ebox_messages(simulators, ebox_id=ebox_id)
        assert message_types(received) == Counter(JOURNEY_MESSAGES)
        assert_pdf_on_decisions(received)


def test_the_short_stay_authorisation_reaches_the_employer_without_the_immigration_office(
    simulators,
):
    employer, unit = employer_at("wallonia")
    applicant = employer_user(employer)
    walloon, immigration = official("wallonia"), official("immigration-office")
    code = "short-stay-work-authorisation"

    with time_machine.travel(START, tick=False):
        file = filled_draft(
            actor=applicant,
            employer=employer,
            procedure_code=code,
            payloads=payloads_for(code, unit),
        )
        assert file.authority.code == "wallonia"
        file = services.submit_file(file=file, actor=applicant, declaration_accepted=True)
        file = services.declare_admissible(file=file, actor=walloon)
        file = services.decide_work_part(file=file, actor=walloon, approve=True)
        run_worker()

    assert file.state == "authorised" and file.closed_at is not None
    assert file.forwarded_at is None
    assert not files_in_queue(actor=immigration, authority_code="immigration-office").exists()
    assert not SimulatedAgencySubmission.objects.filter(
        authority_code="immigration-office"
    ).exists()
    received = ebox_messages(simulators, ebox_id=employer.number)
    assert message_types(received) == Counter(
        ["file-submitted", "file-admissible", "authorisation-granted"]
    )
    assert_pdf_on_decisions(received)


def test_a_worker_applies_for_the_indefinite_permit_and_gets_the_decision_in_the_citizen_ebox(
    simulators,
):
    # The worker lives in Eupen: the German-speaking Community decides, wherever the job is.
    worker = WorkerUserFactory(national_register_number=make_insz(datetime.date(1985, 6, 15), 42))
    dg, immigration = official("german-speaking-community"), official("immigration-office")
    code = "single-permit-indefinite"

    with time_machine.travel(START, tick=False):
        payloads = payloads_for(code, residence="german-speaking-community")
        file = filled_draft(actor=worker, employer=None, procedure_code=code, payloads=payloads)
        assert (file.worker_user, file.employer, file.mandatary) == (worker, None, None)
        assert file.authority.code == "german-speaking-community"
        assert file.authority_rule == "worker-residence"
        assert file.worker_insz == worker.national_register_number
        file = services.submit_file(file=file, actor=worker, declaration_accepted=True)
        file = services.declare_admissible(file=file, actor=dg)
        file = services.decide_work_part(file=file, actor=dg, approve=True)
        assert file in files_in_queue(actor=immigration, authority_code="immigration-office")
        file = services.decide_residence_part(file=file, actor=immigration, grant=True)
        run_worker()

    assert file.state == "granted"
    received = ebox_messages(simulators, ebox_id=worker.national_register_number)
    assert message_types(received) == Counter(
        ["file-submitted", "file-admissible", "work-approved", "permit-granted"]
    )
    assert_pdf_on_decisions(received)


def test_a_mandatary_applying_for_the_indefinite_permit_gets_the_decision_too(simulators):
    worker_insz = make_insz(datetime.date(1979, 11, 2), 77)
    _employer, mandatary = mandatary_user(employer_at("brussels")[0])
    user = employer_user(mandatary)
    brussels, immigration = official("brussels"), official("immigration-office")
    code = "single-permit-indefinite"

    with time_machine.travel(START, tick=False):
        payloads = payloads_for(code, residence="brussels")
        payloads["worker"] = dict(payloads["worker"], insz=worker_insz)
        file = filled_draft(
            actor=user, employer=None, procedure_code=code, payloads=payloads, mandatary=mandatary
        )
        assert (file.employer, file.mandatary, file.worker_user) == (None, mandatary, None)
        file = services.submit_file(file=file, actor=user, declaration_accepted=True)
        file = services.declare_admissible(file=file, actor=brussels)
        file = services.decide_work_part(file=file, actor=brussels, approve=True)
        file = services.decide_residence_part(file=file, actor=immigration, grant=True)
        run_worker()

    expected = Counter(["file-submitted", "file-admissible", "work-approved", "permit-granted"])
    for ebox_id in (mandatary.number, worker_insz):
        received = ebox_messages(simulators, ebox_id=ebox_id)
        assert message_types(received) == expected
        assert_pdf_on_decisions(received)
