"""Appending to the audit trail: hashing, chaining, request origin and transactions."""

import datetime as dt
import decimal
import itertools
import uuid

import pytest
import time_machine
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from wib.audit import record_event, verify_chain
from wib.audit.context import current_request
from wib.audit.hashing import GENESIS_HASH
from wib.audit.middleware import AuditContextMiddleware
from wib.audit.models import AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        username="alice", password="x" * 12, first_name="Alice", last_name="Peeters"
    )


def test_a_chain_of_records_links_each_to_the_one_before_and_verifies(alice):
    with time_machine.travel(MOMENT, tick=False):
        records = [
            record_event(
                actor=alice,
                action="file.viewed",
                target_type="file",
                target_id=f"F{number}",
                on_behalf_of="enterprise 0403.170.701",
                data={"number": number},
            )
            for number in range(5)
        ]

    assert [record.sequence for record in records] == [1, 2, 3, 4, 5]
    assert records[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(records):
        assert after.previous_hash == before.record_hash
    stored = AuditRecord.objects.get(sequence=3)
    assert stored.occurred_at == MOMENT
    assert stored.actor_username == "alice"
    assert stored.compute_hash() == stored.record_hash
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (5, records[-1].record_hash)
    result = verify_chain()
    assert result.ok, result.problems
    assert result.records == 5
    assert result.last_hash == records[-1].record_hash


def test_data_that_is_not_plain_json_hashes_the_same_after_storage(alice):
    record_event(
        actor=alice,
        action="file.submitted",
        target_type="file",
        target_id="F1",
        data={
            "on": dt.date(2026, 5, 1),
            "fee": decimal.Decimal("366.00"),
            "document": uuid.UUID(int=7),
            "nested": {"b": [1, 2.5], "a": "é"},
        },
    )

    stored = AuditRecord.objects.get()
    assert stored.data["on"] == "2026-05-01"
    assert stored.data["fee"] == "366.00"
    assert stored.compute_hash() == stored.record_hash
    assert verify_chain().ok


def test_the_system_and_anonymous_visitors_are_recorded_without_an_actor():
    from django.contrib.auth.models import AnonymousUser

    system = record_event(actor=None, action="deadline.expired", target_type="file", target_id="F")
    visitor = record_event(
        actor=AnonymousUser(), action="login.failed", target_type="user", target_id="bob"
    )

    assert system.actor is None and system.actor_username == ""
    assert visitor.actor is None
    assert verify_chain().ok


def test_an_action_that_is_not_noun_dot_verb_is_refused(alice):
    with pytest.raises(ValueError, match=r"noun\.verb"):
        record_event(actor=alice, action="Viewed file", target_type="file", target_id="F")
    assert not AuditRecord.objects.exists()


def test_the_request_gives_the_address_and_a_truncated_user_agent(alice):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="2001:DB8:0:0::1", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 500
    )

    record = record_event(
        actor=alice, action="file.viewed", target_type="file", target_id="F", request=request
    )

    stored = AuditRecord.objects.get(pk=record.pk)
    assert stored.ip_address == "2001:db8::1"
    assert stored.user_agent.startswith("Mozilla/5.0 ")
    assert len(stored.user_agent) == 300
    assert stored.compute_hash() == stored.record_hash


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(alice, settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1"
    )

    settings.WIB_TRUSTED_PROXY_COUNT = 0
    direct = record_event(
        actor=alice, action="file.viewed", target_type="file", target_id="F", request=request
    )
    settings.WIB_TRUSTED_PROXY_COUNT = 2
    proxied = record_event(
        actor=alice, action="file.viewed", target_type="file", target_id="F", request=request
    )

    assert direct.ip_address == "10.0.0.2"
    # Two trusted proxies: the second address from the right; "6.6.6.6" could be forged.
    assert proxied.ip_address == "198.51.100.7"


def test_the_middleware_lends_the_request_to_services_for_its_duration(alice):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Firefox")
    seen = []

    def view(request):
        seen.append(
            record_event(actor=alice, action="file.viewed", target_type="file", target_id="F")
        )
        return HttpResponse("ok")

    response = AuditContextMiddleware(view)(request)

    assert response.status_code == 200
    assert seen[0].ip_address == "192.0.2.44"
    assert seen[0].user_agent == "Firefox"
    assert current_request() is None
    outside = record_event(actor=alice, action="file.viewed", target_type="file", target_id="F")
    assert outside.ip_address is None


def test_a_rolled_back_state_change_leaves_no_audit_record_and_the_chain_stays_valid(
    alice, django_user_model
):
    first = record_event(actor=alice, action="file.viewed", target_type="file", target_id="F")

    with pytest.raises(RuntimeError), transaction.atomic():
        django_user_model.objects.create_user(username="bob", password="y" * 12)
        record_event(actor=alice, action="user.created", target_type="user", target_id="bob")
        raise RuntimeError("the state change failed after auditing")

    assert list(AuditRecord.objects.values_list("sequence", flat=True)) == [1]
    assert not django_user_model.objects.filter(username="bob").exists()
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (1, first.record_hash)
    following = record_event(actor=alice, action="file.viewed", target_type="file", target_id="F")
    assert following.sequence == 2
    assert following.previous_hash == first.record_hash
    assert verify_chain().ok


def test_a_failing_audit_write_takes_the_state_change_down_with_it(alice, django_user_model):
    with pytest.raises(TypeError), transaction.atomic():
        django_user_model.objects.create_user(username="carol", password="z" * 12)
        record_event(
            actor=alice,
            action="user.created",
            target_type="user",
            target_id="carol",
            data={"not json": object()},
        )

    assert not django_user_model.objects.filter(username="carol").exists()
    assert not AuditRecord.objects.exists()


def test_a_missing_chain_head_is_recreated_from_genesis_when_the_trail_is_empty(alice):
    AuditChainHead.objects.all().delete()

    record = record_event(actor=alice, action="file.viewed", target_type="file", target_id="F")

    assert (record.sequence, record.previous_hash) == (1, GENESIS_HASH)
    assert verify_chain().ok
