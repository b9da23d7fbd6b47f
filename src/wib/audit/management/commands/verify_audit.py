"""`manage.py verify_audit`: check the audit chain end to end, and print or check an anchor."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from wib.audit.models import AuditRecord
from wib.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify every audit record's hash, the links between them and the chain head. "
        "Exits 1 when a problem is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-head",
            action="store_true",
            help="Also print the head (sequence and hash) to store somewhere else as an anchor.",
        )
        parser.add_argument(
            "--anchor",
            metavar="SEQUENCE:HASH",
            help="Check that record SEQUENCE still has HASH (a head printed earlier).",
        )

    # Operators' logs stay in English whatever LANGUAGE_CODE is, so they can be grepped.
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        problems = list(result.problems)
        if options["anchor"]:
            problems.extend(self._check_anchor(options["anchor"]))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"audit trail broken: {len(problems)} problem(s) in {result.records} records",
                returncode=1,
            )
        self.stdout.write(f"audit trail intact: {result.records} records")
        if options["print_head"]:
            self.stdout.write(f"head {result.last_sequence}:{result.last_hash}")

    def _check_anchor(self, anchor: str) -> list[str]:
        sequence_text, _separator, expected_hash = anchor.partition(":")
        if not sequence_text.isdigit() or len(expected_hash) != 64:
            raise CommandError("--anchor must look like SEQUENCE:HASH (64 hex digits)")
        sequence = int(sequence_text)
        if sequence == 0:
            return []
        record = AuditRecord.objects.filter(sequence=sequence).first()
        if record is None:
            return [f"anchor {sequence}: the record is gone"]
        if record.record_hash != expected_hash.lower():
            return [f"anchor {sequence}: the record's hash differs from the anchor (rewritten)"]
        return []
