"""Logbook rows of letters sealed after they were logged (a visit logged as feedback, the
letter later reclassified as a denunciation, or a visit about a sealed letter logged under
another kind): their name, ID number, address and representatives are cleared and their texts
masked, as new rows of such letters are. Re-runnable: a cleared row stays as it is."""

from django.db import migrations
from django.db.models import Q


def seal_entries(apps, schema_editor=None):
    """Clear every logbook row of a sealed letter; returns how many changed."""
    from danvan.language.pii import mask_sender

    Entry = apps.get_model("reception", "ReceptionEntry")
    rows = Entry.objects.filter(case__identity_sealed=True).filter(
        ~Q(citizen_name="") | ~Q(id_number="") | ~Q(address="") | ~Q(representatives=[])
    )
    changed = 0
    for entry in rows.iterator():
        own = {"name": entry.citizen_name, "id_number": entry.id_number, "address": entry.address}
        names = [{"name": name} for name in entry.representatives]
        texts = [mask_sender(text, own, *names) for text in
                 (entry.content, entry.result, entry.notes, entry.earlier_handling)]  # fmt: skip
        Entry.objects.filter(pk=entry.pk).update(
            citizen_name="", id_number="", address="", representatives=[], content=texts[0],
            result=texts[1], notes=texts[2], earlier_handling=texts[3],
        )  # fmt: skip
        changed += 1
    return changed


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0001_initial"),
        ("cases", "0017_case_period_stats_index"),
    ]

    operations = [migrations.RunPython(seal_entries, migrations.RunPython.noop)]
