"""The full-text index over SearchDoc.folded, in each database's own way.

SQLite: a contentless FTS5 table (rowid = SearchDoc.id; the text itself is stored once, in
language_searchdoc) and an fts5vocab table over it for typo tolerance. Besides `folded` it
indexes `tags`, a token for the source and one for the scope of each row: filtering by
agency inside the index ranks only the rows an officer may see, instead of ranking a whole
province's and throwing most away (a common word in one agency: 190 -> 30 ms at 200,000
letters). Contentless rather than external content: the index then depends on nothing in
the schema, so Django may rebuild language_searchdoc (it does, on SQLite, for most field
changes) without touching it. The search service writes the index in the same
transaction as the row; there are no triggers, because such a rebuild drops them silently.

PostgreSQL: a stored tsvector column generated from `folded` and a GIN index on it. The
column is stored rather than a GIN index on the expression because ranking (ts_rank) reads
the vector of every match: recomputing it made a common query 45 times slower. Neither
`unaccent` nor `pg_trgm` is needed: the text is folded (no diacritics) before it is stored,
and typo tolerance looks up edit-distance variants in the same index on both databases.
(Since 0003, PostgreSQL finds typo variants with pg_trgm instead.)
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE language_searchfts USING fts5(
        folded, tags, content='', tokenize='unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE language_searchvocab USING fts5vocab(language_searchfts, 'row')",
]
SQLITE_BACKWARD = [
    "DROP TABLE language_searchvocab",
    "DROP TABLE language_searchfts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE language_searchdoc ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED""",
    "CREATE INDEX searchdoc_vector ON language_searchdoc USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX searchdoc_vector",
    "ALTER TABLE language_searchdoc DROP COLUMN search_vector",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("language", "0001_search_doc"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
