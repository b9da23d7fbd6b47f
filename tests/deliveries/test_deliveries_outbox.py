"""The outbox against the database: idempotency, transactions, back-off, the safety net."""

from datetime import timedelta

import pytest
from delivery_helpers import PDF, enterprise_number
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.deliveries.services import (
    NotRetryable,
    OutboxAttachment,
    backoff_delay,
    enqueue_delivery,
    process_outbox,
    retry_failed_delivery,
)

pytestmark = pytest.mark.django_db

SUBJECT = {"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}
BODY = {"nl": "Zie bijlage.", "fr": "Voir annexe.", "de": "Siehe Anlage.", "en": "See attachment."}


def enqueue(key: str = "decision-1", **overrides):
    arguments = {
        "channel": "ebox",
        "recipient": enterprise_number(4030190),
        "subject": SUBJECT,
        "body": BODY,
        "message_type": "WIB_DECISION",
        "idempotency_key": key,
        "related_file_id": "file-1",
    }
    arguments.update(overrides)
    return enqueue_delivery(**arguments)


def delivery_tasks():
    return DBTaskResult.objects.filter(task_path="wib.deliveries.tasks.deliver_outbox_message")


def test_enqueue_writes_the_message_its_attachment_and_one_task():
    message = enqueue(
        attachments=[OutboxAttachment("decision.pdf", PDF, "application/pdf")],
    )
    assert message.status == DeliveryStatus.PENDING
    attachment = message.attachments.get()
    assert attachment.size == len(PDF)
    assert attachment.file.read() == PDF
    assert len(attachment.sha256) == 64
    task = delivery_tasks().get()
    assert task.args_kwargs["args"] == [str(message.id)]


def test_the_same_idempotency_key_twice_gives_one_message_and_one_task():
    first = enqueue()
    second = enqueue(subject={**SUBJECT, "en": "Changed"})
    assert first.id == second.id
    assert OutboxMessage.objects.count() == 1
    assert delivery_tasks().count() == 1
    assert OutboxMessage.objects.get().subject["en"] == "Decision"


def test_a_rolled_back_caller_leaves_neither_message_nor_task():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the state change failed")
    assert OutboxMessage.objects.count() == 0
    assert delivery_tasks().count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"channel": "fax"}, "channel"),
        ({"subject": {"nl": "Beslissing", "fr": "Décision"}}, "de"),
        ({"recipient": "12345"}, "eBox recipient"),
        ({"idempotency_key": " "}, "idempotency"),
        (
            {
                "attachments": [
                    OutboxAttachment(f"{n}.pdf", PDF, "application/pdf") for n in range(7)
                ]
            },
            "at most 6",
        ),
    ],
)
def test_enqueue_refuses_what_could_never_be_delivered(overrides, reason):
    with pytest.raises(ValueError, match=reason):
        enqueue(**overrides)
    assert OutboxMessage.objects.count() == 0


def test_an_authority_without_a_system_gets_not_applicable_and_no_task(settings):
    settings.WIB_AUTHORITY_SYSTEM_URLS = {}
    message = enqueue(channel="authority-system", recipient="wallonia")
    assert message.status == DeliveryStatus.NOT_APPLICABLE
    assert delivery_tasks().count() == 0


def test_backoff_doubles_from_the_base_up_to_the_cap(settings):
    settings.WIB_DELIVERY_BACKOFF_SECONDS = 30
    settings.WIB_DELIVERY_BACKOFF_CAP_SECONDS = 3600
    delays = [backoff_delay(attempts).total_seconds() for attempts in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_process_outbox_releases_a_claim_past_its_lease_and_schedules_it(settings):
    settings.WIB_DELIVERY_LEASE_SECONDS = 300
    now = timezone.now()
    stuck = enqueue("stuck")
    fresh = enqueue("fresh")
    OutboxMessage.objects.filter(id=stuck.id).update(
        status=DeliveryStatus.DELIVERING, claimed_at=now - timedelta(minutes=6), attempts=1
    )
    OutboxMessage.objects.filter(id=fresh.id).update(
        status=DeliveryStatus.DELIVERING, claimed_at=now - timedelta(minutes=1), attempts=1
    )
    DBTaskResult.objects.all().delete()

    result = process_outbox(now=now)

    assert result == {"released": 1, "enqueued": 1}
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == DeliveryStatus.PENDING
    assert fresh.status == DeliveryStatus.DELIVERING
    assert [task.args_kwargs["args"] for task in delivery_tasks()] == [[str(stuck.id)]]


def test_process_outbox_command_schedules_due_messages_only():
    due = enqueue("due")
    later = enqueue("later")
    OutboxMessage.objects.filter(id=later.id).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    DBTaskResult.objects.all().delete()
    call_command("process_outbox", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [task.args_kwargs["args"] for task in delivery_tasks()] == [[str(due.id)]]


def test_only_a_failed_message_can_be_retried(django_user_model):
    operator = django_user_model.objects.create_user(username="operator", password="x" * 12)
    message = enqueue()
    with pytest.raises(NotRetryable):
        retry_failed_delivery(message_id=message.id, actor=operator)
    message.refresh_from_db()
    assert message.retried_by is None


def test_retry_deliveries_command_reschedules_every_failed_message(django_user_model):
    operator = django_user_model.objects.create_user(username="operator", password="x" * 12)
    failed = enqueue("failed")
    untouched = enqueue("untouched")
    OutboxMessage.objects.filter(id=failed.id).update(status=DeliveryStatus.FAILED, attempts=8)
    DBTaskResult.objects.all().delete()

    call_command(
        "retry_deliveries",
        "--all-failed",
        "--operator",
        "operator",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )

    failed.refresh_from_db()
    untouched.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING
    assert failed.attempts == 0
    assert failed.retried_by == operator
    assert untouched.retried_by is None
    assert [task.args_kwargs["args"] for task in delivery_tasks()] == [[str(failed.id)]]
