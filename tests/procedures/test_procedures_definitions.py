"""The procedure definitions hang together, and their generated documentation is current."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from wib.procedures.catalogue import ACTION_LABELS, CATEGORY_CODES, DOCUMENT_LABELS, EVENT_LABELS
from wib.procedures.docs import default_path, render_markdown
from wib.procedures.reference import reference_value
from wib.procedures.registry import UnknownProcedure, all_procedures, get_procedure

PROCEDURES = [pytest.param(p, id=p.code) for p in all_procedures()]


def test_the_four_procedures_are_registered():
    assert [p.code for p in all_procedures()] == [
        "single-permit",
        "single-permit-renewal",
        "short-stay-work-authorisation",
        "single-permit-indefinite",
    ]
    assert get_procedure("single-permit").title
    with pytest.raises(UnknownProcedure):
        get_procedure("tourist-visa")


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_transition_joins_known_states_and_has_words(procedure):
    codes = {state.code for state in procedure.states}
    assert procedure.initial_state in codes
    for rule in procedure.transitions:
        assert rule.source in codes and rule.target in codes
        assert rule.action in ACTION_LABELS and rule.action in EVENT_LABELS
        assert rule.performer in {"applicant", "official", "system"}
    for message in procedure.messages:
        assert message.action in procedure.actions()
    for requirement in procedure.documents:
        assert requirement.kind in DOCUMENT_LABELS
    assert set(procedure.categories) <= set(CATEGORY_CODES)


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_state_is_reachable_from_the_draft(procedure):
    reached, frontier = {procedure.initial_state}, [procedure.initial_state]
    while frontier:
        for rule in procedure.transitions_from(frontier.pop()):
            if rule.target not in reached:
                reached.add(rule.target)
                frontier.append(rule.target)
    assert reached == {state.code for state in procedure.states}


def test_short_stay_has_no_residence_stage_and_the_indefinite_permit_follows_residence():
    short = get_procedure("short-stay-work-authorisation")
    assert [stage.code for stage in short.stages] == ["work"]
    assert short.find_transition("admissible", "approve_work").target == "authorised"
    indefinite = get_procedure("single-permit-indefinite")
    assert indefinite.authority_basis == "residence"
    assert "worker" in indefinite.applicant_kinds and "employer" not in indefinite.applicant_kinds


def test_required_documents_depend_on_authority_and_category():
    permit = get_procedure("single-permit")

    def kinds(authority, category):
        return {
            r.kind for r in permit.required_documents(authority_code=authority, category=category)
        }

    assert "organisation-chart" in kinds("brussels", "other")
    assert "organisation-chart" not in kinds("flanders", "other")
    assert "diploma" in kinds("flanders", "highly-qualified")
    assert "diploma" not in kinds("flanders", "seasonal-worker")
    assert "criminal-record" not in kinds("wallonia", "seasonal-worker")
    renewal = {r.kind for r in get_procedure("single-permit-renewal").documents}
    assert "payslips" in renewal and "fee-payment" not in renewal


@pytest.mark.django_db
def test_reference_values_are_seeded_with_their_validity():
    fee_2026 = reference_value(kind="fee", on=datetime.date(2026, 3, 1))
    assert fee_2026.amount == Decimal("366.00")
    assert "(check)" in fee_2026.note
    assert reference_value(kind="fee", on=datetime.date(2024, 6, 1)).amount == Decimal("357.00")
    brussels = reference_value(
        kind="salary_threshold",
        on=datetime.date(2025, 1, 1),
        authority_code="brussels",
        category="highly-qualified",
    )
    assert (brussels.amount, brussels.unit) == (Decimal("3703.44"), "monthly")
    assert (
        reference_value(
            kind="salary_threshold",
            on=datetime.date(2024, 1, 1),
            authority_code="brussels",
            category="highly-qualified",
        )
        is None
    )


def test_the_committed_procedures_document_is_the_generated_one():
    assert default_path().read_text(encoding="utf-8") == render_markdown()


def test_the_command_writes_the_document(tmp_path):
    target = tmp_path / "procedures.md"
    call_command("procedures_doc", output=target, skip_checks=True)
    assert target.read_text(encoding="utf-8") == render_markdown()
    assert "stateDiagram-v2" in target.read_text(encoding="utf-8")
