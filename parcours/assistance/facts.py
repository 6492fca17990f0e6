"""The facts scheme rules can use, computed from a person on the evaluation date.

A fact is a function of a `FactContext` registered under the name rules use:

    from parcours.assistance.facts import register_fact

    @register_fact("training_days_attended")
    def days_attended(ctx):            # ctx.person, ctx.on (date), ctx.period ("YYYY-MM"), ctx.scheme
        return ...

Registering a name again replaces the earlier definition: the referrals app may register its own
`training_days_attended` (from enrolment attendance) in its `AppConfig.ready()`; until then the
default below reads the `AttendanceRecord`s kept here. `function=True` registers a fact that
returns a callable, used in rules as `received("business_kit")`.

Facts are computed only when a rule names them, and `Preload` fetches what the built-in facts
need for many people at once (the live eligible count)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

FACTS: dict[str, Callable] = {}
FUNCTIONS: set[str] = set()
DESCRIPTIONS: dict[str, object] = {}


def register_fact(name: str, *, function: bool = False, description=""):
    def wrap(fn):
        FACTS[name] = fn
        if function:
            FUNCTIONS.add(name)
        else:
            FUNCTIONS.discard(name)
        if description or name not in DESCRIPTIONS:
            DESCRIPTIONS[name] = description
        return fn

    return wrap


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period_of(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


@dataclass
class Preload:
    """What the built-in facts read, fetched once for many people."""

    household: dict = field(default_factory=lambda: defaultdict(list))
    payments: dict = field(default_factory=lambda: defaultdict(list))  # live payments per person
    attendance: dict = field(default_factory=dict)  # (person_id, month) -> days
    verified: dict = field(default_factory=lambda: defaultdict(list))  # (person_id, scheme_id) -> [dates]

    @classmethod
    def for_people(cls, person_ids: list, *, on: dt.date, period: str) -> "Preload":
        from parcours.people.models import HouseholdMember

        from .models import AttendanceRecord, VerificationVisit

        pre = cls()
        for m in HouseholdMember.objects.filter(person_id__in=person_ids).only(
                "person_id", "birth_date", "birth_year"):
            pre.household[m.person_id].append(m)
        # A duplicate record merged into a person still counts as that person's (fraud: paid twice).
        for e in _live_payments().filter(Q(person_id__in=person_ids) | Q(person__merged_into_id__in=person_ids)) \
                .annotate(owner=Coalesce("person__merged_into_id", "person_id")).select_related("scheme__category"):
            pre.payments[e.owner].append(e)
        month = period_start(period)
        for a in AttendanceRecord.objects.filter(person_id__in=person_ids, month=month):
            pre.attendance[(a.person_id, month)] = a.days
        for v in VerificationVisit.objects.filter(Q(person_id__in=person_ids) | Q(person__merged_into_id__in=person_ids),
                                                  tranche=1, outcome=VerificationVisit.Outcome.VERIFIED) \
                .annotate(owner=Coalesce("person__merged_into_id", "person_id")):
            pre.verified[(v.owner, v.scheme_id)].append(v.visited_on)
        return pre


def same_person(person) -> Q:
    """Rows of `person` or of a duplicate record merged into them."""
    return Q(person=person) | Q(person__merged_into=person)


def _live_payments():
    from .models import LedgerEntry

    return LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True)


class FactContext:
    def __init__(self, person, on: dt.date, *, scheme=None, period: str = "", preload: Preload | None = None):
        self.person, self.on, self.scheme = person, on, scheme
        self.period = period or period_of(on)
        self.preload = preload
        self._cache: dict = {}

    def household(self) -> list:
        if self.preload is not None:
            return self.preload.household.get(self.person.pk, [])
        if "household" not in self._cache:
            self._cache["household"] = list(self.person.household.all())
        return self._cache["household"]

    def live_payments(self) -> list:
        """Live (not reversed) payments up to the evaluation date."""
        if self.preload is not None:
            rows = self.preload.payments.get(self.person.pk, [])
        else:
            if "payments" not in self._cache:
                self._cache["payments"] = list(_live_payments().filter(same_person(self.person))
                                               .select_related("scheme__category"))
            rows = self._cache["payments"]
        return [e for e in rows if e.paid_on <= self.on]

    def since_return(self) -> list:
        start = self.person.return_date
        return [e for e in self.live_payments() if start is None or e.paid_on >= start]

    def values(self, names: set[str]) -> tuple[dict, dict]:
        """(plain facts, person-bound functions) for the names a rule uses."""
        plain, funcs = {}, {}
        for name in names:
            fn = FACTS.get(name)
            if fn is None:
                continue
            (funcs if name in FUNCTIONS else plain)[name] = fn(self)
        return plain, funcs


def known_names() -> frozenset:
    from .rules import PURE_FUNCTIONS

    return frozenset(FACTS) | frozenset(PURE_FUNCTIONS)


def sample_facts(on: dt.date) -> tuple[list[dict], dict]:
    """Typical values of the facts for a few made-up people, to try a rule on when it is saved
    (rules.check_on_samples): an adult returnee alone, a family with children, a minor with nothing
    attended. A fact registered elsewhere and missing here makes the trial skip that rule."""
    base = {"evaluation_date": on, "return_date": on - dt.timedelta(days=200), "first_tranche_verified": False}
    samples = [
        {**base, "age": 30, "sex": "M", "household_ages": [], "household_size": 1, "training_days_attended": 20},
        {**base, "age": 42, "sex": "F", "household_ages": [3, 12, 16, 40], "household_size": 5,
         "training_days_attended": 0, "first_tranche_verified": True},
        {**base, "age": 17, "sex": "M", "household_ages": [45], "household_size": 2, "training_days_attended": 5},
    ]
    functions = {"received": lambda code: 0, "received_category": lambda category: 0}
    return samples, functions


@register_fact("age", description=_("age in whole years on the evaluation date (None if unknown)"))
def _age(ctx: FactContext):
    return ctx.person.age_on(ctx.on)


@register_fact("sex", description=_("\"M\" or \"F\" (\"\" if unknown)"))
def _sex(ctx: FactContext):
    return ctx.person.sex


@register_fact("return_date", description=_("date of return to the country (None if not recorded)"))
def _return_date(ctx: FactContext):
    rd = ctx.person.return_date
    return rd if rd is not None and rd <= ctx.on else None


@register_fact("evaluation_date", description=_("the date the rules are evaluated on"))
def _evaluation_date(ctx: FactContext):
    return ctx.on


@register_fact("household_ages", description=_("ages of the household members on the evaluation date "
                                                 "(members of unknown age left out)"))
def _household_ages(ctx: FactContext):
    return [a for a in (m.age_on(ctx.on) for m in ctx.household()) if a is not None]


@register_fact("household_size", description=_("the person and their household members"))
def _household_size(ctx: FactContext):
    return 1 + len(ctx.household())


@register_fact("training_days_attended", description=_("days of training attended in the month paid"))
def _training_days(ctx: FactContext):
    month = period_start(ctx.period)
    if ctx.preload is not None:
        return ctx.preload.attendance.get((ctx.person.pk, month), 0)
    from .models import AttendanceRecord

    record = AttendanceRecord.objects.filter(person=ctx.person, month=month).only("days").first()
    return record.days if record else 0


@register_fact("first_tranche_verified", description=_("a field visit verified the use of the first tranche "
                                                         "of this scheme"))
def _first_tranche_verified(ctx: FactContext):
    if ctx.scheme is None:
        return False
    if ctx.preload is not None:
        dates = ctx.preload.verified.get((ctx.person.pk, ctx.scheme.pk), [])
    else:
        from .models import VerificationVisit

        dates = list(VerificationVisit.objects.filter(
            same_person(ctx.person), scheme=ctx.scheme, tranche=1, outcome=VerificationVisit.Outcome.VERIFIED,
        ).values_list("visited_on", flat=True))
    return any(d <= ctx.on for d in dates)


@register_fact("received", function=True,
               description=_("received(\"code\"): payments of that scheme since return, not reversed"))
def _received(ctx: FactContext):
    return lambda code: sum(1 for e in ctx.since_return() if e.scheme.code == code)


@register_fact("received_category", function=True,
               description=_("received_category(\"code\"): payments of any scheme of that category since "
                             "return, not reversed"))
def _received_category(ctx: FactContext):
    return lambda category: sum(1 for e in ctx.since_return() if e.scheme.category.code == category)
