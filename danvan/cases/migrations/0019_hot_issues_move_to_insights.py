"""Hot issues moved to the insights app: the model leaves this app's state, the table stays
(insights 0001 takes it over under the same name)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_document_number_to_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="hotissue", name="hot_issue_detected"),
                migrations.DeleteModel(name="HotIssue"),
            ],
            database_operations=[],
        ),
    ]
