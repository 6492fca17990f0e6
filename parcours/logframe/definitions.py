"""Computing an indicator from facts, by the definition stored with it.

A definition is data (JSON on the indicator), for example
    {"count": "distinct_people", "kinds": ["assistance_paid"], "where": {"data.code__ne": "arrival_allowance"}}
- `count`: what is counted — `distinct_people` (a merged person once), `facts`, `quantity` (sum of
  the facts' quantities, e.g. participants), `amount_xof`, `distinct_places` (e.g. communes
  reached), `distinct_subjects`;
- `kinds`: the fact kinds counted (each domain registers its own; this module knows none);
- `where`: conditions on the fact's snapshot columns (`sex`, `nationality`, `returned_from`) or
  its data (`data.<key>`), with `__in` (a list) or `__ne`;
- `split`: for `quantity`, data keys that already split it by sex
  (`{"sex": {"M": "participants_male", "F": "participants_female"}}`).

The counting rules of CONTRACT "Results" hold for every definition: the period applies to the
fact's own date; voided facts (reversed payments, corrected counts) do not count; a person merged
into another counts once."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from parcours.accounts.models import Place
from parcours.core import demographics
from parcours.facts.models import Fact
from parcours.facts.selectors import live_facts

from .continents import continent_of

COUNTS = {"distinct_people", "facts", "quantity", "amount_xof", "distinct_places", "distinct_subjects"}
COLUMNS = {"sex", "nationality", "returned_from"}
DIMENSIONS = {"sex", "age_group", "returned_from", "region", "nationality", "agency"}


class DefinitionError(ValueError):
    """A stored definition that cannot be computed; says which part is wrong."""


@dataclass
class Value:
    value: int
    disaggregations: dict[str, dict[str, int]] = field(default_factory=dict)


def check(definition: dict, disaggregations: list[str]) -> None:
    """Refuse a definition this module cannot compute (at save time, not on the dashboard)."""
    if definition.get("count") not in COUNTS:
        raise DefinitionError(f"count must be one of {sorted(COUNTS)}")
    if not definition.get("kinds"):
        raise DefinitionError("kinds must list at least one fact kind")
    for key in definition.get("where", {}):
        name = key.split("__")[0]
        if not (name in COLUMNS or name.startswith("data.")):
            raise DefinitionError(f"where: unknown field {name}")
    for dim in disaggregations:
        if dim not in DIMENSIONS and not dim.startswith("data."):
            raise DefinitionError(f"disaggregation: unknown dimension {dim}")


def _lookup(key: str) -> tuple[str, str]:
    name, _, op = key.partition("__")
    column = "data__" + name[5:] if name.startswith("data.") else name
    return column, op


def _filtered(definition: dict, start: dt.date | None, end: dt.date | None, scope: Q | None) -> QuerySet[Fact]:
    qs = live_facts(definition["kinds"], start=start, end=end)
    for key, wanted in definition.get("where", {}).items():
        column, op = _lookup(key)
        if op == "in":
            qs = qs.filter(**{f"{column}__in": list(wanted)})
        elif op == "ne":
            qs = qs.exclude(**{column: wanted})
        else:
            qs = qs.filter(**{column: wanted})
    if scope is not None:
        qs = qs.filter(scope)
    return qs


def _region_names() -> dict[str, str]:
    return {p.code: p.name for p in Place.objects.filter(kind=Place.Kind.REGION)}


def _dimension_key(dim: str, row: dict, regions: dict[str, str]) -> str:
    if dim == "sex":
        return row["sex"] or "unknown"
    if dim == "age_group":
        return demographics.age_band(row["age"]) or "unknown"
    if dim == "returned_from":
        return continent_of(row["returned_from"]) or "unknown"
    if dim == "nationality":
        return row["nationality"] or "unknown"
    if dim == "agency":
        return row["agency__code"] or "unknown"
    if dim == "region":
        path = row["origin_path"] or row["place_path"]
        parts = [p for p in path.split("/") if p]
        return regions.get(parts[1], parts[1]) if len(parts) > 1 else "unknown"
    if dim.startswith("data."):
        return str((row["data"] or {}).get(dim[5:], "")) or "unknown"
    raise DefinitionError(f"disaggregation: unknown dimension {dim}")


_ROW = ["id", "pid", "sex", "age", "returned_from", "nationality", "agency__code", "origin_path", "place_path",
        "place_id", "subject_type", "subject_id", "quantity", "amount_xof", "data"]


def compute(definition: dict, *, start: dt.date | None = None, end: dt.date | None = None,
            disaggregations: list[str] = (), scope: Q | None = None) -> Value:
    """The indicator's value over [start, end] (inclusive, by each fact's own date)."""
    check(definition, list(disaggregations))
    qs = _filtered(definition, start, end, scope).annotate(pid=Coalesce("person__merged_into_id", "person_id"))
    count = definition["count"]
    split = definition.get("split", {}).get("sex")
    if not disaggregations and not split:
        return Value(_total(qs, count))
    regions = _region_names() if "region" in disaggregations else {}
    total_units: set = set()
    total = 0
    by: dict[str, dict[str, set | int]] = {d: defaultdict(set if _distinct(count) else int) for d in disaggregations}
    # A person (or place) is put in one group per dimension, by their first fact in the period, so
    # the groups always add up to the total (a man paid at 17 and at 18 is counted once).
    placed: dict[str, set] = {d: set() for d in disaggregations}
    for row in qs.order_by("occurred_on", "id").values(*_ROW).iterator(chunk_size=5000):
        unit = _unit(count, row)
        if _distinct(count):
            if unit is None:
                continue
            total_units.add(unit)
            for dim in disaggregations:
                if (dim == "sex" and split) or unit in placed[dim]:
                    continue
                placed[dim].add(unit)
                by[dim][_dimension_key(dim, row, regions)].add(unit)
        else:
            amount = _amount(count, row, split)
            total += amount
            for dim in disaggregations:
                if dim == "sex" and split:
                    for sex, key in split.items():
                        by[dim][sex] += int((row["data"] or {}).get(key) or 0)
                else:
                    by[dim][_dimension_key(dim, row, regions)] += amount
    value = len(total_units) if _distinct(count) else total
    return Value(value, {d: {k: (len(v) if isinstance(v, set) else v) for k, v in sorted(by[d].items())}
                         for d in disaggregations})


def _distinct(count: str) -> bool:
    return count.startswith("distinct_")


def _unit(count: str, row: dict):
    if count == "distinct_people":
        return row["pid"]
    if count == "distinct_places":
        return row["place_id"]
    return (row["subject_type"], row["subject_id"]) if row["subject_id"] else ("fact", row["id"])


def _amount(count: str, row: dict, split: dict | None) -> int:
    if count == "facts":
        return 1
    if count == "amount_xof":
        return row["amount_xof"] or 0
    if split:
        return sum(int((row["data"] or {}).get(key) or 0) for key in split.values())
    return row["quantity"] or 0


def _total(qs: QuerySet[Fact], count: str) -> int:
    if count == "distinct_people":
        return qs.exclude(pid=None).values("pid").distinct().count()
    if count == "distinct_places":
        return qs.exclude(place=None).values("place_id").distinct().count()
    if count == "distinct_subjects":
        return qs.values("subject_type", "subject_id").distinct().count()
    if count == "facts":
        return qs.count()
    column = "amount_xof" if count == "amount_xof" else "quantity"
    return qs.aggregate(total=Sum(column))["total"] or 0
