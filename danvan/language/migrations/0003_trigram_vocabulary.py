"""PostgreSQL: typo tolerance with pg_trgm. Nothing on SQLite (FTS5's vocabulary serves).

language_searchword holds the distinct words of the index that a typo could stand for
(letters only, 2 to 22 of them), with a GIN trigram index; `search_postgres` keeps it up to
date as documents are indexed and asks it for the words nearest a misspelt one. Filled
here from the documents already indexed.

pg_trgm ships with Debian's `postgresql` package (contrib is part of it) and is a trusted
extension: the database's owner may create it. Going back drops the table and leaves the
extension, which something else may use by then.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE language_searchword (word text PRIMARY KEY)",
    "CREATE INDEX searchword_trigram ON language_searchword USING gin (word gin_trgm_ops)",
    """INSERT INTO language_searchword (word)
        SELECT word FROM ts_stat('SELECT search_vector FROM language_searchdoc')
        WHERE word ~ '^[a-z]{2,22}$' ORDER BY word""",
    "ANALYZE language_searchword",
]
POSTGRES_BACKWARD = ["DROP TABLE language_searchword"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("language", "0002_fulltext_index"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
