"""The demo eBox page: what the eBox simulator received, after the outbox worker delivered it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker
from factories import complete_draft

from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.files import services


def run_worker() -> None:
    """Run every task that is due, as `manage.py db_worker --batch` does, in this process."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def ebox(live_server, settings, transactional_db):
    settings.WIB_EBOX_URL = live_server.url + "/simulators/ebox"
    settings.WIB_SIMULATORS_ENABLED = True


def test_the_ebox_page_shows_the_delivered_messages_with_their_attachment(
    ebox, new_employer, sign_in
):
    employer = new_employer("linkebeek")
    with translation.override("nl"):
        file = complete_draft(actor=employer.user, employer=employer.enterprise)
    services.submit_file(file=file, actor=employer.user, declaration_accepted=True)
    client = sign_in(employer)

    before = client.get(reverse("web:applications:ebox")).content.decode()
    assert "There are no messages in this eBox." in before

    run_worker()
    assert OutboxMessage.objects.filter(
        channel="ebox", recipient=employer.enterprise.number, status=DeliveryStatus.DELIVERED
    ).exists()

    page = client.get(reverse("web:applications:ebox"))
    html = page.content.decode()
    assert "demonstration stand-in for the government's eBox" in html
    assert f"Your application {file.reference} has been submitted" in html
    [message] = page.context["ebox_messages"]
    [attachment] = message.attachments
    download = client.get(
        reverse(
            "web:applications:ebox-attachment",
            kwargs={"message_id": message.id, "part": attachment.part},
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    with translation.override("fr"):
        french = client.get(reverse("web:applications:ebox")).content.decode()
    # The subject in the reader's language (nl/fr/de); English readers get the English one.
    assert message.subject["fr"] != message.subject["en"]
    assert message.subject["fr"] in french

    # Another enterprise's user sees neither the message nor its attachment.
    other = new_employer("waterloo")
    client.logout()
    client = sign_in(other)
    assert (
        "There are no messages in this eBox."
        in client.get(reverse("web:applications:ebox")).content.decode()
    )
    assert (
        client.get(
            reverse(
                "web:applications:ebox-attachment",
                kwargs={"message_id": message.id, "part": attachment.part},
            )
        ).status_code
        == 404
    )
