"""Demo flow monitoring: the ten points of SPEC §2 with the roads they watch and an enumerator
each, two years of daily counts (2018 and 2019, inside the programme's 36 months from May 2017)
and the day's tallies, written as whole day sheets through `sheets_record` (the service the XLSX
import uses), with a few planted gaps, an outlier, tallies that disagree, late sheets and
corrections (through `count_record`), and the bi-weekly reports M&E published.

The totals are SPEC §2's, exactly: 174 215 people observed; Mali 42 %, Guinea 21 %, Côte
d'Ivoire 8 %, Senegal 7 %, Gambia 5 % of them to the person (each share rounded), the rest from
neighbouring countries. Day volumes are drawn per point, then scaled to the total by largest
remainders; nationalities are dealt from a shuffled pool holding exactly each one's share.
Deterministic and idempotent: a point-day already counted is left alone."""

import datetime as dt
import math
import random
from collections import Counter, defaultdict

from django.utils import timezone

from parcours.accounts.models import Agency, Place, Role, User

from .models import Count, Point, Tally
from .periods import days_of, next_period
from .services import count_record, point_upsert, report_publish
from .sheets import sheets_record

FIRST, LAST = dt.date(2018, 1, 1), dt.date(2019, 12, 31)
# SPEC §2: people observed at the ten points in those two years.
TOTAL = 174_215
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
# SPEC §2: Mali 42 %, Guinea 21 %, Côte d'Ivoire 8 %, Senegal 7 %, Gambia 5 %; the other 17 % from
# Burkina Faso, Niger, Nigeria and Cameroon in these proportions.
SHARES = {"ML": 42, "GN": 21, "CI": 8, "SN": 7, "GM": 5}
OTHERS = {"BF": 6, "NE": 4, "NG": 4, "CM": 3}
TRANSPORT = [("bus", 45), ("truck", 25), ("car", 12), ("motorbike", 10), ("on_foot", 3), ("other", 5)]
REASONS = [("economic", 70), ("family", 14), ("education", 4), ("conflict", 7), ("other", 5)]
# Planted for the quality checks: days nobody counted (insecurity on the Kidal road, a sick
# enumerator in Ménaka, the Bénéna track flooded in the 2018 rains) and a day far above the
# point's own history (a convoy through Gao).
GAPS = {"KID-FMP": [dt.date(2019, 10, d) for d in range(3, 10)], "MEN-FMP": [dt.date(2019, 11, 21)],
        "TOM-FMP": [dt.date(2019, 9, 28), dt.date(2019, 9, 29)],
        "SEG-BEN": [dt.date(2018, 8, d) for d in range(13, 17)]}
OUTLIERS = {("GAO-FMP", dt.date(2019, 10, 14)): 6}
# Sheets corrected after they were sent (kept in history).
CORRECTED = {("GAO-FMP", dt.date(2019, 10, 2)), ("BKO-FMP", dt.date(2019, 11, 5))}
# Days whose tally marks and lines disagree (a line left off the sheet, a group counted twice).
MISMATCHES = {("SIK-FMP", dt.date(2019, 10, 22), "in"): 5, ("MOP-FMP", dt.date(2019, 11, 12), "out"): -4}
# Sheets typed long after the day (days of delay): the Ségou laptop was away for repair.
LATE = {("SEG-FMP", dt.date(2019, 11, 18)): 9, ("SEG-FMP", dt.date(2019, 11, 19)): 8}
# Periods M&E did not publish (the Kidal point during its gap).
UNPUBLISHED = {("KID-FMP", dt.date(2019, 10, 1))}


GROUP_SIZES = [1, 1, 2, 3, 4, 6, 8]


def largest_remainder(weights: dict, total: int) -> dict:
    """Whole numbers proportional to `weights` that add up to `total` exactly (Hamilton's method:
    each its floor, then one more to the largest fractional parts; ties by key order)."""
    whole = sum(weights.values())
    exact = {k: w * total / whole for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    short = total - sum(out.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))[:short]:
        out[k] += 1
    return out


def nationality_targets(total: int = TOTAL) -> dict[str, int]:
    """People per nationality: each named share of SPEC §2 rounded to the person, the rest
    shared among the others by largest remainders."""
    named = {code: round(total * pct / 100) for code, pct in SHARES.items()}
    return {**named, **largest_remainder(OTHERS, total - sum(named.values()))}


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


def _volumes() -> dict[tuple[str, dt.date], int]:
    """People counted per point and day (gaps left out), adding up to TOTAL: drawn around each
    point's mean (busier on market days, Monday and Friday, and in the dry season; quieter in the
    rains), then scaled by largest remainders."""
    drawn = {}
    for code, (_roads, mean, _dest, _out) in POINTS.items():
        rng = random.Random(f"flows-volume-{code}")
        for day in days_of(FIRST, LAST):
            season = 1 + 0.15 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 60) / 365)
            factor = OUTLIERS.get((code, day), 1) * (1.15 if day.weekday() in (0, 4) else 1) * season
            people = max(1.0, rng.gauss(mean * factor, mean * 0.25))
            if day not in GAPS.get(code, ()):
                drawn[(code, day)] = people
    return largest_remainder(drawn, TOTAL)


def _sheets() -> dict[tuple[str, dt.date], Counter]:
    """Every point-day's sheet: {breakdown: people}. Nationalities are dealt from a shuffled pool
    holding exactly each one's target, so the two years add up to SPEC §2 whatever the draws."""
    volumes = _volumes()
    pool = [code for code, n in sorted(nationality_targets().items()) for _i in range(n)]
    random.Random("flows-nationalities").shuffle(pool)
    sheets, taken = {}, 0
    rngs = {code: random.Random(f"flows-{code}") for code in POINTS}
    for (code, day), people in sorted(volumes.items(), key=lambda kv: (kv[0][1], list(POINTS).index(kv[0][0]))):
        _roads, _mean, destinations, out_share = POINTS[code]
        rng = rngs[code]
        sheet: Counter = Counter()
        for nationality, n in sorted(Counter(pool[taken:taken + people]).items()):
            while n > 0:  # groups of travellers who answered alike
                size = min(n, rng.choice(GROUP_SIZES))
                n -= size
                direction = "out" if rng.random() < out_share else "in"
                sex = "F" if rng.random() < 0.17 else "M"
                age = "0-17" if rng.random() < 0.08 else ("60+" if rng.random() < 0.03 else "18-59")
                destination = rng.choice(destinations) if direction == "out" else ""
                sheet[(direction, nationality, sex, age, _pick(rng, TRANSPORT), _pick(rng, REASONS),
                       destination)] += size
        taken += people
        sheets[(code, day)] = sheet
    return sheets


def _line(code: str, day: dt.date, key: tuple, n: int) -> dict:
    direction, nationality, sex, age, transport, reason, destination = key
    return {"point": code, "date": day.isoformat(), "direction": direction, "nationality": nationality, "sex": sex,
            "age_group": age, "transport": transport, "reason": reason, "destination": destination, "count": n}


def _evening(day: dt.date, late: int = 0, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=late), dt.time(hour)))


def _corrected_line(sheet: Counter) -> tuple:
    """The line re-read the next morning: the largest (it was typed two short)."""
    return max(sorted(sheet), key=lambda key: sheet[key])


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
    recorded, written = 0, defaultdict(list)
    sheets = _sheets()
    for code, (point, enumerator) in points.items():
        done = set(Count.objects.filter(point=point, day__range=(FIRST, LAST)).values_list("day", flat=True).distinct())
        lines, tallies = [], []
        for day in days_of(FIRST, LAST):
            sheet = sheets.get((code, day))
            if sheet is None or day in done:
                continue
            corrected = _corrected_line(sheet) if (code, day) in CORRECTED else None
            for key, n in sorted(sheet.items()):
                lines.append(_line(code, day, key, n - 2 if key == corrected else n))
            for direction in ("in", "out"):
                total = sum(n for key, n in sheet.items() if key[0] == direction)  # the tally marks were right
                tallies.append({"point": code, "date": day.isoformat(), "direction": direction,
                                "total": total + MISMATCHES.get((code, day, direction), 0)})
            written[day].append(point.pk)
        recorded += sheets_record(by=enumerator, lines=lines, tallies=tallies).lines
    # Typed the evening of the day (or later, when planted late), not when the demo loads.
    for day, point_ids in written.items():
        Count.objects.filter(point_id__in=point_ids, day=day).update(recorded_at=_evening(day))
        Tally.objects.filter(point_id__in=point_ids, day=day).update(recorded_at=_evening(day))
    for (code, day), late in LATE.items():
        if code in points and points[code][0].pk in written.get(day, ()):
            Count.objects.filter(point=points[code][0], day=day).update(recorded_at=_evening(day, late))
            Tally.objects.filter(point=points[code][0], day=day).update(recorded_at=_evening(day, late))
    for code, day in sorted(CORRECTED):
        if code in points and points[code][0].pk in written.get(day, ()):
            # The sheet was re-read the next morning: its largest line was two short.
            sheet = sheets[(code, day)]
            key = _corrected_line(sheet)
            fixed, _created = count_record(by=points[code][1], data={**_line(code, day, key, sheet[key]),
                                                                     "correction": True})
            Count.objects.filter(pk=fixed.pk).update(recorded_at=_evening(day, 1, hour=9))
    published = 0
    start = FIRST
    while start <= LAST:
        for code in points:
            if (code, start) not in UNPUBLISHED:
                _r, created = report_publish(by=me, data={"point": code, "period_start": start.isoformat()})
                published += created
        start = next_period(start)[0]
    return {"points": len(points), "counts_recorded": recorded, "reports_published": published}
