"""Writes on the logframe: loading it from data, revising targets, entering values with
evidence, recording spending, writing the report's narrative."""

import datetime as dt
import json
from pathlib import Path

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency
from parcours.core.errors import Forbidden, ValidationFailed, form_errors
from parcours.core.fields import WholeNumberField

from . import definitions
from .models import (
    Action,
    BudgetLine,
    EnteredValue,
    Indicator,
    Narrative,
    Objective,
    Spending,
    TargetRevision,
)
from .policies import can_edit_results

DATA = Path(__file__).parent / "data"


@transaction.atomic
def logframe_load(path: Path = DATA / "T05-EUTF-SAH-ML-07.json") -> Action:
    """Load an action's logframe and budget from its data file. Idempotent: targets revised
    since in the app are kept (a revision is only added when the file's history is missing)."""
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    a = spec["action"]
    action, _created = Action.objects.update_or_create(iati_identifier=a["iati_identifier"], defaults={
        k: v for k, v in a.items() if k != "iati_identifier"})
    agencies = {ag.code: ag for ag in Agency.objects.all()}
    objectives: dict[str, Objective] = {}
    for pos, o in enumerate(spec["objectives"]):
        objectives[o["code"]], _c = Objective.objects.update_or_create(action=action, code=o["code"], defaults={
            "level": o["level"], "label_fr": o["label_fr"], "label_en": o["label_en"], "position": pos,
            "parent": objectives.get(o.get("parent", "")), "implementer": agencies.get(o.get("implementer", ""))})
    for pos, i in enumerate(spec["indicators"]):
        definition, disaggregations = i.get("definition", {}), i.get("disaggregations", [])
        method = i.get("method", Indicator.Method.COMPUTED)
        if method == Indicator.Method.COMPUTED:
            definitions.check(definition, disaggregations)
        indicator, _c = Indicator.objects.update_or_create(code=i["code"], defaults={
            "objective": objectives[i["objective"]], "label_fr": i["label_fr"], "label_en": i["label_en"],
            "unit": i["unit"], "baseline": i.get("baseline", 0), "baseline_on": action.starts_on, "method": method,
            "definition": definition, "disaggregations": disaggregations, "position": pos})
        history = [{"value": i["target"], "set_on": a["starts_on"], "reason": "Action document, annex 2"},
                   *i.get("revisions", [])]
        for rev in history:
            TargetRevision.objects.get_or_create(indicator=indicator, value=rev["value"],
                                                 set_on=dt.date.fromisoformat(rev["set_on"]),
                                                 defaults={"reason": rev.get("reason", "")})
    for b in spec["budget"]:
        BudgetLine.objects.update_or_create(action=action, implementer=agencies[b["implementer"]], code=b["code"], defaults={
            "objective": objectives.get(b.get("objective", "")), "amount_eur": b["amount_eur"],
            "label_fr": b["label_fr"], "label_en": b["label_en"], "assistance_schemes": b.get("assistance_schemes", [])})
    return action


class TargetInput(forms.Form):
    value = WholeNumberField(label=_("Target"), min_value=0)
    set_on = forms.DateField(label=_("Date of the decision"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class EnteredValueInput(forms.Form):
    value = WholeNumberField(label=_("Value"), min_value=0)
    achieved_on = forms.DateField(label=_("Achieved on"))
    note = forms.CharField(label=_("Evidence"), max_length=4000)


class SpendingInput(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.all())
    spent_on = forms.DateField(label=_("Date"))
    amount_eur = WholeNumberField(label=_("Amount (EUR)"), min_value=1)
    reference = forms.CharField(label=_("Reference"), max_length=80)


def _valid(form_class, data, files=None) -> dict:
    form = form_class(data=data, files=files)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data


def _require_editor(by) -> None:
    if not can_edit_results(by):
        raise Forbidden()


@transaction.atomic
def target_revise(*, by, indicator: Indicator, data: dict) -> TargetRevision:
    """A new target, kept beside the earlier ones (the dashboard shows original and current)."""
    _require_editor(by)
    cleaned = _valid(TargetInput, data)
    return TargetRevision.objects.create(indicator=indicator, set_by=by, **cleaned)


@transaction.atomic
def value_enter(*, by, indicator: Indicator, data: dict, evidence=None) -> EnteredValue:
    _require_editor(by)
    if indicator.method != Indicator.Method.ENTERED:
        raise ValidationFailed({"value": [_("This indicator is computed from the data; it cannot be entered.")]})
    cleaned = _valid(EnteredValueInput, data)
    entry = EnteredValue(indicator=indicator, entered_by=by, **cleaned)
    if evidence is not None:
        entry.evidence = evidence
    entry.save()
    return entry


@transaction.atomic
def spending_record(*, by, data: dict) -> Spending:
    """Money spent on a line; the same reference twice is the same spending (imports re-run)."""
    _require_editor(by)
    cleaned = _valid(SpendingInput, data)
    spending, _created = Spending.objects.get_or_create(
        line=cleaned["line"], reference=cleaned["reference"],
        defaults={"spent_on": cleaned["spent_on"], "amount_eur": cleaned["amount_eur"], "recorded_by": by})
    return spending


@transaction.atomic
def narrative_write(*, by, action: Action, period_start: dt.date, period_end: dt.date, section: str,
                    text: str) -> Narrative:
    _require_editor(by)
    if not text.strip():
        raise ValidationFailed({section: [_("Write something, or leave the section out.")]})
    narrative, _created = Narrative.objects.update_or_create(
        action=action, period_start=period_start, period_end=period_end, section=section,
        defaults={"text": text.strip(), "written_by": by})
    return narrative
