"""Deadlines of a file, computed from the procedure definition and the settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings

from wib.procedures.registry import get_procedure

INFORMATION_STATES = ("information_requested", "residence_information_requested")
DECISION_STATES = ("submitted", "admissible", "work_approved", "residence_review")


def decision_days(procedure_code: str) -> int:
    """Days to decide from the complete file: per-procedure setting, definition, then default."""
    by_procedure = getattr(settings, "WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE", {}) or {}
    if procedure_code in by_procedure:
        return int(by_procedure[procedure_code])
    defined = get_procedure(procedure_code).deadlines.decision_days
    if defined is not None:
        return defined
    return int(getattr(settings, "WIB_DECISION_DEADLINE_DAYS", 90))


def extension_days(procedure_code: str) -> int:
    defined = get_procedure(procedure_code).deadlines.extension_days
    if defined is not None:
        return defined
    return int(getattr(settings, "WIB_DEADLINE_EXTENSION_DAYS", 30))


def information_days(procedure_code: str) -> int:
    defined = get_procedure(procedure_code).deadlines.information_days
    if defined is not None:
        return defined
    return int(getattr(settings, "WIB_INFORMATION_DEADLINE_DAYS", 15))


def decision_due_on(*, procedure_code: str, complete_since: date, extended: bool) -> date:
    days = decision_days(procedure_code)
    if extended:
        days += extension_days(procedure_code)
    return complete_since + timedelta(days=days)


def information_due_on(*, procedure_code: str, requested_on: date) -> date:
    return requested_on + timedelta(days=information_days(procedure_code))


def forward_due_on(*, procedure_code: str, admissible_on: date) -> date:
    """The Immigration Office must receive the file within 15 days of admissibility."""
    return admissible_on + timedelta(days=get_procedure(procedure_code).deadlines.forward_days)


def next_deadline(file: Any) -> date | None:
    """The date by which the next step is due: the applicant's answer or the decision."""
    if file.state in INFORMATION_STATES:
        return file.information_due_on
    if file.state in DECISION_STATES:
        return file.decision_due_on
    return None


def is_overdue(file: Any, today: date) -> bool:
    due = next_deadline(file)
    return due is not None and due < today
