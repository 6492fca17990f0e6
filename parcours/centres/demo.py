"""The centres of SPEC §2 as data (`data/centres_ML.csv`, keyed by the code of their place) and
the demo stays and returns, written through the services like any user's work."""

import csv
import datetime as dt
import random
from pathlib import Path

from django.utils import timezone

from parcours.accounts.models import Agency, Place, Role, User
from parcours.core.demographics import is_minor

from .models import Centre, Stay
from .services import centre_upsert

DATA = Path(__file__).parent / "data"


def _admin() -> User:
    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def load_demo_centres(path: Path = DATA / "centres_ML.csv") -> int:
    """Create or update the centres (idempotent). Their places come from the demo gazetteer."""
    admin = _admin()
    count = 0
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            place = Place.objects.filter(kind=Place.Kind.CENTRE, code=row["code"]).first()
            agency = Agency.objects.filter(code=row["agency"]).first()
            if place is None or agency is None:
                continue
            centre_upsert(by=admin, code=row["code"], name=place.name, place=place, agency=agency,
                          capacity=int(row["capacity"]), services=[s for s in row["services"].split("|") if s],
                          stranded_after_days=int(row["stranded_after_days"]), protected=row["protected"] == "1")
            count += 1
    return count


def centres() -> dict[str, Centre]:
    return {c.code: c for c in Centre.objects.all()}


# ---------------------------------------------------------------- demo stays and returns

# Foreign migrants in transit (SPEC §2 flows without the Malians), as weights.
NATIONALITIES = [("GN", 36), ("CI", 14), ("SN", 12), ("GM", 9), ("NE", 8), ("BF", 7), ("CM", 5), ("NG", 4),
                 ("SL", 3), ("LR", 2)]
NAMES = {
    "GN": (["Mamadou", "Alpha", "Ibrahima", "Ousmane", "Thierno", "Mariama", "Fatoumata", "Kadiatou"],
           ["Diallo", "Barry", "Bah", "Camara", "Sow", "Condé", "Soumah", "Keïta"], "Pular, Soussou, français"),
    "CI": (["Koffi", "Yao", "Kouassi", "Aya", "Adjoua", "Seydou", "Awa"],
           ["Kouamé", "Konan", "Ouattara", "Coulibaly", "Traoré", "N'Guessan"], "Dioula, français"),
    "SN": (["Moussa", "Cheikh", "Abdoulaye", "Aminata", "Khady", "Modou"],
           ["Ndiaye", "Diop", "Fall", "Sarr", "Gueye", "Ba"], "Wolof, français"),
    "GM": (["Lamin", "Ebrima", "Musa", "Isatou", "Fatou"], ["Jallow", "Ceesay", "Touray", "Sanneh", "Bojang"],
           "Mandinka, anglais"),
    "NE": (["Issoufou", "Abdou", "Hamidou", "Zeinabou", "Rakia"], ["Moussa", "Issa", "Hamani", "Boubacar"],
           "Haoussa, zarma"),
    "BF": (["Souleymane", "Adama", "Issaka", "Salimata", "Rasmata"], ["Ouédraogo", "Sawadogo", "Kaboré", "Zongo"],
           "Mooré, dioula"),
    "CM": (["Jean", "Paul", "Christian", "Brigitte", "Sandrine"], ["Mbarga", "Nkoulou", "Tchoupo", "Fotso"],
           "français, anglais"),
    "NG": (["Chinedu", "Emeka", "Blessing", "Joy", "Precious"], ["Okafor", "Eze", "Okonkwo", "Adeyemi"],
           "anglais, igbo"),
    "SL": (["Mohamed", "Abu", "Mariatu", "Hawa"], ["Kamara", "Sesay", "Conteh", "Bangura"], "krio, anglais"),
    "LR": (["Samuel", "Joseph", "Comfort", "Esther"], ["Johnson", "Kollie", "Flomo", "Doe"], "anglais"),
}
# Stays per centre over the demo years, who registers the people there, and who admits them.
CENTRE_PLAN = {
    "GAO-PC": (170, "centre.gao", "centre.gao"),
    "GAO-CRG": (70, "admin", "admin"),
    "TOM-PC": (45, "admin", "admin"),
    "BKO-CRB": (90, "reception.bamako", "admin"),
    "KAY-CRK": (35, "caseworker.kayes", "admin"),
    "BKO-CITE": (25, "reception.bamako", "admin"),
    "BKO-MDM": (25, "reception.bamako", "admin"),
    "BKO-ENDA": (12, "admin", "admin"),
}
ENTRY_POINTS = {"GAO": ["GAO", "GAO-FMP", "MEN-FMP"], "TOM": ["TOM", "TOM-FMP"], "BKO": ["BKO", "BKO-FMP", "MOP"],
                "KAY": ["KAY", "KAY-FMP"]}
# Departures home: (from, destination, mode, every N days, first day, carrier).
DEPARTURE_LINES = [
    ("GAO", "GN", "bus", 63, dt.date(2024, 3, 12), "Convoi OIM Gao–Conakry"),
    ("GAO", "NE", "bus", 84, dt.date(2024, 4, 2), "Convoi OIM Gao–Niamey"),
    ("GAO", "BF", "bus", 112, dt.date(2024, 5, 14), "Convoi OIM Gao–Ouagadougou"),
    ("GAO", "CI", "charter", 140, dt.date(2024, 6, 20), "Vol affrété OIM Gao–Abidjan"),
    ("BKO", "CI", "charter", 120, dt.date(2024, 2, 27), "Vol affrété OIM Bamako–Abidjan"),
    ("BKO", "SN", "bus", 91, dt.date(2024, 3, 5), "Convoi OIM Bamako–Dakar"),
    ("BKO", "GN", "bus", 98, dt.date(2024, 4, 16), "Convoi OIM Bamako–Conakry"),
    ("BKO", "GM", "commercial", 150, dt.date(2024, 7, 9), "Air Sénégal"),
]
MISSIONS = {"GN": "Direction nationale des Guinéens de l'étranger", "NE": "Ministère de l'Intérieur du Niger",
            "BF": "CONASUR (Burkina Faso)", "CI": "Direction générale des Ivoiriens de l'extérieur",
            "SN": "Direction générale d'appui aux Sénégalais de l'extérieur", "GM": "Ministry of Foreign Affairs, The Gambia"}
START = dt.date(2024, 1, 8)
# Months with more arrivals (expulsions in Algeria and Niger push people south in spring and autumn).
PEAKS = {3: 2.2, 4: 2.5, 5: 1.8, 10: 1.6, 11: 1.9}


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def _arrival_day(rng, today: dt.date) -> dt.date:
    days = (today - START).days
    while True:
        day = START + dt.timedelta(days=rng.randrange(days))
        if rng.random() * 2.5 <= PEAKS.get(day.month, 1.0):
            return day


def _departure_days(today: dt.date) -> list[tuple]:
    """Every departure of every line up to 20 days from today (the next ones are planned, not left)."""
    out = []
    for origin, country, mode, every, first, carrier in DEPARTURE_LINES:
        day = first
        while day <= today + dt.timedelta(days=20):
            out.append((day, origin, country, mode, carrier))
            day += dt.timedelta(days=every)
    return sorted(out)


def load_demo_stays(seed: int = 12) -> dict:
    """Stays in every demo centre from 2024 to today, some people stranded for weeks, and the
    returns home grouped in departures (a bus to Guinea, a charter to Côte d'Ivoire…), all through
    the services, in the order the days happened. Idempotent: done once (demo reference "demo-centres")."""
    from django.db import transaction

    from parcours.people.models import ExternalReference

    if ExternalReference.objects.filter(system="demo-centres").exists():
        return {"stays": 0}
    users = {u.username: u for u in User.objects.filter(username__in=[
        "admin", "centre.gao", "reception.bamako", "caseworker.kayes", "protection.bamako"])}
    if not Centre.objects.exists() or "admin" not in users or "centre.gao" not in users:
        return {"stays": 0}
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        sim = _Simulation(rng, today, users)
        for code, (count, registrar, admitter) in CENTRE_PLAN.items():
            centre = Centre.objects.filter(code=code).first()
            if centre is not None:
                for _ in range(count):
                    sim.plan_stay(centre, users.get(registrar, users["admin"]), users.get(admitter, users["admin"]))
        sim.run()
    return sim.counts


class _Simulation:
    """The demo days in order: each morning the departures of the day leave (freeing beds), then
    the arrivals are admitted; a stay that ends otherwise is closed when admitted (its dates known)."""

    def __init__(self, rng, today, users):
        self.rng, self.today, self.users = rng, today, users
        self.plans: list[dict] = []
        self.counts = {"stays": 0, "full": 0, "departures": 0, "departed": 0, "stranded": 0}
        self.waiting: dict[tuple[str, str], list] = {}  # (origin, country) -> [(stay, request)]

    def plan_stay(self, centre: Centre, registrar, admitter) -> None:
        rng = self.rng
        entered = _arrival_day(rng, self.today)
        country = "NG" if centre.protected and rng.random() < 0.6 else _pick(rng, NATIONALITIES)
        origin = centre.place.path.split("/")[2] if centre.place.path.count("/") > 2 else ""
        going_home = origin in ("GAO", "BKO") and centre.code in ("GAO-PC", "BKO-CRB") and rng.random() < 0.55
        if rng.random() < 0.08:
            nights = rng.randint(35, 120)  # stuck: no money, no document, nowhere to go
        else:
            nights = rng.randint(2, 21)
        reason = _pick(rng, [("onward", 45), ("left_without_notice", 30), ("referred", 12)])
        self.plans.append({"centre": centre, "registrar": registrar, "admitter": admitter, "entered": entered,
                           "country": country, "origin": origin, "home": going_home, "nights": nights,
                           "reason": reason})

    def run(self) -> None:
        events = [(p["entered"], 1, i, p) for i, p in enumerate(self.plans)]
        events += [(day, 0, i, line) for i, (day, *line) in enumerate(_departure_days(self.today))]
        for day, order, _i, item in sorted(events, key=lambda e: (e[0], e[1], e[2])):
            if order == 0:
                self.departure(day, *item)
            else:
                self.arrival(item)
        self.counts["stranded"] = sum(
            1 for s in Stay.objects.filter(left_on__isnull=True).select_related("centre")
            if s.nights(self.today) >= s.centre.stranded_after_days)

    def _person(self, plan: dict):
        from parcours.people.services import person_create
        from parcours.people.validation import validate_person

        rng = self.rng
        given, family, languages = NAMES[plan["country"]]
        female = plan["centre"].protected or rng.random() < 0.22
        women = [n for n in given if n[-1] in "aeu" or n in ("Awa", "Aya", "Joy", "Hawa", "Comfort", "Esther")]
        first = rng.choice(women if female and women else given)
        age = rng.choice([15, 16, 17]) if rng.random() < 0.05 else rng.randint(18, 40)
        data = {"given_name": first, "family_name": rng.choice(family), "sex": "F" if female else "M",
                "birth_year": str(plan["entered"].year - age), "nationality": plan["country"],
                "languages": languages}
        when = timezone.make_aware(dt.datetime.combine(plan["entered"], dt.time(10, 0)))
        self.counts.setdefault("people", 0)
        self.counts["people"] += 1
        return person_create(by=plan["registrar"], cleaned=validate_person(data),
                             external_ref=("demo-centres", str(self.counts["people"])), occurred_at=when), age

    def arrival(self, plan: dict) -> None:
        from parcours.core.errors import ValidationFailed

        from . import services

        rng, entered = self.rng, plan["entered"]
        person, age = self._person(plan)
        services_at_entry = ["food", "shelter"] + (["medical"] if rng.random() < 0.3 else [])
        try:
            stay = services.stay_begin(
                by=plan["admitter"], centre_code=plan["centre"].code, person_id=person.pk, data={
                    "entered_on": entered, "services": services_at_entry,
                    "entry_point": rng.choice(ENTRY_POINTS.get(plan["origin"], [""])),
                    "trafficking_victim": plan["centre"].protected,
                    "unaccompanied_minor": is_minor(age) and rng.random() < 0.5})
        except ValidationFailed:
            self.counts["full"] += 1  # the centre was full that night: they slept elsewhere
            return
        self.counts["stays"] += 1
        left = entered + dt.timedelta(days=plan["nights"])
        for n in range(1, plan["nights"], 7):  # weekly meals and care while they stay
            day = entered + dt.timedelta(days=n)
            if day > min(left, self.today):
                break
            kind = "food" if rng.random() < 0.7 else rng.choice(["medical", "psychosocial", "legal"])
            services.stay_service_record(by=plan["admitter"], stay_id=stay.pk,
                                         data={"kind": kind, "given_on": day, "quantity": 7 if kind == "food" else 1})
        if plan["home"] and plan["country"] in {c for o, c, *_r in DEPARTURE_LINES if o == plan["origin"]}:
            self._ask_to_return(plan, person, stay)
        elif left <= self.today:
            services.stay_end(by=plan["admitter"], stay_id=stay.pk, data={"left_on": left, "reason": plan["reason"]})

    def _avr_user(self, origin: str):
        return self.users["centre.gao"] if origin == "GAO" else self.users.get("protection.bamako", self.users["admin"])

    def _ask_to_return(self, plan, person, stay) -> None:
        from . import services

        rng, by = self.rng, self._avr_user(plan["origin"])
        asked = min(plan["entered"] + dt.timedelta(days=rng.randint(1, 4)), self.today)
        request = services.return_request_open(by=by, person_id=person.pk,
                                               data={"requested_on": asked, "destination": plan["country"]})
        consent_day = min(asked + dt.timedelta(days=1), self.today)
        if rng.random() < 0.06:  # changed their mind: the refusal is recorded, the stay goes on
            services.return_consent_record(by=by, request_id=request.pk,
                                           data={"consent_to_return": False, "given_on": consent_day})
            left = plan["entered"] + dt.timedelta(days=plan["nights"])
            if left <= self.today:
                services.stay_end(by=plan["admitter"], stay_id=stay.pk, data={"left_on": left, "reason": "onward"})
            return
        services.return_consent_record(by=by, request_id=request.pk,
                                       data={"consent_to_return": True, "given_on": consent_day})
        if services.needs_best_interest(person, asked + dt.timedelta(days=60)):
            admin = self.users["admin"]
            for step, after in (("requested", 1), ("contact_made", 4), ("family_located", 7)):
                day = plan["entered"] + dt.timedelta(days=after)
                if day <= self.today:
                    services.tracing_step_record(by=admin, stay_id=stay.pk, data={"step": step, "on": day})
            decided = plan["entered"] + dt.timedelta(days=9)
            if decided <= self.today:
                services.best_interest_record(by=admin, request_id=request.pk,
                                              data={"decided_on": decided, "in_best_interest": True})
        issued = asked + dt.timedelta(days=rng.randint(5, 14))
        if issued <= self.today:
            services.return_document_record(by=by, request_id=request.pk, data={
                "type": "laissez_passer" if rng.random() < 0.8 else "passport",
                "number": f"{plan['country']}{rng.randint(100000, 999999)}",
                "issued_on": issued, "expires_on": issued + dt.timedelta(days=180)})
        self.waiting.setdefault((plan["origin"], plan["country"]), []).append((stay, request.pk))

    def departure(self, day, origin, country, mode, carrier) -> None:
        from parcours.core.errors import ValidationFailed

        from . import services
        from .models import ReturnRequest

        queue = self.waiting.get((origin, country), [])
        ready = [(s, r) for s, r in queue if ReturnRequest.objects.filter(
            pk=r, status=ReturnRequest.Status.READY, document_issued_on__lt=day).exists() and s.entered_on < day]
        if not ready:
            return
        by = self._avr_user(origin)
        dep = services.departure_plan(by=by, data={"planned_on": day, "destination": country, "mode": mode,
                                                   "carrier": carrier,
                                                   "reference": f"AVR-{origin}-{country}-{day:%Y%m%d}"})
        self.counts["departures"] += 1
        for stay, request_id in ready:
            person_id = ReturnRequest.objects.values_list("person_id", flat=True).get(pk=request_id)
            try:
                seat = services.passenger_add(by=by, departure_id=dep.pk, person_id=person_id, consent_to_return=True)
            except ValidationFailed:
                continue
            queue.remove((stay, request_id))
            if self.rng.random() < 0.05 and day <= self.today:
                services.passenger_no_show(by=by, departure_id=dep.pk, passenger_id=seat.pk)
                queue.append((stay, request_id))  # they will be asked again for the next one
        if day > self.today:
            return  # the next departures: planned, passengers booked
        try:
            services.departure_depart(by=by, departure_id=dep.pk, data={"departed_on": day})
        except ValidationFailed:
            return
        self.counts["departed"] += dep.passengers.filter(status="departed").count()
        handed = day + dt.timedelta(days=0 if mode != "bus" else 2)
        if handed <= self.today:
            services.departure_hand_over(by=by, departure_id=dep.pk,
                                         data={"handed_over_on": handed, "receiving_mission": MISSIONS[country]})
