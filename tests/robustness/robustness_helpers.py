"""Shared data and measures for the robustness tests: a small world, the routes, row counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tasks_db.management.commands.db_worker import Worker
from factories import (
    EnterpriseFactory,
    EstablishmentUnitFactory,
    FileFactory,
    MembershipFactory,
    UserFactory,
    complete_draft,
    official,
)

from wib.accounts.testing import act_for, login_with_second_factor
from wib.audit.models import AuditRecord
from wib.deliveries.models import OutboxMessage
from wib.documents.models import StoredDocument
from wib.files.models import Decision, File, FileDocument, FileEvent, InformationRequest

ANONYMOUS, EMPLOYER, OFFICIAL, ADMIN = "anonymous", "employer", "official", "admin"
ROLES = (ANONYMOUS, EMPLOYER, OFFICIAL, ADMIN)
# Consultations are recorded on every page view (also when a form is shown again): they are
# evidence of reading, not a change of the file.
CONSULTATIONS = ("file.viewed", "document.downloaded")


@dataclass
class World:
    employer: Any = None
    employer_user: Any = None
    official_user: Any = None
    admin_user: Any = None
    draft: Any = None
    submitted: Any = None
    sessions: dict[str, str] = field(default_factory=dict)


def build_world() -> World:
    world = World()
    world.employer = EnterpriseFactory()
    EstablishmentUnitFactory(
        enterprise=world.employer, postcode="2000", municipality_refnis="11002"
    )
    world.employer_user = MembershipFactory(enterprise=world.employer).user
    world.official_user = official("flanders")
    world.admin_user = UserFactory(is_staff=True, is_superuser=True)
    world.draft = complete_draft(actor=world.employer_user, employer=world.employer)
    world.submitted = FileFactory(
        employer=world.employer, created_by=world.employer_user, state="submitted"
    )
    world.sessions = {
        EMPLOYER: _session(world.employer_user, acting=world.employer),
        OFFICIAL: _session(world.official_user, second_factor=True),
        ADMIN: _session(world.admin_user, second_factor=True),
    }
    return world


def _session(user: Any, *, second_factor: bool = False, acting: Any = None) -> str:
    client = Client()
    if second_factor:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    if acting is not None:
        act_for(client, acting)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_for(world: World, role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name or str(pattern.pattern)}", pattern


def all_routes() -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the product, named `namespace:name` (or by its pattern)."""
    return list(_walk(get_resolver().url_patterns))


def state_of_the_world() -> dict[str, Any]:
    """What a rejected submission must leave untouched: rows of every kind a change writes,
    and each file's status, version and answers."""
    return {
        "files": File.objects.count(),
        "events": FileEvent.objects.count(),
        "requests": InformationRequest.objects.count(),
        "file_documents": FileDocument.objects.count(),
        "decisions": Decision.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "documents": StoredDocument.objects.count(),
        "audit": AuditRecord.objects.exclude(action__in=CONSULTATIONS).count(),
        "drafts": sorted(
            (str(public_id), state, version, repr(sections))
            for public_id, state, version, sections in File.objects.values_list(
                "public_id", "state", "version", "sections"
            )
        ),
    }


_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.I)
_TYPE = re.compile(r'\btype="([^"]+)"', re.I)


def form_fields(html: str) -> tuple[list[str], list[str]]:
    """(ordinary field names, file field names) of the forms on a page."""
    names, files = [], []
    for match in _FIELD.finditer(html):
        name = match.group(1)
        if name == "csrfmiddlewaretoken":
            continue
        kind = _TYPE.search(match.group(0))
        target = files if kind and kind.group(1).lower() == "file" else names
        if name not in target:
            target.append(name)
    return names, files


def run_worker() -> None:
    """Run every task that is due, as `manage.py db_worker --batch` does, in this process."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="robustness-worker",
        excluded_queue_names=[],
    ).run()
