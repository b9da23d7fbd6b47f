"""The background task that delivers one outbox message (run by `manage.py db_worker`)."""

from django_tasks import task

from .services import deliver_message


@task()
def deliver_outbox_message(message_id: str) -> str:
    """Deliver one message; idempotent, so running it twice or late is harmless."""
    return deliver_message(message_id=message_id)
