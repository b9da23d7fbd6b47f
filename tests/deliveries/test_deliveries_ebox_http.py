"""Delivering to the eBox over real HTTP, against the simulator served by the live server."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import httpx
import time_machine
from delivery_helpers import PDF, enterprise_number, run_worker
from django.conf import settings as django_settings
from django.db import connection

from wib.audit.selectors import records_for_target
from wib.audit.verification import verify_chain
from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.deliveries.selectors import deliveries_for_file, deliveries_needing_attention
from wib.deliveries.services import OutboxAttachment, enqueue_delivery, retry_failed_delivery
from wib.deliveries.tasks import deliver_outbox_message
from wib.simulators.ebox import messages_for
from wib.simulators.models import SimulatedEboxMessage, SimulatedEboxRecipient
from wib.simulators.switches import EBOX_ACCEPT_THEN_FAIL, EBOX_DOWN, set_down

SUBJECT = {"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung", "en": "Decision"}
BODY = {"nl": "Zie bijlage.", "fr": "Voir annexe.", "de": "Siehe Anlage.", "en": "See attachment."}
EMPLOYER = enterprise_number(4030190)
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def enqueue(key: str, recipient: str = EMPLOYER, attachments=()):
    return enqueue_delivery(
        channel="ebox",
        recipient=recipient,
        subject=SUBJECT,
        body=BODY,
        message_type="WIB_DECISION",
        attachments=attachments,
        idempotency_key=key,
        related_file_id="file-7",
    )


def test_a_message_with_a_pdf_reaches_the_ebox(ebox):
    message = enqueue(
        "decision-7", attachments=[OutboxAttachment("decision.pdf", PDF, "application/pdf")]
    )

    assert deliver_outbox_message.call(str(message.id)) == DeliveryStatus.DELIVERED

    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    assert message.delivered_at is not None
    [received] = messages_for(ebox_type="enterprise", ebox_id=EMPLOYER)
    assert message.external_id == received.id
    assert received.subject == SUBJECT
    assert received.body == BODY
    [attachment] = received.attachments
    assert (attachment.filename, attachment.content_type) == ("decision.pdf", "application/pdf")
    download = httpx.get(
        django_settings.WIB_EBOX_URL.rsplit("/simulators", 1)[0] + attachment.download_url
    )
    assert download.content == PDF
    assert "attachment" in download.headers["content-disposition"]
    listed = httpx.get(
        ebox + "/messages", params={"eboxType": "enterprise", "eboxIdValue": EMPLOYER}
    )
    assert listed.json()["totalItems"] == 1
    assert [summary.status for summary in deliveries_for_file(related_file_id="file-7")] == [
        "delivered"
    ]


def test_a_malformed_publication_is_refused_with_400_and_fails_for_good(ebox):
    # 11 digits, so a citizen's eBox, but the check digits are wrong: the eBox refuses it.
    message = enqueue("bad-citizen", recipient="85073100100")

    assert deliver_outbox_message.call(str(message.id)) == DeliveryStatus.FAILED

    message.refresh_from_db()
    assert message.attempts == 1
    assert "400" in message.last_error
    assert SimulatedEboxMessage.objects.count() == 0
    assert message in deliveries_needing_attention()


def test_ebox_down_means_retries_with_growing_backoff_then_each_message_arrives_once(ebox):
    set_down(EBOX_DOWN, down=True)
    with time_machine.travel(START, tick=False) as traveller:
        messages = [enqueue(f"decision-{number}") for number in range(3)]
        waits = []
        for attempt in range(1, 4):
            run_worker()
            for message in messages:
                message.refresh_from_db()
                assert (message.status, message.attempts) == (DeliveryStatus.PENDING, attempt)
                assert "503" in message.last_error
            wait = messages[0].next_attempt_at - datetime.now(tz=START.tzinfo)
            waits.append(wait)
            # Nothing runs before its time.
            traveller.shift(wait - timedelta(seconds=1))
            run_worker()
            assert all(
                OutboxMessage.objects.get(id=message.id).attempts == attempt for message in messages
            )
            traveller.shift(timedelta(seconds=1))
        assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]

        set_down(EBOX_DOWN, down=False)
        run_worker()
        run_worker()

    for message in messages:
        message.refresh_from_db()
        assert (message.status, message.attempts) == (DeliveryStatus.DELIVERED, 4)
        assert message.attempt_history.count() == 4
    assert SimulatedEboxMessage.objects.filter(ebox_id=EMPLOYER).count() == 3


def test_a_spent_budget_fails_visibly_and_the_operator_retry_delivers_once(
    ebox, settings, django_user_model
):
    settings.WIB_DELIVERY_MAX_ATTEMPTS = 3
    operator = django_user_model.objects.create_user(username="operator", password="x" * 12)
    set_down(EBOX_DOWN, down=True)
    with time_machine.travel(START, tick=False) as traveller:
        message = enqueue("decision-budget")
        for _attempt in range(3):
            run_worker()
            traveller.shift(timedelta(hours=1))
        message.refresh_from_db()
        assert (message.status, message.attempts) == (DeliveryStatus.FAILED, 3)
        run_worker()
        assert OutboxMessage.objects.get(id=message.id).attempts == 3

        set_down(EBOX_DOWN, down=False)
        retry_failed_delivery(message_id=message.id, actor=operator)
        run_worker()

    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    assert message.retried_by == operator
    assert SimulatedEboxMessage.objects.count() == 1
    trail = records_for_target(target_type="outbox_message", target_id=str(message.id))
    assert [(record.action, record.actor) for record in trail] == [
        ("delivery.failed", None),
        ("delivery.retry", operator),
        ("delivery.delivered", None),
    ]
    assert verify_chain().ok


def test_a_lost_answer_is_retried_without_a_second_message(ebox):
    set_down(EBOX_ACCEPT_THEN_FAIL, down=True)
    with time_machine.travel(START, tick=False) as traveller:
        message = enqueue("decision-lost-answer")
        run_worker()
        message.refresh_from_db()
        assert message.status == DeliveryStatus.PENDING
        assert "504" in message.last_error
        assert SimulatedEboxMessage.objects.count() == 1

        set_down(EBOX_ACCEPT_THEN_FAIL, down=False)
        traveller.shift(timedelta(seconds=30))
        run_worker()

    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    stored = SimulatedEboxMessage.objects.get()
    assert message.external_id == str(stored.id)
    assert stored.business_id == "decision-lost-answer"


def test_an_enterprise_that_never_opened_its_ebox_needs_a_paper_letter(ebox):
    SimulatedEboxRecipient.objects.create(
        ebox_type="enterprise", ebox_id=EMPLOYER, has_opened_ebox=False
    )
    message = enqueue("decision-paper")

    assert deliver_outbox_message.call(str(message.id)) == DeliveryStatus.PAPER_REQUIRED

    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.external_id == str(SimulatedEboxMessage.objects.get().id)
    assert message.last_error == "NO_DIGITAL_USER"
    assert message in deliveries_needing_attention()


def test_the_db_worker_delivers_the_message(ebox, settings, tmp_path):
    message = enqueue(
        "decision-worker", attachments=[OutboxAttachment("a.pdf", PDF, "application/pdf")]
    )
    if connection.vendor == "postgresql":
        # A separate process, as in production, against the test database.
        url = urlsplit(os.environ["DATABASE_URL"])
        test_database = connection.settings_dict["NAME"]
        environment = {
            **os.environ,
            "DATABASE_URL": urlunsplit(url._replace(path="/" + test_database)),
            "DJANGO_SETTINGS_MODULE": "wib.config.settings.dev",
            "WIB_EBOX_URL": ebox,
            "WIB_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=Path(__file__).resolve().parents[2],
            env=environment,
            check=True,
            timeout=120,
            capture_output=True,
        )
    else:
        # The test database is in memory: the worker's own loop runs in this process instead.
        run_worker()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    [received] = SimulatedEboxMessage.objects.all()
    assert received.attachments.get().sha256 == message.attachments.get().sha256
