"""Finding and deleting stored bytes that no database row points at any more.

Storage is not transactional: a submission that stored an upload (or an outbox message that
copied an attachment) and then rolled back or crashed leaves the bytes behind. Files are only
touched under the folders whose every file belongs to a known row, and only once older than a
grace period, so a file whose row is about to commit is never taken for an orphan.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

# Storage folder → the model and field whose rows own every file in it.
OWNED_FOLDERS = {
    "documents": ("documents.StoredDocument", "file"),
    "deliveries": ("deliveries.OutboxAttachmentFile", "file"),
}
_BATCH = 500


@dataclass(frozen=True)
class OrphanFile:
    name: str
    size: int
    modified_at: datetime.datetime


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def _unreferenced(model_label: str, field: str, names: list[str]) -> list[str]:
    model = apps.get_model(model_label)
    referenced = set(
        model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True)
    )
    return [name for name in names if name not in referenced]


def find_orphan_files(
    *,
    now: datetime.datetime | None = None,
    grace: datetime.timedelta | None = None,
    storage: Storage | None = None,
) -> list[OrphanFile]:
    """Files under the owned folders that no row points at and older than the grace period."""
    storage = storage or default_storage
    moment = now or timezone.now()
    cutoff = moment - (
        grace
        if grace is not None
        else datetime.timedelta(seconds=settings.WIB_ORPHAN_FILE_GRACE_SECONDS)
    )
    orphans: list[OrphanFile] = []
    for folder, (model_label, field) in OWNED_FOLDERS.items():
        old: dict[str, datetime.datetime] = {}
        for name in _walk(storage, folder):
            modified_at = storage.get_modified_time(name)
            if modified_at < cutoff:
                old[name] = modified_at
        names = sorted(old)
        for start in range(0, len(names), _BATCH):
            for name in _unreferenced(model_label, field, names[start : start + _BATCH]):
                orphans.append(OrphanFile(name, storage.size(name), old[name]))
    return orphans


def purge_orphan_files(
    *,
    now: datetime.datetime | None = None,
    grace: datetime.timedelta | None = None,
    dry_run: bool = False,
    storage: Storage | None = None,
) -> list[OrphanFile]:
    """Delete the orphan files (unless a dry run); returns what went (or would go)."""
    storage = storage or default_storage
    orphans = find_orphan_files(now=now, grace=grace, storage=storage)
    if not dry_run:
        for orphan in orphans:
            storage.delete(orphan.name)
    return orphans
