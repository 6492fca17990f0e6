"""Fixtures of the sensitization tests: an activity maker through the service."""

import datetime as dt

import pytest

from parcours.accounts.models import Agency, Role, User


@pytest.fixture
def record(world):
    from parcours.outreach.services import activity_record

    def make(by="focal.sikasso", **fields):
        values = {"on": dt.date(2024, 3, 1), "commune": "Sikasso", "kind": "proximity_talk",
                  "theme": "irregular_migration_risks", "audience": "community", "participants_male": 10,
                  "participants_female": 15, **fields}
        return activity_record(by=world.user(by), **values)

    return make


@pytest.fixture
def focal_kayes(world):
    """A focal point of another agency (AJDM) in another region (Kayes)."""
    user = User.objects.create(username="focal.kayes", role=Role.FOCAL_POINT, agency=Agency.objects.get(code="AJDM"),
                               place=world.places["KAY"])
    user.set_password("parcours-demo")
    user.save()
    return user
