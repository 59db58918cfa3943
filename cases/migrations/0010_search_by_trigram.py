"""Search of the people list (code or alias, any part of it) through trigram indexes on
PostgreSQL: `icontains` compares UPPER(column) LIKE UPPER('%term%'), which these indexes answer
without reading the organisation's records one by one. SQLite has no trigram index and keeps its
plain scan (it serves a demo or a single office)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = [("beneficiary_alias_trigram", "alias"), ("beneficiary_code_trigram", "code")]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_beneficiary "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_index_list_filters")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
