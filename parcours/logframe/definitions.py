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
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models import Value as Literal
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber

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


def with_counted_person(qs: QuerySet[Fact]) -> QuerySet[Fact]:
    """`pid`: the person a fact counts for — the record kept when its own was merged into another.
    Only merged records are joined (a few percent), not the whole registry: over a million facts
    that is the difference between hashing a million people and a few thousand."""
    merged = FilteredRelation("person", condition=Q(person__merged_into__isnull=False))
    return qs.annotate(merged_person=merged).annotate(pid=Coalesce("merged_person__merged_into_id", "person_id"))


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
        found = row[f"data_{dim[5:]}"]
        return "unknown" if found in (None, "") else str(found)
    raise DefinitionError(f"disaggregation: unknown dimension {dim}")


def compute(definition: dict, *, start: dt.date | None = None, end: dt.date | None = None,
            disaggregations: list[str] = (), scope: Q | None = None) -> Value:
    """The indicator's value over [start, end] (inclusive, by each fact's own date).

    The database does the counting: each query returns one row per combination of the raw
    columns the disaggregations read (sex, age, paths…), a few thousand rows at most whatever the
    number of facts, and the groups are folded here (an age into its band, a path into its region)."""
    check(definition, list(disaggregations))
    with _analytic_session():
        return _compute(definition, start, end, disaggregations, scope)


@contextmanager
def _analytic_session():
    """On PostgreSQL, for these queries only: sort a million facts in memory rather than in
    temporary files, and skip JIT compilation, which costs more than it saves on queries of a few
    seconds (OS1.assisted over 1 M payments: 3.0 s -> 1.9 s)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _compute(definition: dict, start, end, disaggregations, scope) -> Value:
    qs = with_counted_person(_filtered(definition, start, end, scope))
    count = definition["count"]
    split = definition.get("split", {}).get("sex")
    if not disaggregations and not split:
        return Value(_total(qs, count))
    regions = _region_names() if "region" in disaggregations else {}
    raw = _raw_columns(disaggregations)
    if _distinct(count):
        groups = _first_fact_groups(qs, count, raw)
    else:
        groups = _summed_groups(qs, count, raw, split)
    total = 0
    by: dict[str, dict[str, int]] = {d: defaultdict(int) for d in disaggregations}
    for row in groups:
        amount = row["n"]
        total += amount
        for dim in disaggregations:
            if dim == "sex" and split:
                for sex in split:
                    by[dim][sex] += row[f"split_{sex}"] or 0
            else:
                by[dim][_dimension_key(dim, row, regions)] += amount
    return Value(total, {d: dict(sorted(by[d].items())) for d in disaggregations})


def _distinct(count: str) -> bool:
    return count.startswith("distinct_")


# The columns each dimension is computed from (`_dimension_key` reads them).
_RAW = {"sex": ["sex"], "age_group": ["age"], "returned_from": ["returned_from"], "nationality": ["nationality"],
        "agency": ["agency__code"], "region": ["origin_path", "place_path"]}


def _raw_columns(disaggregations) -> dict[str, object]:
    """{alias: expression} of what the groups are made of; data keys come out as text."""
    out: dict[str, object] = {}
    for dim in disaggregations:
        if dim.startswith("data."):
            out[f"data_{dim[5:]}"] = KeyTextTransform(dim[5:], "data")
        for column in _RAW.get(dim, []):
            out[column] = F(column)
    return out


def _unit_partition(count: str) -> list:
    """What one counted unit is: a person (a merged record counts for the one kept), a place, or
    the record a fact is about (a fact on its own when it is about none)."""
    if count == "distinct_people":
        return [F("pid")]
    if count == "distinct_places":
        return [F("place_id")]
    return [F("subject_type"), Case(When(subject_id="", then=Concat(Literal("#"), Cast("id", CharField()))),
                                    default=F("subject_id"))]


def _first_fact_groups(qs: QuerySet[Fact], count: str, raw: dict) -> list[dict]:
    """Units counted by group. A unit (a person, a place) is put in one group per dimension, by
    its first fact in the period, so the groups always add up to the total (a man paid at 17 and
    at 18 is counted once, at 17)."""
    if count == "distinct_people":
        qs = qs.exclude(pid=None)
    elif count == "distinct_places":
        qs = qs.exclude(place=None)
    aliases = {f"g_{a}": e for a, e in raw.items()}
    inner = qs.order_by().annotate(**aliases, rn=Window(RowNumber(), partition_by=_unit_partition(count),
                                                order_by=[F("occurred_on").asc(), F("id").asc()]))
    inner = inner.values(*aliases, "rn")
    sql, params = inner.query.sql_with_params()
    names = list(raw)
    selected = ", ".join(f'"g_{a}"' for a in names)
    # Aliases are this module's own names; the inner query and its parameters come from the ORM.
    grouped = f"SELECT {selected}{', ' if names else ''}COUNT(*) FROM ({sql}) AS facts WHERE rn = 1"  # noqa: S608
    if names:
        grouped += f" GROUP BY {selected}"
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return [dict(zip([*names, "n"], row, strict=True)) for row in cursor.fetchall()]


def _summed_groups(qs: QuerySet[Fact], count: str, raw: dict, split: dict | None) -> list[dict]:
    """Facts, quantities or amounts summed by group; `split` sums the data keys that already
    count each sex (an activity's participants)."""
    parts = {f"split_{sex}": Coalesce(Sum(Cast(KeyTextTransform(key, "data"), IntegerField())), 0)
             for sex, key in (split or {}).items()}
    if count == "facts":
        n = Count("id")
    elif count == "amount_xof":
        n = Coalesce(Sum("amount_xof"), 0)
    elif split:
        n = sum(parts.values(), start=Literal(0))
    else:
        n = Coalesce(Sum("quantity"), 0)
    rows = qs.annotate(**{f"g_{a}": e for a, e in raw.items()}).values(*[f"g_{a}" for a in raw])
    rows = rows.order_by().annotate(**parts, n=n)
    return [{**{a: r[f"g_{a}"] for a in raw}, **{k: r[k] for k in parts}, "n": r["n"]} for r in rows]


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
