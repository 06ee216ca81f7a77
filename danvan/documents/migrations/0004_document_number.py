# The running numbers of outgoing documents, moved from cases: the table cases created
# (cases_documentnumber) stays as it is, with its rows; only the app that owns it changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_evaluation_decision_kind'),
        ('places', '0001_initial'),
        ('cases', '0018_document_number_to_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DocumentNumber',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('last', models.PositiveIntegerField(default=0)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.agency')),
                    ],
                    options={
                        'db_table': 'cases_documentnumber',
                        'constraints': [models.UniqueConstraint(fields=('agency', 'year'), name='document_number_unique')],
                    },
                ),
            ],
        ),
    ]
