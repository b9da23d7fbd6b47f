"""The canonical form of an audit record and its SHA-256 chain hash."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

# The first record chains from this fixed value; a verifier needs nothing else to start.
GENESIS_HASH = "0" * 64

# Every stored field except the hash itself, in a fixed list so a new column is a deliberate
# change of the hash format (bump HASH_FORMAT and keep verifying old records the old way).
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "on_behalf_of",
    "authority_code",
    "action",
    "target_type",
    "target_id",
    "data",
    "ip_address",
    "user_agent",
    "previous_hash",
)
HASH_FORMAT = 1


def canonical_timestamp(moment: datetime) -> str:
    """UTC, microseconds always written: what both SQLite and PostgreSQL give back."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(values: dict[str, Any]) -> bytes:
    """Sorted-key, whitespace-free JSON of the hashed fields (JSONB may reorder keys)."""
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = canonical_timestamp(payload["occurred_at"])
    payload["format"] = HASH_FORMAT
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def compute_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(values)).hexdigest()
