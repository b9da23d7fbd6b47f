"""The chain head row, and the triggers that refuse UPDATE and DELETE on audit records."""

from django.db import migrations

# Copied here rather than imported from wib.audit.guards, so this migration keeps meaning what
# it meant when it was written; the guards module must stay in step with it.
MESSAGE = "audit records are append-only"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditrecord_no_update
    BEFORE UPDATE ON audit_auditrecord
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditrecord_no_delete
    BEFORE DELETE ON audit_auditrecord
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditrecord_no_update",
    "DROP TRIGGER IF EXISTS audit_auditrecord_no_delete",
]

GENESIS_HASH = "0" * 64


def _execute(schema_editor, by_vendor):
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install_guards(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove_guards(apps, schema_editor):
    _execute(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


def create_head(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditChainHead")
    head_model.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_guards, remove_guards),
    ]
