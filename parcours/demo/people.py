"""A few hundred demo returnees, registered through the same service as the web form, so the
demo shows exactly what real use produces (keys, timeline, audit). Deterministic."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from parcours.people.models import ExternalReference
from parcours.people.services import consent_record, household_add, person_create
from parcours.people.validation import validate_person

from .synthetic import MEN, WOMEN, generate

RELATIONSHIPS = ["spouse", "child", "child", "child", "parent", "sibling"]
RETURN_MODES = ["assisted", "assisted", "assisted", "deported", "voluntary", "pushed_back"]


def demo_people_rows(n: int, seed: int = 2017) -> list[dict]:
    """The synthetic registry in small: same names, origins and real-world duplicates (4 %)."""
    rng = random.Random(seed)
    rows, _pairs = generate(n, seed=seed, duplicate_rate=0.04)
    today = timezone.localdate().isoformat()
    for row in rows:
        row["return_mode"] = rng.choice(RETURN_MODES)
        row["return_date"] = min(row["return_date"], today)
    return rows


def load_demo_people(n: int, *, users: dict) -> int:
    """Register the demo returnees once; a second run finds them by their demo reference."""
    if ExternalReference.objects.filter(system="demo").exists():
        return 0
    rng = random.Random(7)
    registrars = [users["reception.bamako"], users["reception.bamako"], users["caseworker.kayes"]]
    created = 0
    with transaction.atomic():
        for row in demo_people_rows(n):
            record_id = row.pop("record_id")
            cleaned = validate_person(row)
            by = rng.choice(registrars)
            when = timezone.make_aware(dt.datetime.combine(cleaned["return_date"], dt.time(14, 0)))
            person = person_create(by=by, cleaned=cleaned, external_ref=("demo", record_id), occurred_at=when)
            for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
                rel = rng.choice(RELATIONSHIPS)
                age = rng.randint(0, 17) if rel == "child" else rng.randint(18, 70)
                household_add(by=by, person_id=person.pk, data={
                    "relationship": rel, "given_name": rng.choice(MEN + WOMEN)[0], "family_name": person.family_name,
                    "sex": rng.choice("MF"), "birth_year": timezone.localdate().year - age,
                })
            if rng.random() < 0.9:
                consent_record(by=by, person=person, scope="collection", granted=True,
                               given_on=cleaned["return_date"])
            created += 1
    return created
