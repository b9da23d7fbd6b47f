"""Delivering a file to an authority's own system over real HTTP (the agency simulator)."""

import base64
import hashlib

import httpx
from delivery_helpers import PDF, run_worker

from wib.deliveries.models import DeliveryStatus
from wib.deliveries.services import OutboxAttachment, enqueue_delivery
from wib.simulators.models import SimulatedAgencySubmission
from wib.simulators.switches import agency_switch, set_down

SUBJECT = {"nl": "Nieuw dossier", "fr": "Nouveau dossier", "de": "Neue Akte", "en": "New file"}


def enqueue(key: str):
    return enqueue_delivery(
        channel="authority-system",
        recipient="flanders",
        subject=SUBJECT,
        body={"en": "A new application."},
        message_type="WIB_FILE_SUBMITTED",
        attachments=[OutboxAttachment("passport.pdf", PDF, "application/pdf")],
        idempotency_key=key,
        related_file_id="file-9",
    )


def test_a_file_reaches_the_authority_system_once_even_after_an_outage(
    live_server, settings, transactional_db
):
    settings.WIB_AUTHORITY_SYSTEM_URLS = {
        "flanders": live_server.url + "/simulators/agency/flanders/files"
    }
    set_down(agency_switch("flanders"), down=True)
    message = enqueue("submitted-file-9")
    run_worker()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.PENDING
    assert SimulatedAgencySubmission.objects.count() == 0

    set_down(agency_switch("flanders"), down=False)
    message.next_attempt_at = None
    message.save(update_fields=["next_attempt_at"])
    from wib.deliveries.tasks import deliver_outbox_message

    assert deliver_outbox_message.call(str(message.id)) == DeliveryStatus.DELIVERED
    # A duplicate task, as after a crash, changes nothing.
    assert deliver_outbox_message.call(str(message.id)) == DeliveryStatus.DELIVERED

    submission = SimulatedAgencySubmission.objects.get()
    message.refresh_from_db()
    assert message.external_id == str(submission.id)
    assert submission.authority_code == "flanders"
    assert submission.payload["relatedFileId"] == "file-9"
    [attachment] = submission.payload["attachments"]
    assert base64.b64decode(attachment["contentBase64"]) == PDF
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    listed = httpx.get(live_server.url + "/simulators/agency/flanders/files").json()
    assert listed["totalItems"] == 1
