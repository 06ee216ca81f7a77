"""Hot issues taken over from the cases app: state only, the table `cases_hotissue` and its
letters' table `cases_hotissue_cases` stay as they are. The content type follows the model."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="insights", model="hotissue").exists():
        content_types.objects.filter(app_label="cases", model="hotissue").update(
            app_label="insights"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0019_hot_issues_move_to_insights'),
        ('places', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='HotIssue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('spike', 'More letters than usual'), ('cluster', 'Similar new letters without a topic')], max_length=10, verbose_name='kind')),
                ('detected_on', models.DateField(verbose_name='detected on')),
                ('count', models.PositiveIntegerField(verbose_name='letters in the last 7 days')),
                ('baseline', models.FloatField(default=0, verbose_name='usual letters per week')),
                ('label', models.CharField(blank=True, max_length=200, verbose_name='summary')),
                ('cases', models.ManyToManyField(related_name='+', to='cases.case')),
                ('topic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.topic')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.unit')),
            ],
            options={
                'verbose_name': 'hot issue',
                'verbose_name_plural': 'hot issues',
                'db_table': 'cases_hotissue',
                'ordering': ['-detected_on', '-count'],
                'indexes': [models.Index(fields=['detected_on'], name='hot_issue_detected')],
            },
        ),
            ],
        ),
        migrations.RunPython(content_type_follows, migrations.RunPython.noop),
    ]
