"""Planners' aggregate reads on a read replica, when there is one (DATABASE_REPLICA_URL).

Only reads marked explicitly go there: code inside `with replica_reads():` (or a function
decorated with `@replica_reads()`). Everything else, and every write, uses the primary, so a
user always reads what they have just written; a replica lags the primary by up to a few
seconds, which aggregate counts over the register can tolerate. Inside a transaction on the
primary the marked reads stay on the primary too, so they see the transaction's own writes.
"""

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_marked = ContextVar("trappa_replica_reads", default=False)


class replica_reads(ContextDecorator):  # noqa: N801 - used like contextlib's context managers
    """Send the reads inside to the replica (if configured); writes still go to the primary."""

    def __enter__(self):
        self._token = _marked.set(True)
        return self

    def __exit__(self, *exc):
        _marked.reset(self._token)
        return False


def replica_alias():
    """The alias reads are routed to now, or None for the primary."""
    alias = getattr(settings, "READ_REPLICA", None)
    if not alias or not _marked.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy of the primary: it is never migrated on its own. Every other alias
        # (the tests' "owner" connection) is the primary's database under another role.
        return db != "replica"
