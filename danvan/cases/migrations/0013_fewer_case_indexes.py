"""Fewer indexes to write with every letter.

The single-column indexes of foreign keys that lead a composite index go (Django makes one
for every foreign key). On PostgreSQL, so do the `varchar_pattern_ops` copies Django adds
beside a unique CharField for LIKE 'prefix%' look-ups: tracking codes, idempotency keys and
notification keys are only ever looked up whole, by their unique index. Measured at
1,000,000 letters: every letter wrote 22 index entries, most of them to a random page (a
full-page image in the WAL after each checkpoint, shipped to the replica and replayed).
A later AlterField of those three fields would make Django add its LIKE index again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LIKE_INDEXED = [
    ("cases_case", "tracking_code"),
    ("cases_case", "idempotency_key"),
    ("cases_notification", "key"),
]


def _like_index(schema_editor, table, column):
    return schema_editor._create_index_name(table, [column], suffix="_like")


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # only PostgreSQL's schema editor makes them
    for table, column in LIKE_INDEXED:
        name = schema_editor.quote_name(_like_index(schema_editor, table, column))
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def add_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in LIKE_INDEXED:
        name = schema_editor.quote_name(_like_index(schema_editor, table, column))
        quoted = schema_editor.quote_name(column)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {schema_editor.quote_name(table)}"
            f" ({quoted} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_outbox_claimed_at"),
        ("places", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attachments",
                to="cases.case",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="places.agency",
                verbose_name="handling agency",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assigned_cases",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assigned officer",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="citizen",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to=settings.AUTH_USER_MODEL,
                verbose_name="citizen account",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="places.unit",
                verbose_name="commune or ward concerned",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="cases.case",
            ),
        ),
        migrations.AlterField(
            model_name="identitylook",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.case",
            ),
        ),
        migrations.RunPython(drop_like_indexes, add_like_indexes, elidable=False),
    ]
