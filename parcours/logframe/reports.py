"""The donor's periodic report (SPEC §4.9): the narrative the M&E officer writes, every indicator
against its target for the period and since the start, the budget and its burn rate, charts —
rendered to PDF in the background and stored, so the report sent is the report kept."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.jobs.registry import register

from . import selectors
from .models import DonorReport, Narrative
from .policies import can_edit_results, can_read_reports
from .services import narrative_write

# The blocks of narrative, in the order the report prints them.
SECTIONS = [
    ("context", gettext_lazy("Context")),
    ("progress", gettext_lazy("Progress in the period")),
    ("risks", gettext_lazy("Difficulties, risks and mitigation")),
    ("next", gettext_lazy("Plans for the next period")),
]
SECTION_KEYS = [key for key, _label in SECTIONS]


@dataclass
class Line:
    """One indicator in the report: its value in the period and since the action began."""

    result: selectors.Result  # since the start of the action, up to the period's end
    in_period: int

    @property
    def indicator(self):
        return self.result.indicator


def period_check(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    errors = {}
    if start is None:
        errors["from"] = [_("Give the first day of the period.")]
    if end is None:
        errors["to"] = [_("Give the last day of the period.")]
    if start and end and end < start:
        errors["to"] = [_("The period ends before it starts.")]
    if end and end > timezone.localdate():
        errors["to"] = [_("A report covers days that have passed: the period cannot end after today.")]
    if errors:
        raise ValidationFailed(errors)
    return start, end


def narratives_for(action, start: dt.date, end: dt.date) -> dict[str, str]:
    found = Narrative.objects.filter(action=action, period_start=start, period_end=end)
    return {n.section: n.text for n in found}


@transaction.atomic
def narratives_save(*, by, start: dt.date, end: dt.date, texts: dict[str, str]) -> None:
    """The blocks as written; an emptied block is removed, the others kept (history in the audit log)."""
    if not can_edit_results(by):  # checked first: emptying the blocks is a write too
        raise Forbidden()
    action = selectors.action()
    for key in SECTION_KEYS:
        text = (texts.get(key) or "").strip()
        if text:
            narrative_write(by=by, action=action, period_start=start, period_end=end, section=key, text=text)
        else:
            Narrative.objects.filter(action=action, period_start=start, period_end=end, section=key).delete()


def report_context(by, *, start: dt.date, end: dt.date, progress=lambda done, total: None) -> dict:
    """Everything the report prints, counted as `by` may count it (the whole programme for M&E)."""
    action = selectors.action()
    cumulative = selectors.results_for(by, start=None, end=end)
    progress(1, 4)
    in_period = {r.indicator.code: r.value for r in selectors.results_for(by, start=start, end=end)}
    progress(2, 4)
    by_objective: dict = {}
    for r in cumulative:
        by_objective.setdefault(r.indicator.objective, []).append(Line(r, in_period.get(r.indicator.code, 0)))
    rows, totals = selectors.budget(by, until=end)
    progress(3, 4)
    texts = narratives_for(action, start, end)
    return {
        "action": action, "start": start, "end": end, "by_objective": by_objective,
        "sections": [(label, texts[key]) for key, label in SECTIONS if texts.get(key)],
        "budget_rows": rows, "budget": totals, "generated_on": timezone.localdate(),
    }


def report_html(by, *, start: dt.date, end: dt.date, progress=lambda done, total: None) -> str:
    return render_to_string("logframe/report_pdf.html", report_context(by, start=start, end=end, progress=progress))


@transaction.atomic
def report_generate(*, by, start: dt.date | None, end: dt.date | None,
                    progress=lambda done, total: None) -> DonorReport:
    """Count, render and keep the report. M&E and the administrator only."""
    if not can_edit_results(by):
        raise Forbidden()
    start, end = period_check(start, end)
    html = report_html(by, start=start, end=end, progress=progress)
    from weasyprint import HTML  # imported here: loading Pango costs a second the web process rarely needs

    pdf = HTML(string=html).write_pdf()
    progress(4, 4)
    return DonorReport.objects.create(action=selectors.action(), period_start=start, period_end=end,
                                      language=translation.get_language() or "fr", pdf=pdf, created_by=by)


def can_use_reports(user) -> bool:
    """The donor reports' page and list: readers of the stored reports and those who write them."""
    return can_read_reports(user) or can_edit_results(user)


def reports_visible_to(user):
    if not can_read_reports(user):
        return DonorReport.objects.none()
    return DonorReport.objects.select_related("created_by").defer("pdf")


def report_for_read(user, report_id) -> DonorReport:
    found = reports_visible_to(user).filter(pk=report_id).defer(None).first()
    if found is None:
        raise NotFound()
    return found


@register("donor_report", allowed=can_edit_results, label=gettext_lazy("Donor report (PDF)"))
def donor_report_job(job, progress) -> dict:
    """The background job the page and the API start: progress in four steps, then a link."""
    start = dt.date.fromisoformat(job.params["from"])
    end = dt.date.fromisoformat(job.params["to"])
    report = report_generate(by=job.created_by, start=start, end=end, progress=progress)
    return {"message": _("The report is ready."), "report": str(report.pk),
            "url": reverse("logframe:report_pdf", kwargs={"report_id": report.pk}),
            "link_label": _("Open the report (PDF)")}
