"""A letter's submission digest beside its idempotency key, and files kept for letter forms.

The digest tells a retry (the same letter again) from a different letter sent under the same
key, which is refused instead of being answered with the first (cases.idempotency). Held
files are the checked files of a form that came back with an error (cases.held).
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_fewer_case_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='submission_digest',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.CreateModel(
            name='HeldFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64)),
                ('holder', models.CharField(max_length=64)),
                ('file', models.FileField(upload_to='held/%Y/%m/')),
                ('name', models.CharField(max_length=200, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'file kept for a letter form',
                'verbose_name_plural': 'files kept for letter forms',
                'indexes': [models.Index(fields=['holder', 'token'], name='held_file_form'), models.Index(fields=['created_at'], name='held_file_age')],
            },
        ),
    ]
