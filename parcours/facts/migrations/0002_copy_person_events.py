"""Wave 1 kept timeline lines in people.Event; they become facts (same kind, date, actor)."""

from django.db import migrations


def copy_events(apps, schema_editor):
    Event = apps.get_model("people", "Event")
    Fact = apps.get_model("facts", "Fact")
    batch = []
    for e in Event.objects.select_related("person").iterator(chunk_size=2000):
        p = e.person
        batch.append(Fact(
            kind=e.kind, occurred_on=e.occurred_at.date(), occurred_at=e.occurred_at, person_id=e.person_id,
            sex=p.sex or "", nationality=str(p.nationality or ""), returned_from=str(p.returned_from or ""),
            origin_path=p.origin_path or "", actor_id=e.actor_id, agency_id=e.agency_id, data=e.data or {},
        ))
        if len(batch) >= 2000:
            Fact.objects.bulk_create(batch)
            batch = []
    Fact.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("facts", "0001_initial"), ("people", "0003_match_keys")]
    operations = [migrations.RunPython(copy_events, migrations.RunPython.noop)]
