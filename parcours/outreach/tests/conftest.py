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
    world.users["focal.kayes"] = user
    return user


@pytest.fixture
def call(world):
    """A call for proposals of the M&E officer, in the region of Kayes."""
    from parcours.outreach.grants import call_publish

    return call_publish(by=world.user("me.iom"), reference="AAP-2024-01", title="Sensibilisation dans la région de Kayes",
                        themes=["irregular_migration_risks", "free_movement"], place="Kayes", opens_on=dt.date(2024, 1, 1),
                        closes_on=dt.date(2024, 1, 31), budget_xof=50_000_000)


@pytest.fixture
def grant(world, call):
    """G-1 to AJDM, 15 February to 31 December 2024, in Kayes and Nioro, 100 people and 4 activities."""
    from parcours.outreach.grants import grant_award

    return grant_award(by=world.user("me.iom"), call="AAP-2024-01", grantee="AJDM", reference="G-1",
                       amount_xof=12_000_000, starts_on=dt.date(2024, 2, 15), ends_on=dt.date(2024, 12, 31),
                       communes=["Kayes", "Nioro"], target_people=100, target_activities=4, title="Causeries")
