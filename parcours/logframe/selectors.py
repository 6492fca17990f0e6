"""Reading the results: each indicator's value for a period as the reader may count it,
progress against the original and current target, the people behind a number, the budget."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils import timezone

from parcours.audit.services import log_export
from parcours.core.errors import NotFound
from parcours.facts.models import Fact
from parcours.people.policies import people_visible_to

from . import definitions
from .hxl import indicators_csv
from .labels import labelled, unit_label
from .models import Action, BudgetLine, Indicator
from .policies import can_drill_down, can_read_results, fact_scope


@dataclass
class Result:
    indicator: Indicator
    value: int
    original_target: int | None
    target: int | None
    disaggregations: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def progress(self) -> float | None:
        """Share of the current target reached (0–1+), from the baseline."""
        if not self.target or self.target == self.indicator.baseline:
            return None
        return max(0.0, (self.value - self.indicator.baseline) / (self.target - self.indicator.baseline))

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    @property
    def groups(self) -> list:
        return labelled(self.disaggregations)

    @property
    def unit(self) -> str:
        return unit_label(self.indicator.unit)

    @property
    def bar_width(self) -> int:
        return min(100, self.percent or 0)


def action_exists() -> bool:
    return Action.objects.exists()


def action() -> Action:
    found = Action.objects.first()
    if found is None:
        raise NotFound()
    return found


def indicators(*, code: str | None = None):
    qs = Indicator.objects.select_related("objective").prefetch_related("targets", "entered_values")
    return qs.filter(code=code) if code else qs


def _scope_key(user) -> str:
    return user.place.path if user is not None and user.place_id else "*"


def _computed(indicator: Indicator, start, end, user) -> definitions.Value:
    """Cached per definition, period and scope; any new fact (a payment, a reversal, a merge)
    changes the watermark, so a figure is never stale."""
    watermark = Fact.objects.aggregate(m=Max("id"))["m"] or 0
    raw = json.dumps([indicator.definition, indicator.disaggregations, str(start), str(end), _scope_key(user),
                      watermark], sort_keys=True)
    key = "indicator:" + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = definitions.compute(indicator.definition, start=start, end=end,
                                    disaggregations=indicator.disaggregations,
                                    scope=fact_scope(user) if user is not None else None)
        cache.set(key, found, 3600)
    return found


def _entered(indicator: Indicator, start, end) -> int:
    """Entered values are cumulative achievements: the latest on or before the period's end."""
    values = [v for v in indicator.entered_values.all() if (end is None or v.achieved_on <= end)
              and (start is None or v.achieved_on >= start)]
    return values[-1].value if values else indicator.baseline


def results_for(user, *, start: dt.date | None = None, end: dt.date | None = None, code: str | None = None) -> list[Result]:
    """`user` None: the server's operator on the command line (the whole programme)."""
    if user is not None and not can_read_results(user):
        raise NotFound()
    out = []
    for indicator in indicators(code=code):
        targets = list(indicator.targets.all())
        if indicator.method == Indicator.Method.COMPUTED:
            computed = _computed(indicator, start, end, user)
            value, disaggregations = computed.value, computed.disaggregations
        else:
            value, disaggregations = _entered(indicator, start, end), {}
        out.append(Result(indicator, value, targets[0].value if targets else None,
                          targets[-1].value if targets else None, disaggregations))
    if code and not out:
        raise NotFound()
    return out


def people_behind(user, indicator: Indicator, *, start=None, end=None, limit: int = 500):
    """The people counted by a `distinct_people` indicator, as far as `user` may see them."""

    if not can_drill_down(user) or indicator.method != Indicator.Method.COMPUTED:
        raise NotFound()
    if indicator.definition.get("count") != "distinct_people":
        return []
    qs = definitions._filtered(indicator.definition, start, end, fact_scope(user))
    # A merged record's facts count for the record kept: list that one.
    ids = definitions.with_counted_person(qs.exclude(person=None)).values("pid")
    return list(people_visible_to(user).filter(pk__in=ids).order_by("family_name", "given_name")[:limit])


@dataclass
class BudgetRow:
    line: BudgetLine
    spent_eur: int
    assistance_eur: int

    @property
    def total_eur(self) -> int:
        return self.spent_eur + self.assistance_eur

    @property
    def percent(self) -> int:
        return round(100 * self.total_eur / self.line.amount_eur) if self.line.amount_eur else 0


def budget(user, *, until: dt.date | None = None) -> tuple[list[BudgetRow], dict]:
    """Each line with its spending and the assistance paid on it (XOF at the fixed parity, net
    of reversals), and the burn rate against the time elapsed."""
    if not can_read_results(user):
        raise NotFound()
    act = action()
    until = until or timezone.localdate()
    rows = []
    for line in BudgetLine.objects.filter(action=act).select_related("implementer", "objective"):
        spent = line.spending.filter(spent_on__lte=until).aggregate(s=Sum("amount_eur"))["s"] or 0
        xof = 0
        if line.assistance_schemes:
            xof = (Fact.objects.filter(kind="assistance_paid", voided_by__isnull=True, occurred_on__lte=until,
                                       data__code__in=line.assistance_schemes)
                   .aggregate(s=Sum("amount_xof"))["s"] or 0)
        rows.append(BudgetRow(line, spent, int(Decimal(xof) / act.xof_per_eur)))
    total = sum(r.line.amount_eur for r in rows)
    used = sum(r.total_eur for r in rows)
    span = (act.ends_on - act.starts_on).days or 1
    elapsed = min(max((until - act.starts_on).days, 0), span)
    return rows, {"budget_eur": total, "used_eur": used, "burn": round(100 * used / total) if total else 0,
                  "time_elapsed": round(100 * elapsed / span)}


def indicators_export(by, *, fmt: str, start: str = "", end: str = "", **_options) -> tuple[bytes, int]:
    """`parcours export indicators --format hxl`: the indicators as HXL-tagged CSV, logged
    (`--format xlsx`: xlsx.indicators_file)."""
    first = dt.date.fromisoformat(start) if start else None
    last = dt.date.fromisoformat(end) if end else timezone.localdate()
    results = results_for(by, start=first, end=last)
    if by is not None:
        log_export(user=by, model=Indicator, filters={"from": start, "to": end}, rows=len(results), fmt=fmt)
    return indicators_csv(results, start=first, end=last), len(results)
