"""The API's keyset indexes, now in the order the API asks for (PostgreSQL only).

The API orders a column that is never empty plainly (`id DESC`, `support_count DESC`), and
only an empty-able one with its empty values last (`published_at DESC NULLS LAST`): an index
has to match that to the letter for PostgreSQL to walk it instead of sorting, so 0006's
indexes (`id DESC NULLS LAST`) are rebuilt. Nothing is done on SQLite."""

from django.db import migrations

PUBLIC = "hidden_at IS NULL AND status IN ('bereds', 'beslutat', 'ej-nog-stod', 'insamling', 'registrerat', 'till-kf')"
BEFORE = {
    "proposal_api_newest": "published_at DESC NULLS LAST, id DESC NULLS LAST",
    "proposal_api_supports": "support_count DESC NULLS LAST, id DESC NULLS LAST",
}
AFTER = {
    "proposal_api_newest": "published_at DESC NULLS LAST, id DESC",
    "proposal_api_supports": "support_count DESC, id DESC",
}


def _rebuild(indexes):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("proposals", "Proposal")._meta.db_table)
        for name, columns in indexes.items():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns}) WHERE {PUBLIC}")

    return run


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_proposal_api_keyset_indexes")]

    operations = [migrations.RunPython(_rebuild(AFTER), _rebuild(BEFORE))]
