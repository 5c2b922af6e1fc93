"""The audit log refuses UPDATE and DELETE at the database, and its chain head exists."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER access_auditevent_no_delete BEFORE DELETE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_update",
    "DROP TRIGGER IF EXISTS access_auditevent_no_delete",
]

# The test suite's teardown empties tables with TRUNCATE; it sets xuncha.audit_purge for that
# one statement's session. Nothing in the application sets it.
POSTGRES = [
    """CREATE FUNCTION access_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('DELETE', 'TRUNCATE')
            AND coalesce(current_setting('xuncha.audit_purge', true), '') = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END $$""",
    """CREATE TRIGGER access_auditevent_no_update BEFORE UPDATE OR DELETE ON access_auditevent
       FOR EACH ROW EXECUTE FUNCTION access_auditevent_refuse()""",
    """CREATE TRIGGER access_auditevent_no_truncate BEFORE TRUNCATE ON access_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION access_auditevent_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS access_auditevent_no_truncate ON access_auditevent",
    "DROP TRIGGER IF EXISTS access_auditevent_no_update ON access_auditevent",
    "DROP FUNCTION IF EXISTS access_auditevent_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("access", "AuditHead")
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
