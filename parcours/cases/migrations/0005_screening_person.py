"""A screening belongs to a person: in their case, or at entry to a transit centre (no case)."""

import django.db.models.deletion
from django.db import migrations, models


def person_from_case(apps, schema_editor):
    Screening = apps.get_model("cases", "Screening")
    for screening in Screening.objects.select_related("case").filter(person__isnull=True).iterator():
        screening.person_id = screening.case.person_id
        screening.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_default_targets_and_follow_ups"), ("people", "0006_origin_as_written")]
    operations = [
        migrations.AddField(
            model_name="screening", name="person",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="screenings",
                                    to="people.person", verbose_name="person")),
        migrations.RunPython(person_from_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="screening", name="person",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="screenings",
                                    to="people.person", verbose_name="person")),
        migrations.AlterField(
            model_name="screening", name="case",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                       related_name="screening", to="cases.case")),
    ]
