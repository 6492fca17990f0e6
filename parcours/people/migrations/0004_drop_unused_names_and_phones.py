# PersonName and PersonPhone were never written by any service (issue 7: dead models).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_match_keys'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='personphone', name='person_phone_unique'),
        migrations.DeleteModel(name='PersonName'),
        migrations.DeleteModel(name='PersonPhone'),
    ]
