"""The demo world of SPEC §2: places, agencies, centres, demo users, a few hundred returnees.
Idempotent: loading twice changes nothing. Refused under production settings."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

from parcours.accounts.models import Agency, Place, User
from parcours.accounts.services import agency_upsert, place_upsert
from parcours.places.services import gazetteer_load

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "parcours-demo"  # noqa: S105 - documented demo password, never in production


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_places(filename: str = "places_ML.csv") -> dict[str, Place]:
    """The gazetteer of Mali (parcours/places/data), then the programme's own places: reception
    antennas, centres and flow monitoring points."""
    by_code = gazetteer_load()
    for row in _rows(filename):
        parent = by_code.get(row["parent"]) if row["parent"] else None
        by_code[row["code"]] = place_upsert(code=row["code"], name=row["name"], kind=row["kind"], parent=parent,
                                            latitude=row.get("latitude"), longitude=row.get("longitude"))
    return by_code


def load_agencies() -> dict[str, Agency]:
    return {
        row["code"]: agency_upsert(code=row["code"], name=row["name"], kind=row["kind"],
                                   joint_registry=row["joint_registry"] == "1")
        for row in _rows("agencies.csv")
    }


def load_users(places: dict[str, Place], agencies: dict[str, Agency]) -> dict[str, User]:
    from parcours.accounts.services import digest_remember

    users = {}
    for row in _rows("users.csv"):
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={
                "first_name": row["first_name"], "last_name": row["last_name"], "role": row["role"],
                "agency": agencies.get(row["agency"]), "place": places.get(row["place"]),
                "is_staff": row["role"] == "admin", "is_superuser": row["role"] == "admin",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            digest_remember(user=user, password=DEMO_PASSWORD)  # ODK Collect's Digest login works at once
        users[row["username"]] = user
    return users


def load_demo(*, people: int = 300, stdout=None) -> dict:
    if not getattr(settings, "PARCOURS_DEMO_ALLOWED", False):
        raise ImproperlyConfigured("demo data is never loaded under production settings")
    with transaction.atomic():
        places = load_places()
        agencies = load_agencies()
        users = load_users(places, agencies)
    from .people import load_demo_people

    created = load_demo_people(people, users=users)
    result = {"places": len(places), "agencies": len(agencies), "users": len(users), "people_created": created}
    # Each domain ships its own demo data; loaded after the people it refers to.
    for name, loader in DOMAIN_LOADERS:
        result[name] = import_string(loader)()
    return result


DOMAIN_LOADERS = [
    ("schemes", "parcours.assistance.services.load_demo_schemes"),
    ("services", "parcours.referrals.demo.load_demo_services"),
    ("referrals", "parcours.referrals.demo.load_demo_referrals"),
    ("cases", "parcours.cases.demo.load_demo_cases"),
    ("payments", "parcours.assistance.demo.load_demo_payments"),
    ("forms", "parcours.surveys.demo.load_demo_forms"),
    ("centres", "parcours.centres.demo.load_demo_centres"),
    ("stays", "parcours.centres.demo.load_demo_stays"),
    ("flows", "parcours.flows.demo.load_demo_flows"),
    ("grants", "parcours.outreach.demo.load_demo_grants"),
    ("sensitization", "parcours.outreach.demo_activities.load_demo_activities"),
    # Last: the results read every other domain's facts.
    ("logframe", "parcours.logframe.demo.load_demo_logframe"),
]
