"""The action as an IATI 2.03 activity: identity, participants, budget, transactions (spending
and assistance paid), and the results with baseline, target and actual per year. Built with the
standard library; the test suite validates it against the official schema."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from parcours.facts.models import Fact

from . import definitions
from .models import Action, BudgetLine, Indicator, Spending

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# IATI codes: organisation roles (1 funding, 4 implementing), types (10 government, 40 multilateral,
# 80 academic/other), activity status 2 (implementation), transaction types 3 (disbursement) and
# 4 (expenditure), result type 1 (output), indicator measure 1 (unit).
IMPLEMENTERS = {"IOM": ("XM-DAC-47066", "40"), "AECID": ("XM-DAC-50-29", "10")}


def _narratives(parent: ET.Element, tag: str, fr: str, en: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    ET.SubElement(el, "narrative").text = fr
    ET.SubElement(el, "narrative", {XML_LANG: "en"}).text = en
    return el


def _date(parent: ET.Element, tag: str, day: dt.date, **attrs) -> ET.Element:
    return ET.SubElement(parent, tag, {"iso-date": day.isoformat(), **attrs})


def years(action: Action, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    out, start = [], action.starts_on
    last = max(action.ends_on, until)
    while start <= last:
        end = min(dt.date(start.year, 12, 31), last)
        out.append((start, end))
        start = end + dt.timedelta(days=1)
    return out


def _value(indicator: Indicator, start, end) -> definitions.Value:
    if indicator.method == Indicator.Method.COMPUTED:
        return definitions.compute(indicator.definition, start=start, end=end,
                                   disaggregations=[d for d in indicator.disaggregations if d == "sex"])
    values = [v.value for v in indicator.entered_values.all() if v.achieved_on <= end]
    return definitions.Value(values[-1] if values else indicator.baseline)


def activity_xml(action: Action, *, until: dt.date | None = None) -> bytes:
    until = until or timezone.localdate()
    now = timezone.now().replace(microsecond=0).isoformat()
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now})
    act = ET.SubElement(root, "iati-activity", {"last-updated-datetime": now, XML_LANG: "fr",
                                                "default-currency": "EUR"})
    ET.SubElement(act, "iati-identifier").text = action.iati_identifier
    org = ET.SubElement(act, "reporting-org", {"ref": action.reporting_org_ref, "type": "15"})
    ET.SubElement(org, "narrative").text = action.reporting_org_name
    _narratives(act, "title", action.label_fr, action.label_en)
    _narratives(act, "description", action.label_fr, action.label_en, type="1")
    funder = ET.SubElement(act, "participating-org", {"ref": action.reporting_org_ref, "role": "1", "type": "15"})
    ET.SubElement(funder, "narrative").text = action.reporting_org_name
    implementers = {line.implementer for line in BudgetLine.objects.filter(action=action).select_related("implementer")}
    for agency in sorted(implementers, key=lambda a: a.code):
        ref, kind = IMPLEMENTERS.get(agency.code, ("", "80"))
        attrs = {"role": "4", "type": kind, **({"ref": ref} if ref else {})}
        ET.SubElement(ET.SubElement(act, "participating-org", attrs), "narrative").text = agency.name
    ET.SubElement(act, "activity-status", {"code": "2" if until <= action.ends_on else "3"})
    _date(act, "activity-date", action.starts_on, type="2")
    _date(act, "activity-date", action.ends_on, type="3")
    ET.SubElement(act, "recipient-country", {"code": action.recipient_country, "percentage": "100"})
    budget = ET.SubElement(act, "budget", {"type": "1", "status": "2"})
    _date(budget, "period-start", action.starts_on)
    _date(budget, "period-end", action.ends_on)
    ET.SubElement(budget, "value", {"currency": "EUR", "value-date": action.starts_on.isoformat()}).text = str(
        action.budget_eur)
    _transactions(act, action, until)
    for indicator in Indicator.objects.filter(objective__action=action).select_related("objective").prefetch_related(
            "targets", "entered_values"):
        _result(act, action, indicator, until)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _transactions(act: ET.Element, action: Action, until: dt.date) -> None:
    for s in Spending.objects.filter(line__action=action, spent_on__lte=until).select_related("line").order_by("spent_on"):
        tx = ET.SubElement(act, "transaction", {"ref": s.reference})
        ET.SubElement(tx, "transaction-type", {"code": "4"})
        _date(tx, "transaction-date", s.spent_on)
        ET.SubElement(tx, "value", {"currency": "EUR", "value-date": s.spent_on.isoformat()}).text = str(s.amount_eur)
        _narratives(tx, "description", s.line.label_fr, s.line.label_en)
    # Assistance paid to people, net of reversals, per year, converted at the fixed parity.
    for start, end in years(action, until):
        xof = (Fact.objects.filter(kind="assistance_paid", voided_by__isnull=True, occurred_on__range=(start, end))
               .aggregate(s=Sum("amount_xof"))["s"] or 0)
        if not xof:
            continue
        tx = ET.SubElement(act, "transaction", {"ref": f"assistance-{start.year}"})
        ET.SubElement(tx, "transaction-type", {"code": "3"})
        _date(tx, "transaction-date", end)
        eur = int(Decimal(xof) / action.xof_per_eur)
        ET.SubElement(tx, "value", {"currency": "EUR", "value-date": end.isoformat()}).text = str(eur)
        _narratives(tx, "description", f"Assistance versée aux bénéficiaires ({xof} XOF)",
                    f"Assistance paid to beneficiaries ({xof} XOF)")


def _result(act: ET.Element, action: Action, indicator: Indicator, until: dt.date) -> None:
    result = ET.SubElement(act, "result", {"type": "1", "aggregation-status": "1"})
    _narratives(result, "title", f"{indicator.objective.code} — {indicator.objective.label_fr}",
                f"{indicator.objective.code} — {indicator.objective.label_en}")
    ind = ET.SubElement(result, "indicator", {"measure": "1", "ascending": "1"})
    _narratives(ind, "title", f"{indicator.code} — {indicator.label_fr}", f"{indicator.code} — {indicator.label_en}")
    baseline_on = indicator.baseline_on or action.starts_on
    ET.SubElement(ind, "baseline", {"year": str(baseline_on.year), "iso-date": baseline_on.isoformat(),
                                    "value": str(indicator.baseline)})
    targets = list(indicator.targets.all())
    periods = years(action, until)
    for i, (start, end) in enumerate(periods):
        period = ET.SubElement(ind, "period")
        _date(period, "period-start", start)
        _date(period, "period-end", end)
        if targets and i == len(periods) - 1:
            target = ET.SubElement(period, "target", {"value": str(targets[-1].value)})
            if len(targets) > 1:
                ET.SubElement(ET.SubElement(target, "comment"), "narrative").text = (
                    f"Original target {targets[0].value}, revised to {targets[-1].value} on {targets[-1].set_on}")
        value = _value(indicator, start, end)
        ET.SubElement(period, "actual", {"value": str(value.value)})
        # One more actual per sex: IATI disaggregates by repeating the actual with a dimension.
        for sex, n in value.disaggregations.get("sex", {}).items():
            by_sex = ET.SubElement(period, "actual", {"value": str(n)})
            ET.SubElement(by_sex, "dimension", {"name": "sex", "value": sex})
