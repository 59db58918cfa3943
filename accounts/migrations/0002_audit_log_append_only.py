"""On PostgreSQL, refuse UPDATE and DELETE on the audit table at the database level, so that not
even a bug or a hand-typed query through the app's own account can rewrite history.

(TRUNCATE, which only the table owner may run, stays possible for test databases.)"""

from django.db import migrations

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION accounts_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_refuse_change();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE_TRIGGER), _on_postgresql(DROP_TRIGGER)),
    ]
