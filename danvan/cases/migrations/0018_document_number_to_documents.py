# The running numbers of outgoing documents move to the documents app (which numbers them
# now). Its table keeps its name and rows: only Django's record of which app owns it moves.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0017_case_period_stats_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='documentnumber',
                    name='document_number_unique',
                ),
                migrations.DeleteModel(
                    name='DocumentNumber',
                ),
            ],
        ),
    ]
