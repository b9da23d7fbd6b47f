"""What the screens show of files, always limited to what the actor may see."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from wib.accounts import permissions as account_permissions
from wib.core import clock
from wib.core.identifiers import IdentifierError, normalize_insz
from wib.files.deadlines import DECISION_STATES, INFORMATION_STATES, is_overdue, next_deadline
from wib.files.errors import FileNotFound
from wib.files.models import File, FileEvent
from wib.files.permissions import is_applicant, may_view_as_official
from wib.procedures.catalogue import EVENT_LABELS
from wib.procedures.registry import get_procedure

IMMIGRATION_OFFICE = "immigration-office"
SORTS = {
    "due": ("decision_due_on", "pk"),
    "-due": ("-decision_due_on", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "reference": ("reference",),
    "worker": ("worker_name", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


@dataclass(frozen=True)
class FileFilters:
    """Search and filters of a list; blank values do not filter."""

    search: str = ""
    state: str = ""
    procedure: str = ""
    authority: str = ""
    category: str = ""
    due_before: date | None = None
    overdue: bool = False
    open_only: bool = False
    sort: str = ""


def _search(queryset: QuerySet[File], text: str) -> QuerySet[File]:
    text = text.strip()
    if not text:
        return queryset
    condition = Q(reference__iexact=text) | Q(worker_name__icontains=text)
    with contextlib.suppress(IdentifierError, ValueError, TypeError):
        condition |= Q(worker_insz=normalize_insz(text))
    return queryset.filter(condition)


def _overdue_condition(today: date) -> Q:
    return Q(state__in=INFORMATION_STATES, information_due_on__lt=today) | Q(
        state__in=DECISION_STATES, decision_due_on__lt=today
    )


def _apply_filters(
    queryset: QuerySet[File], filters: FileFilters | None, *, default_sort: str
) -> QuerySet[File]:
    filters = filters or FileFilters()
    queryset = _search(queryset, filters.search)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.procedure:
        queryset = queryset.filter(procedure_code=filters.procedure)
    if filters.authority:
        queryset = queryset.filter(authority__code=filters.authority)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.due_before:
        queryset = queryset.filter(
            Q(state__in=DECISION_STATES, decision_due_on__lte=filters.due_before)
            | Q(state__in=INFORMATION_STATES, information_due_on__lte=filters.due_before)
        )
    if filters.overdue:
        queryset = queryset.filter(_overdue_condition(clock.today()))
    if filters.open_only:
        queryset = queryset.filter(closed_at__isnull=True)
    return queryset.order_by(*SORTS.get(filters.sort or default_sort, SORTS[default_sort]))


def _applicant_scope(actor: Any) -> QuerySet[File]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return File.objects.none()
    acted = account_permissions.employers_acted_for(actor)
    return File.objects.filter(
        Q(employer__in=acted) | Q(worker_user=actor) | Q(employer__isnull=True, mandatary__in=acted)
    )


def files_for_applicant(*, actor: Any, filters: FileFilters | None = None) -> QuerySet[File]:
    """Every file of the enterprises the actor acts for (and the actor's own), all authorities."""
    queryset = _applicant_scope(actor).select_related("authority", "employer", "mandatary")
    return _apply_filters(queryset, filters, default_sort="-updated")


def file_for_applicant(*, actor: Any, public_id: Any) -> File:
    """One file the actor applies for; a foreign or missing id both raise FileNotFound."""
    file = _by_public_id(public_id)
    if file is None or not is_applicant(actor, file):
        raise FileNotFound(public_id)
    return file


def files_in_queue(
    *, actor: Any, authority_code: str, filters: FileFilters | None = None
) -> QuerySet[File]:
    """An authority's files for its officials: a region's submitted files, the Immigration
    Office's only once forwarded. Page it with Django's Paginator."""
    if authority_code not in account_permissions.official_authority_codes(actor):
        raise PermissionDenied("Not an official of this authority.")
    queryset = File.objects.exclude(state="draft").select_related(
        "authority", "employer", "mandatary"
    )
    if authority_code == IMMIGRATION_OFFICE:
        queryset = queryset.filter(stage="residence")
    else:
        # Once the work part is approved the file leaves the region's queue by itself (the
        # region keeps read access through file_for_official).
        queryset = queryset.filter(authority__code=authority_code, stage="work")
    return _apply_filters(queryset, filters, default_sort="due")


def file_for_official(*, actor: Any, public_id: Any) -> File:
    file = _by_public_id(public_id)
    if file is None or not may_view_as_official(actor, file):
        raise FileNotFound(public_id)
    return file


def _by_public_id(public_id: Any) -> File | None:
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except (ValueError, TypeError, AttributeError):
        return None  # a malformed id is simply not found
    return (
        File.objects.select_related("authority", "employer", "mandatary")
        .filter(public_id=key)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    action: str
    label: str
    from_state: str
    to_state: str
    state_label: str
    actor_name: str
    capacity: str
    capacity_detail: str
    message: str
    internal_note: str


APPLICANT = "applicant"
OFFICIAL = "official"


def timeline(*, file: File, audience: str) -> list[TimelineEntry]:
    """The file's history in the words users know; applicants do not see internal notes,
    nor the names of officials."""
    procedure = get_procedure(file.procedure_code)
    entries = []
    for event in FileEvent.objects.filter(file=file).select_related("actor").order_by("at", "pk"):
        try:
            to_label = str(procedure.state(event.to_state).label) if event.to_state else ""
        except KeyError:
            to_label = event.to_state
        show_name = audience == OFFICIAL or event.capacity != FileEvent.Capacity.OFFICIAL
        entries.append(
            TimelineEntry(
                at=event.at,
                action=event.action,
                label=str(EVENT_LABELS.get(event.action, event.action)),
                from_state=event.from_state,
                to_state=event.to_state,
                state_label=to_label,
                actor_name=(event.actor.get_full_name() or event.actor.get_username())
                if event.actor is not None and show_name
                else "",
                capacity=event.capacity,
                capacity_detail=event.capacity_detail,
                message=event.message,
                internal_note=event.internal_note if audience == OFFICIAL else "",
            )
        )
    return entries


def file_deadline(file: File) -> tuple[date | None, bool]:
    """The next deadline and whether it has passed today: for list rows."""
    return next_deadline(file), is_overdue(file, clock.today())
