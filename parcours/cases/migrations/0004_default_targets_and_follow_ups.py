"""Data: the default waiting-time targets and follow-up schedule (SPEC §4.2), editable afterwards."""

from django.db import migrations

TARGETS = {"screening": 3, "protection": 7, "orientation": 7, "plan": 30, "training_start": 60, "delivery": 90,
           "follow_up": 0, "completion": 30}
FOLLOW_UPS = [(1, "call"), (3, "visit"), (6, "visit"), (12, "visit")]


def forwards(apps, schema_editor):
    StageTarget = apps.get_model("cases", "StageTarget")
    FollowUpOffset = apps.get_model("cases", "FollowUpOffset")
    for key, days in TARGETS.items():
        StageTarget.objects.get_or_create(key=key, defaults={"days": days})
    for months, mode in FOLLOW_UPS:
        FollowUpOffset.objects.get_or_create(months=months, defaults={"mode": mode})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_path_details")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
