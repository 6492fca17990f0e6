"""Demo flow monitoring: the ten points of SPEC §2 with the roads they watch and an enumerator
each, three months of daily counts (September–November 2019) and the day's tallies recorded through
the count service, with a few planted gaps, an outlier, tallies that disagree, late sheets and
corrections, and the bi-weekly reports M&E
published. Deterministic and idempotent: a point-day already counted is left alone."""

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from parcours.accounts.models import Agency, Place, Role, User

from .models import Count, Point, Tally
from .periods import days_of, next_period
from .services import count_record, point_upsert, report_publish, tally_record

FIRST, LAST = dt.date(2019, 9, 1), dt.date(2019, 11, 30)
# code: (roads watched, mean people a day, main destinations, share outgoing)
POINTS = {
    "GAO-FMP": ("RN15 Gao–Bourem–Kidal ; RN17 Gao–Ansongo–Niamey", 48, ["DZ", "NE", "LY"], 0.62),
    "KID-FMP": ("Kidal–Aguelhok–Tessalit–In Khalil (Algérie)", 22, ["DZ"], 0.7),
    "MEN-FMP": ("Ménaka–Anderamboukane (Niger)", 18, ["NE", "LY"], 0.66),
    "TOM-FMP": ("Tombouctou–Ber–Taoudénit", 16, ["DZ", "MR"], 0.55),
    "MOP-FMP": ("RN6 Mopti–Sévaré–Douentza", 30, ["ML", "BF", "NE"], 0.5),
    "KAY-FMP": ("RN1 Kayes–Diboli (Sénégal)", 26, ["SN", "MR", "ML"], 0.45),
    "SEG-FMP": ("RN6 Ségou–San", 20, ["ML", "BF"], 0.5),
    "SIK-FMP": ("RN7 Sikasso–Zégoua (Côte d'Ivoire)", 24, ["CI", "ML", "BF"], 0.48),
    "BKO-FMP": ("Gare routière de Sogoniko", 40, ["ML", "NE", "DZ", "SN"], 0.55),
    "SEG-BEN": ("Bénéna–frontière du Burkina Faso", 14, ["BF", "ML"], 0.5),
}
# SPEC §2: Mali 42 %, Guinea 21 %, Côte d'Ivoire 8 %, Senegal 7 %, Gambia 5 %, others the rest.
NATIONALITIES = [("ML", 42), ("GN", 21), ("CI", 8), ("SN", 7), ("GM", 5), ("BF", 6), ("NE", 4), ("NG", 4),
                 ("CM", 3)]
TRANSPORT = [("bus", 45), ("truck", 25), ("car", 12), ("motorbike", 10), ("on_foot", 3), ("other", 5)]
REASONS = [("economic", 70), ("family", 14), ("education", 4), ("conflict", 7), ("other", 5)]
# Planted for the quality checks: days nobody counted (insecurity on the Kidal road, a sick
# enumerator in Ménaka) and a day far above the point's own history (a convoy through Gao).
GAPS = {"KID-FMP": [dt.date(2019, 10, d) for d in range(3, 10)], "MEN-FMP": [dt.date(2019, 11, 21)],
        "TOM-FMP": [dt.date(2019, 9, 28), dt.date(2019, 9, 29)]}
OUTLIERS = {("GAO-FMP", dt.date(2019, 10, 14)): 6}
# Sheets corrected after they were sent (kept in history).
CORRECTED = {("GAO-FMP", dt.date(2019, 10, 2)), ("BKO-FMP", dt.date(2019, 11, 5))}
# Days whose tally marks and lines disagree (a line left off the sheet, a group counted twice).
MISMATCHES = {("SIK-FMP", dt.date(2019, 10, 22), "in"): 5, ("MOP-FMP", dt.date(2019, 11, 12), "out"): -4}
# Sheets typed long after the day (days of delay): the Ségou laptop was away for repair.
LATE = {("SEG-FMP", dt.date(2019, 11, 18)): 9, ("SEG-FMP", dt.date(2019, 11, 19)): 8}
# Periods M&E did not publish (the Kidal point during its gap).
UNPUBLISHED = {("KID-FMP", dt.date(2019, 10, 1))}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


def _enumerator(point: Point, agency: Agency | None) -> User:
    slug = point.code.split("-")[0].lower() if point.code != "SEG-BEN" else "benena"
    user, created = User.objects.get_or_create(
        username=f"enumerator.{slug}", defaults={"first_name": "Enquêteur", "last_name": point.place.name,
                                                  "role": Role.ENUMERATOR, "agency": agency, "place": point.place})
    if created:
        user.set_unusable_password()  # counts on paper transcribed by the point; no demo login
        user.save(update_fields=["password"])
    return user


def _lines(rng: random.Random, code: str, mean: int, destinations: list[str], out_share: float, factor: float):
    """A day's sheet: groups of travellers who answered alike, merged into lines."""
    people = max(0, int(rng.gauss(mean * factor, mean * 0.25)))
    sheet: Counter = Counter()
    while people > 0:
        size = min(people, rng.choice([1, 1, 2, 3, 4, 6, 8]))
        people -= size
        direction = "out" if rng.random() < out_share else "in"
        sex = "F" if rng.random() < 0.17 else "M"
        age = "0-17" if rng.random() < 0.08 else ("60+" if rng.random() < 0.03 else "18-59")
        destination = rng.choice(destinations) if direction == "out" else "ML"
        sheet[(direction, _pick(rng, NATIONALITIES), sex, age, _pick(rng, TRANSPORT), _pick(rng, REASONS),
               destination)] += size
    return sheet


def load_demo_flows() -> dict:
    agency = Agency.objects.filter(code="IOM").first()
    me = User.objects.get(username="me.iom")
    gao = User.objects.filter(username="enumerator.gao").first()
    points = {}
    for code, (roads, *_rest) in POINTS.items():
        place = Place.objects.filter(kind="fmp", code=code).first()
        if place is None:
            continue
        point = point_upsert(place=place, roads=roads)
        enumerator = gao if code == "GAO-FMP" and gao else _enumerator(point, agency)
        point.enumerators.add(enumerator)
        points[code] = (point, enumerator)
    recorded = 0
    for code, (point, enumerator) in points.items():
        _roads, mean, destinations, out_share = POINTS[code]
        rng = random.Random(f"flows-{code}")
        done = set(Count.objects.filter(point=point, day__range=(FIRST, LAST)).values_list("day", flat=True).distinct())
        for day in days_of(FIRST, LAST):
            factor = OUTLIERS.get((code, day), 1) * (1.15 if day.weekday() in (0, 4) else 1)
            sheet = _lines(rng, code, mean, destinations, out_share, factor)  # drawn even if skipped: stable
            if day in done or day in GAPS.get(code, ()):
                continue
            for (direction, nationality, sex, age, transport, reason, destination), n in sorted(sheet.items()):
                data = {"point": code, "date": day.isoformat(), "direction": direction, "nationality": nationality,
                        "sex": sex, "age_group": age, "transport": transport, "reason": reason,
                        "destination": destination if direction == "out" else "", "count": n}
                _count, created = count_record(by=enumerator, data=data)
                recorded += created
            corrected = sorted(sheet.items())[0] if (code, day) in CORRECTED else None
            for direction in ("in", "out"):
                total = sum(n for key, n in sheet.items() if key[0] == direction)
                if corrected and corrected[0][0] == direction:
                    total += 2  # the tally marks were right; the sheet's first line is corrected below
                tally_record(by=enumerator, data={"point": code, "date": day.isoformat(), "direction": direction,
                                                  "total": total + MISMATCHES.get((code, day, direction), 0)})
            # Typed the evening of the day (or later, when planted late), not when the demo loads.
            typed = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=LATE.get((code, day), 0)),
                                                            dt.time(19)))
            Count.objects.filter(point=point, day=day).update(recorded_at=typed)
            Tally.objects.filter(point=point, day=day).update(recorded_at=typed)
            if corrected:
                # The sheet was re-read the next morning: the first line was two short.
                first = corrected
                data = {**data, "direction": first[0][0], "nationality": first[0][1], "sex": first[0][2],
                        "age_group": first[0][3], "transport": first[0][4], "reason": first[0][5],
                        "destination": first[0][6] if first[0][0] == "out" else "", "count": first[1] + 2,
                        "correction": True}
                fixed, _created = count_record(by=enumerator, data=data)
                Count.objects.filter(pk=fixed.pk).update(
                    recorded_at=timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9))))
    published = 0
    start = FIRST
    while start <= LAST:
        for code in points:
            if (code, start) not in UNPUBLISHED:
                _r, created = report_publish(by=me, data={"point": code, "period_start": start.isoformat()})
                published += created
        start = next_period(start)[0]
    return {"points": len(points), "counts_recorded": recorded, "reports_published": published}
