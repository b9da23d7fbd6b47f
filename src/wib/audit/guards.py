"""The database triggers that make the audit table append-only, per database vendor.

The migration 0002 installs the same statements; this module lets tests and operators switch
the guard off deliberately (to prove tampering is detected) and back on.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditrecord"
MESSAGE = "audit records are append-only"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditrecord_no_update
    BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditrecord_no_delete
    BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditrecord_no_update",
    "DROP TRIGGER IF EXISTS audit_auditrecord_no_delete",
]


def install_guards(connection: BaseDatabaseWrapper) -> None:
    _run(connection, POSTGRESQL_INSTALL, SQLITE_INSTALL)


def remove_guards(connection: BaseDatabaseWrapper) -> None:
    _run(connection, POSTGRESQL_REMOVE, SQLITE_REMOVE)


def suspend_guards(connection: BaseDatabaseWrapper) -> None:
    """Switch the guard off inside the current transaction (rolled back with it on both)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows inserted in this transaction would block the
            # ALTER ("pending trigger events"): run them now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditrecord_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        remove_guards(connection)


def purge_for_test_flush(connection: BaseDatabaseWrapper) -> None:
    """Empty the trail before a transactional test's flush, which SQLite's trigger would refuse.

    PostgreSQL's flush uses TRUNCATE, which row triggers do not see; only SQLite needs this.
    """
    if connection.vendor != "sqlite":
        return
    remove_guards(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant table name
    install_guards(connection)


def _run(connection: BaseDatabaseWrapper, postgresql: list[str], sqlite: list[str]) -> None:
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
