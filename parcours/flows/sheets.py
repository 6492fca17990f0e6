"""Whole day sheets at once: the lines of one or more point-days (and their tallies), checked
together and written together. The XLSX import, the demo loader and any bulk client come
through `sheets_record`; it validates each line exactly as `count_record` does (the same
`CountInput`), and writes with bulk inserts, the facts through the facts layer.

A sheet is all or nothing: one wrong line refuses the whole of it, each error naming the line
and the field. Sending a sheet again is harmless: a point-day already counted with the very
same lines is skipped; with other lines it is refused (a correction is made line by line, and
kept in history, by the count page or the API)."""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parcours.core.errors import Conflict, FieldErrors, Forbidden, ValidationFailed
from parcours.facts.services import fact_build, facts_record_many

from .events import FlowEvent
from .models import BREAKDOWN, Count, Point, Tally
from .policies import can_record_counts, points_visible_to
from .validation import CountInput, TallyInput


class SheetRefused(ValidationFailed):
    """Nothing was written: `errors` lists {"line", "field", "messages"} (line numbers as the
    caller numbered its lines: a spreadsheet's rows)."""

    def __init__(self, errors: list[dict], labels: dict):
        fields: dict[str, list[str]] = defaultdict(list)
        for err in errors:
            fields[err["field"]] += [_("line %(line)s: %(message)s") % {"line": err["line"], "message": m}
                                     for m in err["messages"]]
        super().__init__(FieldErrors(dict(fields), labels),
                         _("Nothing was recorded: %(n)s lines of the sheet need correcting.")
                         % {"n": len({e["line"] for e in errors})})
        self.errors = errors


@dataclass
class SheetResult:
    lines: int = 0  # count lines written
    days: int = 0  # point-days written
    already: int = 0  # point-days already counted with the same lines: skipped
    tallies: int = 0  # day tallies written
    counts: list[Count] = field(default_factory=list)


def _key(values: Mapping) -> tuple:
    return tuple(values[name] for name in BREAKDOWN)


class _Form:
    """One validating form reused for every line: the same fields and clean methods as a form per
    line, without copying its fields 80 000 times (that copy was most of a demo load's time)."""

    def __init__(self, form_class):
        self.form = form_class(data={})
        self.labels = {name: f.label for name, f in self.form.fields.items() if f.label}

    def check(self, data: Mapping) -> tuple[dict | None, dict]:
        form = self.form
        form.data, form._errors = data, None  # rebind: `errors` runs full_clean on the new data
        if form.is_valid():
            return dict(form.cleaned_data), {}
        return None, {("non_field" if k == "__all__" else k): [str(m) for m in v] for k, v in form.errors.items()}


class _Checker:
    """Validates lines one by one against the points `by` may record at, collecting errors."""

    def __init__(self, by, allowed: Callable):
        if not allowed(by):
            raise Forbidden()
        self.points = {p.code: p for p in points_visible_to(by).select_related("place")}
        self.errors: list[dict] = []
        self.forms: dict = {}

    @property
    def labels(self) -> dict:
        return {k: v for form in self.forms.values() for k, v in form.labels.items()}

    def refuse(self, line, name: str, message) -> None:
        self.errors.append({"line": line, "field": name, "messages": [str(message)]})

    def valid(self, form_class, data: Mapping, line) -> tuple[dict, Point] | None:
        form = self.forms.get(form_class) or self.forms.setdefault(form_class, _Form(form_class))
        cleaned, errors = form.check(data)
        point = self.points.get(str(data.get("point", "")).strip())
        if point is None and "point" not in errors:
            # Unknown and out of reach look the same: the sheet never tells which points exist.
            errors["point"] = [_("No point with this code where you may record counts.")]
        elif point is not None and not point.active and "point" not in errors:
            errors["point"] = [_("This point no longer counts.")]
        if cleaned and cleaned.get("correction"):
            errors["correction"] = [_("A sheet records first counts: send a correction line by line "
                                      "(the count page or the API), so that it is kept in history.")]
        for name, messages in errors.items():
            self.errors.append({"line": line, "field": name, "messages": list(messages)})
        return None if errors else (cleaned, point)


@transaction.atomic
def sheets_record(*, by, lines: Sequence[Mapping], tallies: Sequence[Mapping] = (),
                  numbers: Sequence | None = None, tally_numbers: Sequence | None = None,
                  allowed: Callable = can_record_counts, progress=lambda done: None) -> SheetResult:
    """Record the lines (each the input of `count_record`) and the day tallies (each the input of
    `tally_record`) of whole point-days, or nothing. `numbers` names each line in errors (default
    1, 2, …). `allowed` is the role check: an import may admit more roles than the count page
    (M&E transcribing a point's spreadsheet); the points are always those the user sees.
    `progress(lines checked)` is called as the lines are checked (a job's progress bar)."""
    numbers = list(numbers) if numbers is not None else list(range(1, len(lines) + 1))
    tally_numbers = list(tally_numbers) if tally_numbers is not None else [f"T{i}" for i in range(1, len(tallies) + 1)]
    check = _Checker(by, allowed)
    days: dict[tuple[int, object], dict[tuple, tuple]] = defaultdict(dict)  # (point, day) -> {key: (n, line)}
    first_line: dict[tuple[int, object], object] = {}
    for i, (line, data) in enumerate(zip(numbers, lines, strict=True), start=1):
        if i % 500 == 0:
            progress(i)
        valid = check.valid(CountInput, data, line)
        if valid is None:
            continue
        cleaned, point = valid
        day_key = (point.pk, cleaned["date"])
        key = _key(cleaned)
        if key in days[day_key]:
            check.refuse(line, "count", _("Line %(other)s already counts this point, day and breakdown.")
                         % {"other": days[day_key][key][1]})
            continue
        days[day_key][key] = (cleaned["count"], line)
        first_line.setdefault(day_key, line)
    sheet_tallies: dict[tuple[int, object, str], tuple[int, object]] = {}
    for line, data in zip(tally_numbers, tallies, strict=True):
        valid = check.valid(TallyInput, data, line)
        if valid is not None:
            cleaned, point = valid
            sheet_tallies[(point.pk, cleaned["date"], cleaned["direction"])] = (cleaned["total"], line)
    if check.errors:
        raise SheetRefused(check.errors, check.labels)

    # Point-days already counted: the same lines are a re-run (skipped), others a refusal.
    recorded: dict[tuple[int, object], dict[tuple, int]] = defaultdict(dict)
    if days:
        point_ids = {p for p, _d in days}
        day_list = [d for _p, d in days]
        for row in (Count.objects.filter(live=True, point_id__in=point_ids, day__gte=min(day_list),
                                         day__lte=max(day_list))
                    .values("point_id", "day", "count", *BREAKDOWN)):
            if (row["point_id"], row["day"]) in days:
                recorded[(row["point_id"], row["day"])][_key(row)] = row["count"]
    result = SheetResult()
    todo = []
    for day_key, sheet in days.items():
        there = recorded.get(day_key)
        if there is None:
            todo.append(day_key)
        elif there == {key: n for key, (n, _line) in sheet.items()}:
            result.already += 1
        else:
            check.refuse(first_line[day_key], "date",
                         _("This point's day is already counted (%(n)s lines) and this sheet differs: correct "
                           "the lines that changed on the count page or by the API, as corrections.")
                         % {"n": len(there)})
    live_tallies = {}
    if sheet_tallies:
        for t in Tally.objects.filter(live=True, point_id__in={k[0] for k in sheet_tallies},
                                      day__in={k[1] for k in sheet_tallies}):
            live_tallies[(t.point_id, t.day, t.direction)] = t.total
    new_tallies = []
    for key, (total, line) in sheet_tallies.items():
        if key not in live_tallies:
            new_tallies.append((key, total))
        elif live_tallies[key] != total:
            check.refuse(line, "total", _("This day's tally is already recorded (%(n)s): send a correction "
                                          "on the count page or by the API.") % {"n": live_tallies[key]})
    if check.errors:
        raise SheetRefused(check.errors, check.labels)

    by_pk = {p.pk: p for p in check.points.values()}
    counts = []
    for point_id, day in todo:
        point = by_pk[point_id]
        for key, (number, _line) in days[(point_id, day)].items():
            counts.append(Count(point=point, day=day, count=number, recorded_by=by, **dict(zip(BREAKDOWN, key,
                                                                                               strict=True))))
    facts = facts_record_many([
        fact_build(kind=FlowEvent.COUNTED, on=c.day, place=c.point.place, quantity=c.count, actor=by, subject=c,
                   data={"point": c.point.code, **c.breakdown()}) for c in counts])
    for count, fact in zip(counts, facts, strict=True):
        count.fact = fact
    try:
        with transaction.atomic():
            Count.objects.bulk_create(counts, batch_size=2000)
            Tally.objects.bulk_create([Tally(point_id=p, day=d, direction=direction, total=total, recorded_by=by)
                                       for (p, d, direction), total in new_tallies], batch_size=2000)
    except IntegrityError:
        # Someone recorded one of these days between the check and the write: nothing of the sheet
        # is kept; sending it again skips or names what is there now.
        raise Conflict(_("Some of these days were recorded by someone else at the same time: nothing was "
                         "recorded. Send the sheet again."), code="already_counted") from None
    result.lines, result.days, result.tallies, result.counts = len(counts), len(todo), len(new_tallies), counts
    return result
