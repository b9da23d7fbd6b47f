"""Checking the audit trail: every hash, every link, no gaps, and a head that matches the end."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wib.audit.hashing import GENESIS_HASH
from wib.audit.models import AuditChainHead, AuditRecord

BATCH_SIZE = 2000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    problems: list[str] = field(default_factory=list)
    records: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH


def verify_chain(*, batch_size: int = BATCH_SIZE) -> ChainVerification:
    """Walk every record in sequence order, a batch at a time, and report what does not fit."""
    problems: list[str] = []
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    count = 0
    last_sequence = 0
    while True:
        # Keyset pagination: constant memory and no OFFSET rescans on a large table.
        batch = list(
            AuditRecord.objects.filter(sequence__gt=last_sequence).order_by("sequence")[:batch_size]
        )
        if not batch:
            break
        for record in batch:
            count += 1
            if record.sequence != expected_sequence:
                problems.append(
                    _(
                        "records %(first)d to %(last)d are missing before record %(sequence)d "
                        "(removed)"
                    )
                    % {
                        "first": expected_sequence,
                        "last": record.sequence - 1,
                        "sequence": record.sequence,
                    }
                )
            elif record.previous_hash != previous_hash:
                problems.append(
                    _(
                        "record %(sequence)d does not link to the record before it "
                        "(a record was removed, inserted or replaced)"
                    )
                    % {"sequence": record.sequence}
                )
            if record.compute_hash() != record.record_hash:
                problems.append(
                    _("record %(sequence)d does not match its hash (altered)")
                    % {"sequence": record.sequence}
                )
            expected_sequence = record.sequence + 1
            previous_hash = record.record_hash
            last_sequence = record.sequence

    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if count:
            problems.append(_("the chain head is missing"))
    elif head.last_sequence != last_sequence or head.last_hash != previous_hash:
        problems.append(
            _(
                "the chain head names record %(head)d but the last record is %(last)d "
                "(records at the end were removed, or the head was altered)"
            )
            % {"head": head.last_sequence, "last": last_sequence}
        )
    if len(problems) > MAX_PROBLEMS:
        hidden = len(problems) - MAX_PROBLEMS
        problems = [
            *problems[:MAX_PROBLEMS],
            _("… and %(count)d more problems") % {"count": hidden},
        ]
    return ChainVerification(
        ok=not problems,
        problems=problems,
        records=count,
        last_sequence=last_sequence,
        last_hash=previous_hash,
    )
