"""Concurrent appends queue on the chain head: the chain never forks."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from wib.audit import record_event, verify_chain
from wib.audit.models import AuditRecord


def append_one(user, target_id: str) -> None:
    # SQLite's shared-cache in-memory test database answers a concurrent writer with
    # "table is locked" at once instead of waiting out its busy timeout; retrying here stands
    # in for that wait. PostgreSQL needs no retry: the second writer blocks on the head's lock.
    for _attempt in range(100_000):
        try:
            with transaction.atomic():
                record_event(
                    actor=user, action="file.viewed", target_type="file", target_id=target_id
                )
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
    raise AssertionError("the other writer never released the database")


@pytest.mark.django_db(transaction=True)
def test_two_writers_appending_at_once_produce_one_unbroken_chain(django_user_model):
    django_user_model.objects.create_user(username="writer", password="x" * 12)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append(name: str) -> None:
        try:
            user = django_user_model.objects.get(username="writer")
            start.wait(timeout=30)
            for number in range(8):
                append_one(user, f"{name}-{number}")
        except BaseException as error:  # reported to the test thread below
            errors.append(error)
        finally:
            connection.close()

    writers = [threading.Thread(target=append, args=(name,)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)

    assert errors == []
    assert AuditRecord.objects.count() == 16
    assert list(AuditRecord.objects.values_list("sequence", flat=True)) == list(range(1, 17))
    result = verify_chain()
    assert result.ok, result.problems
