"""A few hundred demo returnees, registered through the same service as the web form, so the
demo shows exactly what real use produces (keys, timeline, audit). Deterministic."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from parcours.people.models import ExternalReference
from parcours.people.services import consent_record, household_add, person_create
from parcours.people.validation import validate_person

MEN = ["Mamadou", "Moussa", "Seydou", "Boubacar", "Ibrahim", "Oumar", "Adama", "Souleymane", "Abdoulaye",
       "Bakary", "Sekou", "Lassana", "Modibo", "Mahamadou", "Drissa", "Yacouba", "Siaka", "Amadou", "Cheick",
       "Hamidou", "Issa", "Kalilou", "Samba", "Demba", "Hady", "Tiémoko", "Bréhima", "Daouda"]
WOMEN = ["Fatoumata", "Aminata", "Mariam", "Kadiatou", "Oumou", "Awa", "Hawa", "Assitan", "Djeneba",
         "Rokia", "Salimata", "Nana", "Bintou", "Kadidia", "Sira", "Fanta", "Maimouna", "Coumba"]
FAMILIES = [("Traoré", 14), ("Diarra", 9), ("Coulibaly", 10), ("Keïta", 8), ("Konaté", 5), ("Diallo", 8),
            ("Camara", 5), ("Sissoko", 6), ("Touré", 5), ("Cissé", 5), ("Sidibé", 4), ("Dembélé", 4),
            ("Sangaré", 3), ("Doumbia", 3), ("Kanté", 3), ("Maïga", 3), ("Soumaré", 4), ("Diakité", 4),
            ("Fofana", 3), ("Bagayoko", 2), ("Samaké", 2), ("Koné", 3), ("Dansoko", 2), ("Tandia", 2),
            ("Niakaté", 2), ("Sacko", 2), ("Dramé", 2), ("Kamissoko", 1), ("Gassama", 1), ("Sylla", 2)]
# (region, cercle, commune, weight): ~70 % Kayes, ~20 % Bamako (SPEC §2)
ORIGINS = [
    ("Kayes", "Kayes", "Kayes", 16), ("Kayes", "Nioro du Sahel", "Nioro", 12), ("Kayes", "Diéma", "Diéma", 10),
    ("Kayes", "Kita", "Kita", 8), ("Kayes", "Yélimané", "Krémis", 10), ("Kayes", "Bafoulabé", "", 6),
    ("Kayes", "Kéniéba", "", 5), ("Kayes", "Nioro du Sahel", "Gavinané", 3),
    ("District de Bamako", "", "Commune I", 4), ("District de Bamako", "", "Commune IV", 5),
    ("District de Bamako", "", "Commune V", 5), ("District de Bamako", "", "Commune VI", 6),
    ("Koulikoro", "Kati", "", 3), ("Sikasso", "Sikasso", "", 2), ("Ségou", "Ségou", "", 2),
    ("Mopti", "Mopti", "", 1), ("Gao", "Gao", "", 1), ("Tombouctou", "Tombouctou", "", 1),
]
RETURNED_FROM = [("LY", 55), ("DZ", 15), ("NE", 14), ("MA", 4), ("GA", 3), ("CI", 3), ("ES", 3), ("FR", 3)]
RELATIONSHIPS = ["spouse", "child", "child", "child", "parent", "sibling"]


def _pick(rng: random.Random, weighted):
    return rng.choices([w[:-1] if len(w) > 2 else w[0] for w in weighted], weights=[w[-1] for w in weighted])[0]


def _phone(rng: random.Random) -> str:
    return f"+223{rng.choice('769'):s}{rng.randint(0, 9)}{rng.randint(0, 999999):06d}"


def demo_people_rows(n: int, seed: int = 2017) -> list[dict]:
    rng = random.Random(seed)
    today = timezone.localdate()
    rows = []
    for i in range(n):
        female = rng.random() < 0.15
        region, cercle, commune = _pick(rng, ORIGINS)
        birth_year = rng.randint(1970, 2008)
        exact = rng.random() < 0.55
        return_date = dt.date(2017, 5, 17) + dt.timedelta(days=rng.randint(0, (dt.date(2021, 2, 28) - dt.date(2017, 5, 17)).days))
        row = {
            "record_id": f"demo-{i:04d}",
            "given_name": rng.choice(WOMEN if female else MEN),
            "family_name": _pick(rng, FAMILIES),
            "sex": "F" if female else "M",
            "birth_date": dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)).isoformat() if exact else "",
            "birth_year": "" if exact else str(birth_year),
            "phone": _phone(rng) if rng.random() < 0.8 else "",
            "nationality": "ML",
            "origin_region": region, "origin_cercle": cercle, "origin_commune": commune,
            "return_date": min(return_date, today).isoformat(),
            "returned_from": _pick(rng, RETURNED_FROM),
            "return_mode": rng.choice(["assisted", "assisted", "assisted", "deported", "voluntary", "pushed_back"]),
        }
        if rng.random() < 0.35:
            row["id_document_type"] = "laissez_passer"
            row["id_document_number"] = f"LP{rng.randint(100000, 999999)}"
        rows.append(row)
    # A few deliberate duplicates, spelled as they really vary: the demo must show the matcher at work.
    variants = {"Mamadou": "Mahamadou", "Keïta": "Keita", "Coulibaly": "Kulibali", "Diallo": "Jallo",
                "Sissoko": "Cissoko", "Seydou": "Seidou", "Moussa": "Musa", "Traoré": "Traore"}
    for j, src in enumerate([r for r in rows if r["given_name"] in variants or r["family_name"] in variants][:12]):
        dup = {**src, "record_id": f"demo-dup-{j:02d}"}
        dup["given_name"] = variants.get(dup["given_name"], dup["given_name"])
        dup["family_name"] = variants.get(dup["family_name"], dup["family_name"])
        if dup["birth_date"] and j % 2:
            dup["birth_year"], dup["birth_date"] = dup["birth_date"][:4], ""
        if j % 3 == 0:
            dup["phone"] = ""
        rows.append(dup)
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
            person = person_create(by=by, cleaned=cleaned, external_ref=("demo", record_id))
            when = timezone.make_aware(dt.datetime.combine(cleaned["return_date"], dt.time(14, 0)))
            person.events.filter(kind="registered").update(occurred_at=when)
            for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
                rel = rng.choice(RELATIONSHIPS)
                age = rng.randint(0, 17) if rel == "child" else rng.randint(18, 70)
                household_add(by=by, person_id=person.pk, data={
                    "relationship": rel, "given_name": rng.choice(MEN + WOMEN), "family_name": person.family_name,
                    "sex": rng.choice("MF"), "birth_year": timezone.localdate().year - age,
                })
            if rng.random() < 0.9:
                consent_record(by=by, person=person, scope="collection", granted=True,
                               given_on=cleaned["return_date"])
            created += 1
    return created
