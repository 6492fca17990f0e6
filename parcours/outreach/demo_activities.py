"""Demo sensitization at the scale of the logframe's targets, over the programme's years
(17 May 2017 – 16 May 2020, SPEC §2): about 70 000 people met in 200 communes (OS4), 120 security
and technical agents trained in 4 trainings and 4 decentralised workshops, and 10 animation
sessions (OS5). Radio, TV and social media carry an audience estimate and no participants: never
people met. A follow-up call a month later on part of the talks and events, pre/post perception
on part of them.

The plan is drawn from a fixed seed (`plan()`: the same rows every time, the test recomputes the
figures from it) and written through the services as the M&E officer (the focal point of Sikasso
records its own region's), each activity with its retry key: running it again writes nothing.
The communes the plan needs beyond the gazetteer's come from `data/communes.csv` (real communes
of Mali, under their cercle)."""

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from parcours.accounts.models import Place, User
from parcours.accounts.services import place_upsert
from parcours.places.services import DATA as GAZETTEER

from .followup import followup_due
from .models import Activity
from .services import activities_record_many

STARTS, ENDS = dt.date(2017, 6, 1), dt.date(2020, 5, 16)
SEED = 2017
# Communes sensitized per region (200 in all): where the returnees come from weighs most.
PER_REGION = {"KAY": 50, "SIK": 36, "KOU": 30, "SEG": 30, "MOP": 22, "TOM": 12, "GAO": 8, "BKO": 6, "KID": 4,
              "MEN": 2}
# kind, audience, (min, max) people, share of men, per commune (min, max) over the three years
COMMUNITY = [
    ("proximity_talk", "community", (20, 62), 0.45, (4, 7)),
    ("home_visit", "community", (2, 9), 0.40, (2, 5)),
    ("mass_event", "community", (90, 260), 0.52, (0, 1)),
    ("workshop", "csos", (12, 30), 0.55, (0, 1)),
]
THEMES = ["irregular_migration_risks", "irregular_migration_risks", "local_opportunities", "legal_migration",
          "free_movement"]
# OS5, on fixed days: trainings of security agents (20 each) and decentralised workshops of the
# technical services (10 each): 120 agents. The logframe's entered values cite them.
TRAININGS = [("2018-03-22", "BKO-C3"), ("2018-11-15", "KAY-KAY-KAY"), ("2019-04-18", "SIK-SIK-SIK"),
             ("2019-12-05", "GAO-GAO-GAO")]
WORKSHOPS = [("2018-06-14", "SIK-SIK-SIK"), ("2019-02-21", "SEG-SEG-SEG"), ("2019-10-10", "KAY-KAY-KAY"),
             ("2020-02-27", "MOP-MOP-MOP")]
# Radio, TV, social media: one broadcast a quarter from a regional capital, audience estimated.
MEDIA_COMMUNES = ["KAY-KAY-KAY", "SIK-SIK-SIK", "SEG-SEG-SEG", "MOP-MOP-MOP", "BKO-C4", "GAO-GAO-GAO",
                  "TOM-TOM-TOM"]
# Animation sessions on free movement (OS5): seven by the logframe's entry of 20/11/2019, ten by 05/03/2020.
ANIMATION_DAYS = ["2017-11-16", "2018-03-08", "2018-06-21", "2018-10-25", "2019-01-31", "2019-05-16", "2019-10-03",
                  "2019-12-12", "2020-01-30", "2020-03-05"]


@dataclass(frozen=True)
class Row:
    key: str
    on: dt.date
    commune: str  # a place code
    kind: str
    theme: str
    audience: str
    men: int
    women: int
    minors: int = 0
    communities: int = 1
    media: int | None = None
    followup: bool = False
    perception: bool = False

    @property
    def people(self) -> int:
        return self.men + self.women


def _communes_csv() -> list[dict]:
    with open(Path(__file__).parent / "data" / "communes.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def commune_codes(rng: random.Random) -> list[str]:
    """200 communes: each region's own in the gazetteer first, then drawn from the demo list (read
    from the files, not the database: the same plan before and after loading)."""
    extra: dict[str, list[str]] = {}
    for row in _communes_csv():
        extra.setdefault(row["parent"].split("-")[0], []).append(row["code"])
    with open(GAZETTEER / "ML.csv", encoding="utf-8") as fh:
        gazetteer = sorted(row["code"] for row in csv.DictReader(fh) if row["kind"] == Place.Kind.COMMUNE)
    chosen = []
    for region, count in PER_REGION.items():
        own = [c for c in gazetteer if c.split("-")[0] == region][:count]
        chosen += own + rng.sample(sorted(extra.get(region, [])), count - len(own))
    return chosen


def _day(rng: random.Random) -> dt.date:
    # Fewer activities in the rainy season (July–September): people are in the fields.
    while True:
        day = STARTS + dt.timedelta(days=rng.randrange((ENDS - STARTS).days + 1))
        if day.month not in (7, 8, 9) or rng.random() < 0.4:
            return day


def _split(rng, total: int, share_men: float) -> tuple[int, int]:
    men = round(total * min(max(rng.gauss(share_men, 0.08), 0.1), 0.9))
    return men, total - men


def plan() -> list[Row]:
    """Every activity of the demo, the same each time (the seed)."""
    rng = random.Random(SEED)
    rows: list[Row] = []
    communes = commune_codes(rng)
    for commune in communes:
        for kind, audience, (low, high), share, (least, most) in COMMUNITY:
            for _ in range(rng.randint(least, most)):
                men, women = _split(rng, rng.randint(low, high), share)
                talk = kind in ("proximity_talk", "mass_event")
                rows.append(Row(f"demo-os4-{len(rows)}", _day(rng), commune, kind, rng.choice(THEMES), audience, men,
                                women, minors=round((men + women) * rng.uniform(0.05, 0.25)) if audience == "community"
                                else 0, communities=rng.randint(1, 4) if kind == "mass_event" else 1,
                                followup=talk and rng.random() < 0.35, perception=talk and rng.random() < 0.3))
    for i, commune in enumerate(rng.sample(communes, len(ANIMATION_DAYS))):
        men, women = _split(rng, rng.randint(120, 240), 0.5)
        rows.append(Row(f"demo-os4-anim-{i}", dt.date.fromisoformat(ANIMATION_DAYS[i]), commune, "mass_event", "free_movement", "community", men, women,
                        minors=round((men + women) * 0.2), communities=3, followup=True, perception=True))
    for i, (day, commune) in enumerate(TRAININGS):
        rows.append(Row(f"demo-os5-training-{i}", dt.date.fromisoformat(day), commune, "training", "free_movement",
                        "security_agents", 17, 3, perception=True))
    for i, (day, commune) in enumerate(WORKSHOPS):
        rows.append(Row(f"demo-os5-workshop-{i}", dt.date.fromisoformat(day), commune, "workshop", "free_movement",
                        "technical_services", 7, 3))
    quarter = STARTS
    while quarter <= ENDS:
        for commune in MEDIA_COMMUNES:
            rows.append(Row(f"demo-media-{quarter:%Y%m}-{commune}", quarter + dt.timedelta(days=rng.randrange(80)),
                            commune, "media", rng.choice(THEMES), "community", 0, 0,
                            media=rng.randrange(5, 80) * 1000))
        quarter = dt.date(quarter.year + (quarter.month + 2) // 12, (quarter.month + 2) % 12 + 1, 1)
    return [r for r in rows if r.on <= ENDS]


def _ensure_communes(codes: set[str]) -> None:
    known = set(Place.objects.filter(code__in=codes, kind=Place.Kind.COMMUNE).values_list("code", flat=True))
    cercles = {p.code: p for p in Place.objects.filter(kind=Place.Kind.CERCLE)}
    for row in _communes_csv():
        if row["code"] in codes and row["code"] not in known:
            place_upsert(code=row["code"], name=row["name"], kind=Place.Kind.COMMUNE, parent=cercles[row["parent"]])


def _as_row(row: Row, place: Place, organiser_kind: str) -> dict:
    values = {"on": row.on, "commune": place, "kind": row.kind, "theme": row.theme, "audience": row.audience,
              "participants_male": row.men, "participants_female": row.women, "participants_minors": row.minors,
              "communities_reached": row.communities, "audience_estimate": row.media, "organiser": "AECID",
              "organiser_kind": organiser_kind, "idempotency_key": row.key}
    if row.followup:
        values["followup"] = {"followup_on": followup_due(row.on), "followup_outcome": Activity.FollowupOutcome.REACHED,
                              "followup_reached": max(1, row.people * 2 // 5),
                              "followup_note": "Appels aux relais communautaires."}
    if row.perception:
        p = row.people
        values["perception"] = {"knows_risks_before": p * 2 // 5, "knows_risks_after": p * 4 // 5,
                                "knows_legal_way_before": p // 5, "knows_legal_way_after": p * 3 // 5,
                                "knows_free_movement_before": p // 4, "knows_free_movement_after": p * 7 // 10}
    return values


def load_demo_activities() -> dict:
    rows = plan()
    _ensure_communes({r.commune for r in rows})
    places = {p.code: p for p in Place.objects.filter(code__in={r.commune for r in rows}, kind=Place.Kind.COMMUNE)}
    me, focal = User.objects.get(username="me.iom"), User.objects.get(username="focal.sikasso")
    # The focal point of Sikasso records its region's; the M&E officer the AECID regional units' elsewhere.
    mine = [r for r in rows if places[r.commune].path.startswith(focal.place.path)]
    theirs = [r for r in rows if not places[r.commune].path.startswith(focal.place.path)]
    written = []
    with transaction.atomic():
        for by, part, kind in ((focal, mine, Activity.OrganiserKind.FOCAL_POINT),
                               (me, theirs, Activity.OrganiserKind.REGIONAL_UNIT)):
            done = activities_record_many(by=by, rows=[_as_row(r, places[r.commune], kind) for r in part])
            written += [a for a in done if not a.replayed]
    return {"activities": len(rows), "written": len(written),
            "followups": sum(a.followup_on is not None for a in written),
            "perceptions": sum(a.knows_risks_before is not None for a in written)}
