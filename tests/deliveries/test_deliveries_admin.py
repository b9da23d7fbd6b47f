"""The operators' admin for the outbox: read-only, with a retry action for failed messages."""

import pytest
from delivery_helpers import enterprise_number
from django.urls import reverse

from wib.accounts.testing import login_with_second_factor
from wib.deliveries.models import DeliveryStatus, OutboxMessage
from wib.deliveries.services import enqueue_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client, admin_user):
    login_with_second_factor(client, admin_user)
    return client


SUBJECT = {"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung"}


def make_message(key: str, status: str) -> OutboxMessage:
    message = enqueue_delivery(
        channel="ebox",
        recipient=enterprise_number(4030190),
        subject=SUBJECT,
        body={},
        message_type="WIB_DECISION",
        idempotency_key=key,
    )
    OutboxMessage.objects.filter(id=message.id).update(status=status, attempts=8)
    return message


def test_the_retry_action_reschedules_failed_messages_and_leaves_others(
    operator_client, admin_user
):
    failed = make_message("failed", DeliveryStatus.FAILED)
    delivered = make_message("delivered", DeliveryStatus.DELIVERED)
    response = operator_client.post(
        reverse("admin:deliveries_outboxmessage_changelist"),
        {"action": "retry_selected", "_selected_action": [str(failed.id), str(delivered.id)]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert (failed.status, failed.attempts, failed.retried_by) == (
        DeliveryStatus.PENDING,
        0,
        admin_user,
    )
    assert delivered.status == DeliveryStatus.DELIVERED
    assert delivered.retried_by is None


def test_outbox_messages_cannot_be_edited_or_deleted_in_the_admin(operator_client):
    message = make_message("failed", DeliveryStatus.FAILED)
    changelist = operator_client.get(reverse("admin:deliveries_outboxmessage_changelist"))
    assert changelist.status_code == 200
    assert str(message.id) in changelist.content.decode()
    change_url = reverse("admin:deliveries_outboxmessage_change", args=[message.id])
    page = operator_client.get(change_url)
    assert page.status_code == 200
    operator_client.post(change_url, {"recipient": "0000000097", "status": "delivered"})
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED
    delete = operator_client.get(
        reverse("admin:deliveries_outboxmessage_delete", args=[message.id])
    )
    assert delete.status_code == 403
