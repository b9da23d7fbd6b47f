"""The one function that moves a file between statuses, with its history, audit and messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from wib.audit.services import record_event
from wib.core import clock
from wib.deliveries.services import OutboxAttachment, enqueue_delivery
from wib.files import deadlines
from wib.files.errors import ConcurrentChange, InvalidTransition
from wib.files.models import File, FileEvent
from wib.files.permissions import applicant_capacity, is_official_for_stage
from wib.procedures.catalogue import ACTION_LABELS
from wib.procedures.definitions import (
    APPLICANT,
    EMPLOYER_EBOX,
    FILE_AUTHORITY,
    MANDATARY_EBOX,
    OFFICIAL,
    SYSTEM,
    WORKER_EBOX,
    Procedure,
    Transition,
)
from wib.procedures.registry import get_procedure

LANGUAGES = ("nl", "fr", "de", "en")


def lock_file(file: File) -> File:
    """The file's row, locked until the end of the transaction (no joins: PostgreSQL forbids
    FOR UPDATE on the nullable side of an outer join)."""
    return File.objects.select_for_update().get(pk=file.pk)


def state_label(procedure: Procedure, state: str) -> str:
    try:
        return str(procedure.state(state).label)
    except KeyError:
        return state


def check_version(file: File, expected_version: int | None) -> None:
    if expected_version is not None and file.version != expected_version:
        raise ConcurrentChange(
            state_label=state_label(get_procedure(file.procedure_code), file.state)
        )


def require_transition(file: File, action: str) -> Transition:
    procedure = get_procedure(file.procedure_code)
    rule = procedure.find_transition(file.state, action)
    if rule is None:
        raise InvalidTransition(
            action_label=str(ACTION_LABELS.get(action, action)),
            state_label=state_label(procedure, file.state),
        )
    return rule


def authorise(rule: Transition, actor: Any, file: File) -> tuple[str, str]:
    """The capacity in which the actor may perform this transition, or PermissionDenied."""
    procedure = get_procedure(file.procedure_code)
    if rule.performer == SYSTEM:
        # Only the application itself moves a file along a system transition.
        if actor is not None:
            raise PermissionDenied("Only the system performs this step.")
        return (FileEvent.Capacity.SYSTEM, "")
    if rule.performer == APPLICANT:
        capacity = applicant_capacity(actor, file)
        if capacity is None:
            raise PermissionDenied("Not an applicant of this file.")
        return capacity
    if rule.performer == OFFICIAL:
        stage = procedure.state(rule.source).stage
        if not is_official_for_stage(actor, file, stage):
            raise PermissionDenied("Not an official of the authority handling this stage.")
        stage_definition = procedure.stage(stage)
        code = (
            file.authority.code
            if stage_definition.authority == FILE_AUTHORITY and file.authority
            else stage_definition.authority
        )
        return (FileEvent.Capacity.OFFICIAL, code)
    raise PermissionDenied(rule.performer)


def _apply_dates(file: File, action: str, payload: Mapping[str, Any]) -> None:
    today, now = clock.today(), clock.now()
    code = file.procedure_code
    if action == "submit":
        file.submitted_at = file.submitted_at or now
        file.complete_since = today
        file.decision_due_on = deadlines.decision_due_on(
            procedure_code=code, complete_since=today, extended=file.extended
        )
    elif action in ("request_information", "request_residence_information"):
        file.information_due_on = payload.get("due_on") or deadlines.information_due_on(
            procedure_code=code, requested_on=today
        )
    elif action == "answer_information":
        # The file is complete from the day the missing information arrives.
        file.information_due_on = None
        file.complete_since = today
        file.decision_due_on = deadlines.decision_due_on(
            procedure_code=code, complete_since=today, extended=file.extended
        )
    elif action == "answer_residence_information":
        # The decision period is suspended while the Immigration Office waits for an answer.
        requested_on = payload.get("requested_on")
        if file.decision_due_on and requested_on:
            file.decision_due_on += timedelta(days=max((today - requested_on).days, 0))
        file.information_due_on = None
    elif action == "declare_admissible":
        file.admissible_on = today
    elif action == "extend_deadline":
        file.extended = True
        if file.decision_due_on:
            file.decision_due_on += timedelta(days=deadlines.extension_days(code))
    elif action == "forward_to_immigration_office":
        file.forwarded_at = now


def transition(
    *,
    file: File,
    action: str,
    actor: Any,
    expected_version: int | None = None,
    message: str = "",
    internal_note: str = "",
    attachments: Mapping[str, OutboxAttachment] | None = None,
    **payload: Any,
) -> File:
    """Perform `action` on the file, or change nothing and raise.

    Locks the row, checks the expected version (ConcurrentChange), the state table
    (InvalidTransition) and the actor's right (PermissionDenied); then writes the new status, a
    history row and an audit record, and puts the milestone's messages in the outbox, all in
    one transaction. `attachments` maps "receipt" / "decision_letter" to the PDF to attach.
    Returns the updated file; the instance passed in is refreshed too.
    """
    with transaction.atomic():
        locked = lock_file(file)
        check_version(locked, expected_version)
        procedure = get_procedure(locked.procedure_code)
        rule = require_transition(locked, action)
        capacity, detail = authorise(rule, actor, locked)
        source = locked.state
        locked.state = rule.target
        locked.stage = procedure.state(rule.target).stage
        _apply_dates(locked, action, payload)
        if procedure.state(rule.target).final:
            locked.closed_at = clock.now()
            locked.information_due_on = None
        locked.version += 1
        locked.save()
        event = FileEvent.objects.create(
            file=locked,
            action=action,
            from_state=source,
            to_state=rule.target,
            actor=actor,
            capacity=capacity,
            capacity_detail=detail,
            message=message,
            internal_note=internal_note,
            at=clock.now(),
        )
        record_event(
            actor=actor,
            action=f"file.{action}",
            target_type="file",
            target_id=str(locked.public_id),
            on_behalf_of=locked.employer.number if locked.employer else "",
            authority_code=detail if capacity == FileEvent.Capacity.OFFICIAL else "",
            data={
                "reference": locked.reference,
                "from": source,
                "to": rule.target,
                "version": locked.version,
                "capacity": capacity,
                "capacity_detail": detail,
            },
        )
        schedule_messages(
            file=locked,
            procedure=procedure,
            action=action,
            event=event,
            attachments=attachments or {},
            payload=payload,
        )
    file.refresh_from_db()
    return file


def _recipients(file: File, kinds: tuple[str, ...]) -> list[str]:
    """eBox ids: 10 digits for an enterprise, 11 for a citizen (the worker's INSZ)."""
    found: list[str] = []
    for kind in kinds:
        value = ""
        if kind == EMPLOYER_EBOX and file.employer:
            value = file.employer.number
        elif kind == MANDATARY_EBOX and file.mandatary:
            value = file.mandatary.number
        elif kind == WORKER_EBOX and file.worker_insz:
            value = file.worker_insz
        if value and value not in found:
            found.append(value)
    return found


def _authority_name(file: File, language: str) -> str:
    if file.stage == "residence" or file.authority is None:
        from wib.geography.models import Authority

        office = Authority.objects.filter(code="immigration-office").first()
        if file.stage == "residence" and office is not None:
            return getattr(office, f"name_{language}")
    return getattr(file.authority, f"name_{language}", "") if file.authority_id else ""


def _in_languages(text: Any, file: File, procedure: Procedure, payload: Mapping[str, Any]) -> dict:
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            due_on = payload.get("due_on") or file.decision_due_on
            result[language] = str(text).format(
                reference=file.reference,
                procedure=str(procedure.title),
                authority=_authority_name(file, language),
                date=date_format(clock.today(), "SHORT_DATE_FORMAT"),
                due_on=date_format(due_on, "SHORT_DATE_FORMAT") if due_on else "",
            )
    return result


def schedule_messages(
    *,
    file: File,
    procedure: Procedure,
    action: str,
    event: FileEvent,
    attachments: Mapping[str, OutboxAttachment],
    payload: Mapping[str, Any],
) -> None:
    """Put the milestone's eBox messages and authority deliveries in the outbox."""
    for definition in procedure.messages_for(action):
        subject = _in_languages(definition.subject, file, procedure, payload)
        body = _in_languages(definition.body, file, procedure, payload)
        files = [attachments[definition.attachment]] if definition.attachment in attachments else []
        for recipient in _recipients(file, definition.recipients):
            enqueue_delivery(
                channel="ebox",
                recipient=recipient,
                subject=subject,
                body=body,
                message_type=definition.message_type,
                attachments=files,
                idempotency_key=f"{file.public_id}:{event.pk}:{definition.message_type}:{recipient}",
                related_file_id=str(file.public_id),
            )
    for delivery in procedure.deliveries_for(action):
        recipient = (
            file.authority.code
            if delivery.recipient == FILE_AUTHORITY and file.authority
            else delivery.recipient
        )
        summary = json.dumps(file_summary(file), sort_keys=True)
        files = [attachments[delivery.attachment]] if delivery.attachment in attachments else []
        enqueue_delivery(
            channel="authority-system",
            recipient=recipient,
            subject={language: file.reference or "" for language in LANGUAGES},
            body={language: summary for language in LANGUAGES},
            message_type=delivery.message_type,
            attachments=files,
            idempotency_key=f"{file.public_id}:{event.pk}:{delivery.message_type}:{recipient}",
            related_file_id=str(file.public_id),
        )


def file_summary(file: File) -> dict[str, Any]:
    """What an authority's system receives: the file's data, without the documents' bytes."""
    return {
        "public_id": str(file.public_id),
        "reference": file.reference,
        "procedure": file.procedure_code,
        "state": file.state,
        "employer": file.employer.number if file.employer else "",
        "mandatary": file.mandatary.number if file.mandatary else "",
        "authority": file.authority.code if file.authority else "",
        "authority_rule": file.authority_rule,
        "category": file.category,
        "worker": {
            "name": file.worker_name,
            "insz": file.worker_insz,
            "birth_date": str(file.worker_birth_date or ""),
            "nationality": file.nationality,
        },
        "sections": {code: value.get("data", {}) for code, value in file.sections.items()},
        "documents": [
            {
                "kind": item.kind,
                "sha256": item.stored_document.sha256,
                "id": str(item.stored_document_id),
            }
            for item in file.documents.select_related("stored_document")
        ],
        "submitted_at": file.submitted_at.isoformat() if file.submitted_at else "",
    }
