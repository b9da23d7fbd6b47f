"""Audit records cannot be changed or removed: not by the model, the ORM nor raw SQL."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from wib.audit import record_event, verify_chain
from wib.audit.admin import AuditRecordAdmin
from wib.audit.models import AppendOnlyViolation, AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(django_user_model):
    user = django_user_model.objects.create_user(username="official", password="x" * 12)
    record_event(actor=user, action="file.viewed", target_type="file", target_id="F1")
    return AuditRecord.objects.get()


def test_saving_an_existing_record_is_refused(record):
    record.target_id = "F2"
    with pytest.raises(AppendOnlyViolation):
        record.save()
    assert AuditRecord.objects.get().target_id == "F1"


def test_deleting_a_record_through_the_model_or_the_queryset_is_refused(record):
    with pytest.raises(AppendOnlyViolation):
        record.delete()
    with pytest.raises(AppendOnlyViolation):
        AuditRecord.objects.filter(sequence=record.sequence).delete()
    with pytest.raises(AppendOnlyViolation):
        AuditRecord.objects.filter(sequence=record.sequence).update(target_id="F2")
    assert AuditRecord.objects.filter(target_id="F1").count() == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditrecord SET target_id = 'F2'",
        "UPDATE audit_auditrecord SET actor_username = 'someone else' WHERE sequence = 1",
        "DELETE FROM audit_auditrecord WHERE sequence = 1",
        "DELETE FROM audit_auditrecord",
    ],
)
def test_raw_sql_updates_and_deletes_are_refused_by_the_database(record, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    stored = AuditRecord.objects.get()
    assert (stored.target_id, stored.actor_username) == ("F1", "official")
    assert verify_chain().ok


def test_an_actor_with_audit_records_cannot_be_deleted(record):
    with pytest.raises(ProtectedError):
        record.actor.delete()
    assert AuditRecord.objects.get().actor_username == "official"


def test_the_admin_shows_records_but_offers_no_way_to_add_change_or_delete(record, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = AuditRecordAdmin(AuditRecord, admin.site)

    assert model_admin.has_view_permission(request, record)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, record)
    assert not model_admin.has_delete_permission(request, record)
    assert "record_hash" in model_admin.get_readonly_fields(request, record)
