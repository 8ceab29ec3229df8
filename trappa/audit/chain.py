"""The access log's hash chain and the seals written outside the database.

Every access log entry carries its place in the chain (`seq`, 1, 2, 3 ... with
no gaps) and `chain_hash`, an HMAC-SHA256 over the previous entry's hash and
the entry's own content. The key (TRAPPA_ACCESS_LOG_KEY) lives in the
environment, never in the database, so whoever can write the table but does
not hold the key cannot rewrite, remove or insert an entry without
`manage.py verify_access_log` naming the first one that no longer fits.

A seal is a small JSON document (a daily digest, a retention summary) with an
HMAC over its content: `seal()` adds it, `unseal()` checks it. Nothing here
touches the database; trappa/audit/models.py links the entries as they are
written and trappa/audit/integrity.py checks them.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings

# The hash "before" the first entry.
GENESIS = "0" * 64

# The content an entry's hash covers, in this order. Changing it breaks every
# existing chain: add a new field to the end, with a migration that re-links.
FIELDS = (
    "seq",
    "at",
    "user_id",
    "username",
    "role",
    "unit_name",
    "municipality_id",
    "person_id",
    "action",
    "what",
    "reason",
    "reason_detail",
    "care_relationship_id",
    "emergency_access_id",
    "path",
    "ip_address",
    "user_agent",
)


def _key():
    return settings.ACCESS_LOG_KEY.encode()


def canonical(value):
    if hasattr(value, "astimezone"):
        # One spelling of a moment, whatever time zone the database returned it in.
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(entry, previous_hash):
    """The chain hash of `entry` (an AccessLogEntry or a dict of FIELDS) after `previous_hash`."""
    get = entry.get if isinstance(entry, dict) else lambda name: getattr(entry, name)
    content = [previous_hash, *(canonical(get(name)) for name in FIELDS)]
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def _mac(document):
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def seal(document):
    """`document` with a "seal": an HMAC over the rest, so a change to any value shows."""
    return {**document, "seal": _mac(document)}


def unseal(sealed):
    """The document without its seal, or None if the seal does not match (changed, or another key)."""
    document = {k: v for k, v in sealed.items() if k != "seal"}
    if not hmac.compare_digest(str(sealed.get("seal", "")), _mac(document)):
        return None
    return document
