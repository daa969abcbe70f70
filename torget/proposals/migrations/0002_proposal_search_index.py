"""Full-text search over proposals on PostgreSQL: a GIN index on the weighted Swedish
tsvector of title (A) and text (B).

The expression is exactly the one `selectors.search_vector()` produces; PostgreSQL uses an
expression index only for a query with the same expression. Other databases (SQLite in
development) have no such index and search with LIKE instead, so they skip this step.
"""

from django.db import migrations

INDEX = "proposal_search_swedish"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON proposals_proposal USING gin ((
    setweight(to_tsvector('swedish'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('swedish'::regconfig, COALESCE(body, '')), 'B')
))
"""

DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
