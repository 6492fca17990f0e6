"""Operations the apps' migrations share (historical models only: no import of today's models)."""

from django.db import migrations


def keys_into_table(app_label: str, model_name: str, *, key_field: str, owner_field: str, write: str,
                    owner_kind: str = "user", record_field: str = "pk", record_model: str = ""):
    """Copy a model's own idempotency-key column into core.IdempotencyKey, with the scope
    `parcours.core.idempotency.scope_for(write, owner)` gives, before the column is dropped."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = apps.get_model("core", "IdempotencyKey")
        content_types = apps.get_model("contenttypes", "ContentType")
        target = (record_model or f"{app_label}.{model_name}").split(".")
        content_type, _created = content_types.objects.get_or_create(app_label=target[0], model=target[1].lower())
        rows = model.objects.exclude(**{key_field: ""}).values_list(record_field, owner_field, key_field)
        table.objects.bulk_create(
            [table(scope=f"{write}:{owner_kind}-{owner}" if owner is not None else f"{write}:public", key=key,
                   content_type=content_type, object_id=str(record)) for record, owner, key in rows.iterator()],
            batch_size=1000, ignore_conflicts=True)

    return migrations.RunPython(forward, migrations.RunPython.noop)
