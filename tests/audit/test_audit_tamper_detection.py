"""`verify_audit` finds altered, removed and truncated records, and checks a stored anchor."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from wib.audit import record_event, verify_chain
from wib.audit.guards import suspend_guards
from wib.audit.hashing import GENESIS_HASH
from wib.audit.models import AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(django_user_model):
    user = django_user_model.objects.create_user(username="official", password="x" * 12)
    return [
        record_event(
            actor=user,
            action="file.viewed",
            target_type="file",
            target_id=f"F{number}",
            authority_code="flanders",
            data={"number": number},
        )
        for number in range(1, 6)
    ]


def run_verify(*arguments):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *arguments, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def tamper(sql, params=()):
    """What someone with database access could do after switching the guard off."""
    suspend_guards(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_trail_is_reported_with_its_count_and_head(trail):
    code, out, err = run_verify("--print-head")

    assert code == 0, err
    assert "audit trail intact: 5 records" in out
    assert f"head 5:{trail[-1].record_hash}" in out


def test_an_empty_trail_is_intact():
    code, out, _err = run_verify()

    assert code == 0
    assert "audit trail intact: 0 records" in out


def test_altered_data_is_reported_naming_the_record(trail):
    new_data = json.dumps({"number": 99})
    if connection.vendor == "postgresql":
        tamper("UPDATE audit_auditrecord SET data = %s::jsonb WHERE sequence = 3", [new_data])
    else:
        tamper("UPDATE audit_auditrecord SET data = %s WHERE sequence = 3", [new_data])

    code, _out, err = run_verify()

    assert AuditRecord.objects.get(sequence=3).data == {"number": 99}
    assert code == 1
    assert "record 3 does not match its hash (altered)" in err
    assert "record 2" not in err and "record 4" not in err


def test_an_altered_record_with_a_recomputed_hash_breaks_the_next_link(trail):
    forged = AuditRecord.objects.get(sequence=2)
    forged.actor_username = "nobody"
    tamper(
        "UPDATE audit_auditrecord SET actor_username = %s, record_hash = %s WHERE sequence = 2",
        ["nobody", forged.compute_hash()],
    )

    code, _out, err = run_verify()

    assert code == 1
    assert "record 3 does not link to the record before it" in err
    assert "record 2 does not match" not in err


def test_a_removed_middle_record_is_reported(trail):
    tamper("DELETE FROM audit_auditrecord WHERE sequence = 3")

    code, _out, err = run_verify()

    assert code == 1
    assert "records 3 to 3 are missing before record 4 (removed)" in err


def test_a_removed_last_record_is_reported_as_a_head_mismatch(trail):
    tamper("DELETE FROM audit_auditrecord WHERE sequence = 5")

    code, _out, err = run_verify()

    assert code == 1
    assert "the chain head names record 5 but the last record is 4" in err


def test_a_removed_chain_head_is_reported(trail):
    AuditChainHead.objects.all().delete()

    with translation.override("en"):
        result = verify_chain()
    with translation.override("nl"):
        in_dutch = verify_chain()

    assert not result.ok
    assert result.problems == ["the chain head is missing"]
    assert in_dutch.problems == ["de kop van de keten ontbreekt"]


def test_verification_reads_in_batches_and_still_sees_every_problem(trail):
    tamper("DELETE FROM audit_auditrecord WHERE sequence IN (2, 4)")

    with translation.override("en"):
        result = verify_chain(batch_size=2)

    assert result.records == 3
    assert result.problems == [
        "records 2 to 2 are missing before record 3 (removed)",
        "records 4 to 4 are missing before record 5 (removed)",
    ]


def test_a_rewritten_chain_passes_its_own_check_but_not_an_earlier_anchor(trail):
    anchor = f"5:{trail[-1].record_hash}"
    tamper("DELETE FROM audit_auditrecord")
    AuditChainHead.objects.update(last_sequence=0, last_hash=GENESIS_HASH)
    for number in range(1, 6):
        record_event(actor=None, action="file.viewed", target_type="file", target_id=f"F{number}")

    code_without_anchor, out, _err = run_verify()
    code_with_anchor, _out, err = run_verify("--anchor", anchor)

    assert code_without_anchor == 0
    assert "intact: 5 records" in out
    assert code_with_anchor == 1
    assert "anchor 5: the record's hash differs from the anchor (rewritten)" in err


def test_a_matching_anchor_passes_and_a_malformed_one_is_an_error(trail):
    code, _out, err = run_verify("--anchor", f"5:{trail[-1].record_hash}")
    assert code == 0, err

    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("verify_audit", "--anchor", "five", stdout=io.StringIO())
