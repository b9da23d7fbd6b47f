"""The whole state table of every procedure, allowed and refused moves, and who may make them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from factories import EnterpriseFactory, FileFactory, WorkerUserFactory, employer_user, official

from wib.audit.models import AuditRecord
from wib.deliveries.models import OutboxMessage
from wib.files.errors import InvalidTransition
from wib.files.models import File, FileEvent
from wib.files.workflow import transition
from wib.procedures.definitions import APPLICANT, OFFICIAL, SYSTEM
from wib.procedures.registry import all_procedures

pytestmark = pytest.mark.django_db

ALLOWED = [
    pytest.param(procedure, rule, id=f"{procedure.code}:{rule.source}-{rule.action}")
    for procedure in all_procedures()
    for rule in procedure.transitions
]
STATES = [
    pytest.param(procedure, state.code, id=f"{procedure.code}:{state.code}")
    for procedure in all_procedures()
    for state in procedure.states
]


def make_file(procedure, state):
    if procedure.code == "single-permit-indefinite":
        worker = WorkerUserFactory()
        return FileFactory(
            procedure_code=procedure.code,
            state=state,
            employer=None,
            worker_user=worker,
            worker_insz=worker.national_register_number,
        )
    return FileFactory(procedure_code=procedure.code, state=state, employer=EnterpriseFactory())


def applicant_of(file):
    return file.worker_user or employer_user(file.employer)


def right_actor(procedure, rule, file):
    if rule.performer == APPLICANT:
        return applicant_of(file)
    if rule.performer == OFFICIAL:
        stage = procedure.state(rule.source).stage
        return official("flanders" if stage == "work" else "immigration-office")
    return None


def wrong_actors(procedure, rule, file):
    """People who must not make this move."""
    stranger = employer_user(EnterpriseFactory())
    if rule.performer == APPLICANT:
        return [stranger, official("flanders"), official("immigration-office")]
    if rule.performer == OFFICIAL:
        stage = procedure.state(rule.source).stage
        wrong_authority = "wallonia" if stage == "work" else "flanders"
        return [applicant_of(file), stranger, official(wrong_authority)]
    return [applicant_of(file), official("flanders")]


def snapshot(file):
    row = File.objects.get(pk=file.pk)
    return (
        row.state,
        row.stage,
        row.version,
        FileEvent.objects.filter(file=file).count(),
        OutboxMessage.objects.filter(related_file_id=str(file.public_id)).count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize(("procedure", "rule"), ALLOWED)
def test_allowed_move_changes_state_and_schedules_its_messages(procedure, rule):
    file = make_file(procedure, rule.source)
    actor = right_actor(procedure, rule, file)
    version = file.version

    updated = transition(file=file, action=rule.action, actor=actor)

    assert updated.state == rule.target
    assert updated.stage == procedure.state(rule.target).stage
    assert updated.version == version + 1
    event = FileEvent.objects.get(file=file)
    assert (event.action, event.from_state, event.to_state) == (
        rule.action,
        rule.source,
        rule.target,
    )
    assert (
        event.capacity
        == {
            APPLICANT: "worker" if file.worker_user_id else "employer",
            OFFICIAL: "official",
            SYSTEM: "system",
        }[rule.performer]
    )
    assert (
        AuditRecord.objects.filter(
            action=f"file.{rule.action}", target_id=str(file.public_id)
        ).count()
        == 1
    )
    expected_types = {m.message_type for m in procedure.messages_for(rule.action)} | {
        d.message_type for d in procedure.deliveries_for(rule.action)
    }
    sent_types = set(
        OutboxMessage.objects.filter(related_file_id=str(file.public_id)).values_list(
            "message_type", flat=True
        )
    )
    assert sent_types == expected_types


@pytest.mark.parametrize(("procedure", "rule"), ALLOWED)
def test_the_wrong_people_cannot_make_the_move_and_nothing_changes(procedure, rule):
    file = make_file(procedure, rule.source)
    for actor in wrong_actors(procedure, rule, file):
        before = snapshot(file)
        with pytest.raises(PermissionDenied):
            transition(file=file, action=rule.action, actor=actor)
        assert snapshot(file) == before


@pytest.mark.parametrize(("procedure", "state"), STATES)
def test_every_move_outside_the_table_is_refused_and_changes_nothing(procedure, state):
    file = make_file(procedure, state)
    refused = [a for a in procedure.actions() if procedure.find_transition(state, a) is None]
    applicant = applicant_of(file)
    for action in [*refused, "no_such_action"]:
        before = snapshot(file)
        with pytest.raises(InvalidTransition):
            transition(file=file, action=action, actor=applicant)
        assert snapshot(file) == before


def test_final_states_allow_no_move_at_all():
    for procedure in all_procedures():
        for state in procedure.states:
            if state.final:
                assert procedure.transitions_from(state.code) == [], (procedure.code, state.code)
