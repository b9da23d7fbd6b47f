"""Helpers for the outbox tests: a sample PDF, enterprise numbers, and a worker run in-process."""

from django_tasks_db.management.commands.db_worker import Worker

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def enterprise_number(base: int) -> str:
    """A valid enterprise number (mod 97) from an 8-digit base."""
    return f"{base:08d}{97 - base % 97:02d}"


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
