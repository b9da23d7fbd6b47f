"""Stored bytes that no row points at are deleted after a grace period; everything else stays."""

import datetime
import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from wib.deliveries.models import OutboxAttachmentFile
from wib.deliveries.services import OutboxAttachment, enqueue_delivery
from wib.documents import StoredDocument, store_upload
from wib.documents.housekeeping import find_orphan_files, purge_orphan_files

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
NOW = timezone.now()
TWO_DAYS_AGO = NOW - datetime.timedelta(days=2)


class Crash(Exception):
    """The submission fails after its upload was stored."""


def age(name, moment=TWO_DAYS_AGO):
    """Set the stored file's modification time, as if it had been written at that moment."""
    stamp = moment.timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))


def crashed_upload(user):
    """A submission that stored its upload and then rolled back: the bytes stay behind."""
    stored = []
    with pytest.raises(Crash), transaction.atomic():
        document = store_upload(
            uploaded_file=SimpleUploadedFile("contract.pdf", PDF), uploaded_by=user
        )
        stored.append(document.file.name)
        raise Crash
    assert not StoredDocument.objects.filter(file=stored[0]).exists()
    return stored[0]


def delivery(key):
    return enqueue_delivery(
        channel="ebox",
        recipient="0403170701",
        subject={"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung", "en": "Decision"},
        body={"nl": "-", "fr": "-", "de": "-", "en": "-"},
        message_type="decision",
        attachments=[OutboxAttachment("decision.pdf", PDF, "application/pdf")],
        idempotency_key=key,
    )


@pytest.fixture
def storage_world():
    user = get_user_model().objects.create_user(username="uploader", password="x" * 16)
    kept_document = store_upload(
        uploaded_file=SimpleUploadedFile("passport.pdf", PDF), uploaded_by=user
    )
    old_orphan = crashed_upload(user)
    fresh_orphan = crashed_upload(user)
    kept_attachment = delivery("kept").attachments.get().file.name
    stored = []
    with pytest.raises(Crash), transaction.atomic():
        stored.append(delivery("rolled-back").attachments.get().file.name)
        raise Crash
    attachment_orphan = stored[0]
    unowned = default_storage.save("elsewhere/notes.txt", ContentFile(b"not ours"))
    for name in (kept_document.file.name, old_orphan, kept_attachment, attachment_orphan, unowned):
        age(name)
    return {
        "kept_document": kept_document.file.name,
        "kept_attachment": kept_attachment,
        "old_orphan": old_orphan,
        "fresh_orphan": fresh_orphan,
        "attachment_orphan": attachment_orphan,
        "unowned": unowned,
    }


def test_old_orphans_go_and_referenced_or_fresh_files_stay(storage_world):
    removed = purge_orphan_files(now=NOW)

    assert sorted(orphan.name for orphan in removed) == sorted(
        [storage_world["old_orphan"], storage_world["attachment_orphan"]]
    )
    assert all(orphan.size == len(PDF) for orphan in removed)
    assert not default_storage.exists(storage_world["old_orphan"])
    assert not default_storage.exists(storage_world["attachment_orphan"])
    for name in ("kept_document", "kept_attachment", "fresh_orphan", "unowned"):
        assert default_storage.exists(storage_world[name]), name
    # The rows were not touched, and a second run finds nothing more.
    assert StoredDocument.objects.count() == 1
    assert OutboxAttachmentFile.objects.count() == 1
    assert purge_orphan_files(now=NOW) == []


def test_the_grace_period_is_configurable(storage_world, settings):
    settings.WIB_ORPHAN_FILE_GRACE_SECONDS = 3 * 24 * 3600
    assert find_orphan_files(now=NOW) == []
    later = timezone.now() + datetime.timedelta(seconds=1)
    names = {orphan.name for orphan in find_orphan_files(now=later, grace=datetime.timedelta(0))}
    assert storage_world["fresh_orphan"] in names


def test_a_dry_run_removes_nothing(storage_world):
    reported = purge_orphan_files(now=NOW, dry_run=True)
    assert len(reported) == 2
    for name in storage_world.values():
        assert default_storage.exists(name), name


def test_the_command_prints_what_it_removed(storage_world):
    out = io.StringIO()
    call_command("housekeeping", "--dry-run", stdout=out)
    assert "orphan files: would remove 2" in out.getvalue()
    assert storage_world["old_orphan"] in out.getvalue()
    assert default_storage.exists(storage_world["old_orphan"])

    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert f"orphan files: removed 2 ({2 * len(PDF)} bytes)" in out.getvalue()
    assert storage_world["attachment_orphan"] in out.getvalue()
    assert not default_storage.exists(storage_world["old_orphan"])
    assert default_storage.exists(storage_world["kept_document"])


def test_a_storage_without_any_files_yet_is_fine():
    assert purge_orphan_files(now=NOW) == []
