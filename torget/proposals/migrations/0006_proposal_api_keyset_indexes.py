"""Indexes for the public API's keyset paging of proposals (/api/v1/forslag/), on PostgreSQL.

The API orders with empty values last in both directions (`DESC NULLS LAST`), and a plain
descending btree index keeps nulls first, so PostgreSQL could not walk 0005's indexes for the
API and sorted every public proposal instead. These partial indexes have the API's own order.
SQLite has no NULLS LAST in an index, and needs none at its sizes: nothing is done there."""

from django.db import migrations

PUBLIC = "hidden_at IS NULL AND status IN ('bereds', 'beslutat', 'ej-nog-stod', 'insamling', 'registrerat', 'till-kf')"
INDEXES = {
    "proposal_api_newest": "published_at DESC NULLS LAST, id DESC NULLS LAST",
    "proposal_api_supports": "support_count DESC NULLS LAST, id DESC NULLS LAST",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("proposals", "Proposal")._meta.db_table)
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) WHERE {PUBLIC}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0005_proposal_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
