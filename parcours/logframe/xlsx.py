"""The indicators as an XLSX workbook (results page, `GET /api/v1/indicators/export.xlsx`,
`parcours export indicators --format xlsx`): a sheet with one row per indicator and period — code,
label in the reader's language, objective, unit, baseline, original and current target, actual,
progress — and one sheet per disaggregation. Every figure comes from `selectors.results_for`, the
selector the dashboard reads, so a cell and the card on the page are the same number. Cells are
neutralised (parcours.core.spreadsheets); every export is logged."""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import log_export
from parcours.core.spreadsheets import SafeXlsxWriter

from . import selectors
from .labels import DIMENSIONS, group_label
from .models import Indicator


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date | None
    end: dt.date


def default_periods(action, today: dt.date | None = None) -> list[Period]:
    """No period asked: the whole action to date, then each calendar year of it — the dashboard's
    "Whole action" and year choices, with the same bounds."""
    today = today or timezone.localdate()
    out = [Period(_("Whole action"), None, today)]
    for year in range(action.starts_on.year, max(action.ends_on.year, today.year) + 1):
        out.append(Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return out


def one_period(start: dt.date | None, end: dt.date | None, label: str = "") -> Period:
    end = end or timezone.localdate()
    return Period(label or f"{start.isoformat() if start else '…'} – {end.isoformat()}", start, end)


def _columns() -> list[str]:
    return [_("Code"), _("Indicator"), _("Objective"), _("Unit"), _("Period"), _("From"), _("To"), _("Baseline"),
            _("Original target"), _("Current target"), _("Actual"), _("Progress (%)"), _("Method")]


def indicators_workbook(user, periods: list[Period]) -> tuple[bytes, int]:
    """The workbook and its number of indicator rows. NotFound for a user who may not read results."""
    # Every figure first: a reader refused (NotFound) leaves no half-written workbook behind.
    results = [(period, selectors.results_for(user, start=period.start, end=period.end)) for period in periods]
    book = SafeXlsxWriter()
    main = _("Indicators")
    book.sheet(main, _columns())
    by_dimension: dict[str, list[list]] = {}
    rows = 0
    for period, period_results in results:
        for r in period_results:
            i = r.indicator
            book.append(main, [i.code, i.label, i.objective.code, r.unit, period.label, period.start, period.end,
                               i.baseline, r.original_target, r.target, r.value, r.percent,
                               Indicator.Method(i.method).label])
            rows += 1
            for dim, groups in r.disaggregations.items():
                for key, value in groups.items():
                    by_dimension.setdefault(dim, []).append(
                        [i.code, i.label, period.label, period.start, period.end, group_label(dim, key), key, value])
    for dim, lines in by_dimension.items():
        title = _sheet_title(str(DIMENSIONS.get(dim, dim)), main)
        book.sheet(title, [_("Code"), _("Indicator"), _("Period"), _("From"), _("To"), _("Group"), _("Group code"),
                           _("Value")])
        for line in lines:
            book.append(title, line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


def _sheet_title(text: str, *taken: str) -> str:
    """An XLSX sheet name: 31 characters, none of []:*?/\\ ."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in text)[:31] or "-"
    return clean if clean not in taken else clean[:28] + " 2"


def indicators_xlsx(*, by, periods: list[Period]) -> tuple[bytes, int]:
    """The workbook for `by` (None: the server's operator on the command line), logged."""
    data, rows = indicators_workbook(by, periods)
    if by is not None:
        filters = {"periods": [p.label for p in periods]}
        log_export(user=by, model=Indicator, filters=filters, rows=rows, fmt="xlsx")
    return data, rows


def indicators_file(by, *, fmt: str, start: str = "", end: str = "", **options) -> tuple[bytes, int]:
    """`parcours export indicators`: `--format xlsx` the workbook (no period: the whole action and
    each year); HXL and CSV as selectors.indicators_export writes them."""
    if fmt != "xlsx":
        return selectors.indicators_export(by, fmt=fmt, start=start, end=end, **options)
    first = dt.date.fromisoformat(start) if start else None
    last = dt.date.fromisoformat(end) if end else None
    periods = [one_period(first, last)] if (start or end) else default_periods(selectors.action())
    return indicators_xlsx(by=by, periods=periods)
