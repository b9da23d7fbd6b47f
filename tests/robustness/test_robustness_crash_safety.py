"""Nothing is lost: a submission, a decision and a notification survive a crash of the web
process, of the worker or of an external service, and are delivered exactly once.

Faults are injected only at the boundary of our system: the storage the outbox writes to, the
eBox simulator's switches, a real worker process killed with SIGKILL. Our own code runs as is.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from robustness_helpers import EMPLOYER, build_world, client_for, run_worker, state_of_the_world

from wib.connectors.base import connector_for
from wib.core.identifiers import make_enterprise_number
from wib.deliveries import services as delivery_services
from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.deliveries.services import enqueue_delivery, process_outbox
from wib.documents.models import StoredDocument
from wib.files.models import Decision, FileEvent
from wib.files.services import decide_work_part, declare_admissible
from wib.simulators.models import SimulatedEboxMessage
from wib.simulators.switches import EBOX_DOWN, EBOX_SLOW, SLOW_ANSWER_SECONDS, set_down

RECIPIENT = make_enterprise_number(4_030_190)
SUBJECT = {"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}
ROOT = Path(__file__).resolve().parents[2]


class StorageFailure(OSError):
    """The disk or object store refuses a write (full, unreachable)."""


@pytest.fixture
def outbox_storage_fails(monkeypatch):
    """Writing an outbox attachment fails: the last write of a submission or a decision, after
    the file's new status, its history row and its audit record were written."""

    original = FileSystemStorage._save

    def failing_save(self: FileSystemStorage, name: str, content: Any) -> str:
        if name.startswith("deliveries/"):
            raise StorageFailure("No space left on device")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)


def _media_files(settings: Any) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


# --- (a) the web process dies in the middle of a change --------------------------------------


def test_a_submission_that_crashes_before_commit_leaves_the_draft_untouched(
    db, settings, outbox_storage_fails, monkeypatch
):
    world = build_world()
    draft = world.draft
    before = state_of_the_world()
    files_before = _media_files(settings)
    url = reverse("web:applications:check", kwargs={"public_id": draft.public_id})
    crashing = client_for(world, EMPLOYER, raise_request_exception=False)

    response = crashing.post(url, {"declaration": "on", "version": draft.version})

    assert response.status_code == 500
    assert state_of_the_world() == before
    draft.refresh_from_db()
    assert (draft.state, draft.receipt_id, draft.submitted_at) == ("draft", None, None)
    assert not FileEvent.objects.filter(file=draft, action="submit").exists()
    assert not OutboxMessage.objects.filter(related_file_id=str(draft.public_id)).exists()
    # No document row without its bytes. The receipt's bytes, written before the crash, stay
    # behind unreferenced (storage is not transactional): nothing points at them.
    referenced = set(StoredDocument.objects.values_list("file", flat=True))
    assert referenced <= _media_files(settings)
    assert not referenced & (_media_files(settings) - files_before)

    # The storage is back: the same form, sent again, submits once with all its messages.
    monkeypatch.undo()
    again = client_for(world, EMPLOYER).post(url, {"declaration": "on", "version": draft.version})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert FileEvent.objects.filter(file=draft, action="submit").count() == 1
    messages = OutboxMessage.objects.filter(related_file_id=str(draft.public_id))
    assert messages.exists()
    assert all(message.attachments.count() <= 1 for message in messages)


def test_a_decision_that_crashes_before_commit_leaves_no_decision_and_no_message(
    db, outbox_storage_fails
):
    world = build_world()
    file = world.submitted
    declare_admissible(file=file, actor=world.official_user, expected_version=file.version)
    file.refresh_from_db()
    before = state_of_the_world()

    with pytest.raises(StorageFailure):
        decide_work_part(
            file=file, actor=world.official_user, approve=True, expected_version=file.version
        )

    assert state_of_the_world() == before
    file.refresh_from_db()
    assert file.state == "admissible"
    assert not Decision.objects.filter(file=file).exists()


# --- the eBox simulator, served by the live server --------------------------------------------


@pytest.fixture
def ebox(live_server, settings, transactional_db):
    settings.WIB_EBOX_URL = live_server.url + "/simulators/ebox"
    settings.WIB_SIMULATORS_ENABLED = True
    return settings.WIB_EBOX_URL


def _enqueue(key: str, recipient: str = RECIPIENT) -> OutboxMessage:
    return enqueue_delivery(
        channel="ebox",
        recipient=recipient,
        subject=SUBJECT,
        body=SUBJECT,
        message_type="WIB_DECISION",
        idempotency_key=key,
        related_file_id="file-crash",
    )


def _received_once(keys: list[str]) -> None:
    """The eBox holds each message exactly once, and the outbox knows it was delivered."""
    counts = dict(
        SimulatedEboxMessage.objects.values_list("business_id")
        .annotate(count=Count("id"))
        .values_list("business_id", "count")
    )
    assert counts == dict.fromkeys(keys, 1)
    for key in keys:
        message = OutboxMessage.objects.get(idempotency_key=key)
        assert message.status == DeliveryStatus.DELIVERED, (key, message.last_error)


# --- (b) the worker dies after claiming a message ---------------------------------------------


def test_a_message_left_delivering_by_a_dead_worker_is_released_and_delivered_once(ebox):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        message = _enqueue("crash-after-claim")
        # The worker claims the message and dies before calling the eBox.
        assert delivery_services._claim(message.id) is not None
        run_worker()
        assert OutboxMessage.objects.get(id=message.id).status == DeliveryStatus.DELIVERING
        assert process_outbox() == {"released": 0, "enqueued": 0}

        traveller.shift(datetime.timedelta(seconds=django_settings.WIB_DELIVERY_LEASE_SECONDS + 1))
        assert process_outbox() == {"released": 1, "enqueued": 1}
        run_worker()

    _received_once(["crash-after-claim"])
    assert OutboxMessage.objects.get(id=message.id).attempts == 2


def test_a_worker_that_dies_after_the_ebox_took_the_message_does_not_send_it_twice(ebox):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        message = _enqueue("crash-after-call")
        claimed, _started = delivery_services._claim(message.id)
        # The eBox receives the publication; the worker dies before recording the answer.
        connector_for("ebox").deliver(delivery_services._delivery_request(claimed))
        assert SimulatedEboxMessage.objects.count() == 1

        traveller.shift(datetime.timedelta(seconds=django_settings.WIB_DELIVERY_LEASE_SECONDS + 1))
        process_outbox()
        run_worker()

    _received_once(["crash-after-call"])


# --- (c) a real worker process killed while the eBox is down ----------------------------------


def _wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Wait for another process to get somewhere (polling the database it writes to)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _worker_process(ebox_url: str, media_root: Path) -> subprocess.Popen:
    url = urlsplit(os.environ["DATABASE_URL"])
    environment = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "DJANGO_SETTINGS_MODULE": "wib.config.settings.dev",
        "WIB_EBOX_URL": ebox_url,
        "WIB_MEDIA_ROOT": str(media_root),
        # Retry quickly and without end, so that the outage, not the budget, decides.
        "WIB_DELIVERY_BACKOFF_SECONDS": "1",
        "WIB_DELIVERY_BACKOFF_CAP_SECONDS": "1",
        "WIB_DELIVERY_MAX_ATTEMPTS": "1000",
        "WIB_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _attempts(keys: list[str]) -> list[int]:
    return list(
        OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("attempts", flat=True)
    )


def test_a_worker_killed_during_an_ebox_outage_delivers_everything_once_after_restart(
    ebox, settings
):
    keys = [f"outage-{number}" for number in range(3)]
    set_down(EBOX_DOWN, down=True)
    for key in keys:
        _enqueue(key)

    if connection.vendor == "postgresql":
        # Real processes, as in production: the worker fails against the outage, is killed
        # without warning, and a new one starts once the eBox is back.
        worker = _worker_process(ebox, settings.MEDIA_ROOT)
        try:
            _wait_for(
                lambda: min(_attempts(keys)) >= 2, seconds=180, what="retries during the outage"
            )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        assert SimulatedEboxMessage.objects.count() == 0
        set_down(EBOX_DOWN, down=False)
        # Whatever the killed worker held is released once its (here short) lease is over.
        settings.WIB_DELIVERY_LEASE_SECONDS = 1

        def released() -> bool:
            process_outbox()
            return not OutboxMessage.objects.filter(
                idempotency_key__in=keys, status=DeliveryStatus.DELIVERING
            ).exists()

        _wait_for(released, seconds=60, what="the killed worker's lease to end")
        worker = _worker_process(ebox, settings.MEDIA_ROOT)
        try:
            _wait_for(
                lambda: (
                    OutboxMessage.objects.filter(
                        idempotency_key__in=keys, status=DeliveryStatus.DELIVERED
                    ).count()
                    == len(keys)
                ),
                seconds=180,
                what="delivery after the restart",
            )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
    else:
        # The SQLite test database lives in this process: the worker's loop runs here, and
        # "killed" is a claim that is never completed.
        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            run_worker()
            assert _attempts(keys) == [1, 1, 1]
            traveller.shift(datetime.timedelta(seconds=settings.WIB_DELIVERY_BACKOFF_SECONDS))
            abandoned = OutboxMessage.objects.get(idempotency_key=keys[0])
            assert delivery_services._claim(abandoned.id) is not None
            set_down(EBOX_DOWN, down=False)
            traveller.shift(datetime.timedelta(seconds=settings.WIB_DELIVERY_LEASE_SECONDS + 1))
            assert process_outbox()["released"] == 1
            run_worker()

    _received_once(keys)


# --- (d) an external service that answers too slowly -----------------------------------------


def test_a_slow_ebox_is_retried_and_the_message_arrives_once(ebox, settings):
    settings.WIB_CONNECTOR_READ_TIMEOUT_SECONDS = SLOW_ANSWER_SECONDS / 4
    set_down(EBOX_SLOW, down=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        message = _enqueue("slow-ebox")
        run_worker()
        message.refresh_from_db()
        assert message.status == DeliveryStatus.PENDING
        assert "ReadTimeout" in message.last_error
        # The eBox did take it: the retry must not make a second one.
        assert SimulatedEboxMessage.objects.filter(business_id="slow-ebox").count() == 1

        set_down(EBOX_SLOW, down=False)
        traveller.shift(delivery_services.backoff_delay(1))
        run_worker()

    _received_once(["slow-ebox"])
    message.refresh_from_db()
    assert message.attempts == 2


def test_a_submission_after_a_crash_reaches_the_ebox_once(ebox, settings, monkeypatch):
    """End to end: the crashed submission sent nothing; the retried one arrives once."""
    with translation.override("en"):
        world = build_world()
        draft = world.draft
        url = reverse("web:applications:check", kwargs={"public_id": draft.public_id})
        original = FileSystemStorage._save

        def failing_save(self: FileSystemStorage, name: str, content: Any) -> str:
            if name.startswith("deliveries/"):
                raise StorageFailure("No space left on device")
            return original(self, name, content)

        monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
        crashed = client_for(world, EMPLOYER, raise_request_exception=False).post(
            url, {"declaration": "on", "version": draft.version}
        )
        assert crashed.status_code == 500
        run_worker()
        assert SimulatedEboxMessage.objects.count() == 0

        monkeypatch.undo()
        assert Client().get("/healthz").status_code == 200
        submitted = client_for(world, EMPLOYER).post(
            url, {"declaration": "on", "version": draft.version}
        )
        assert submitted.status_code == 302
        run_worker()
        run_worker()

    keys = list(
        OutboxMessage.objects.filter(
            related_file_id=str(draft.public_id), channel="ebox"
        ).values_list("idempotency_key", flat=True)
    )
    assert keys
    _received_once(keys)
