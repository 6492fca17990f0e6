"""Evaluate a scheme version for a person on a date: eligible or not, why, how much, per tranche."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import rules
from .facts import FactContext, known_names, period_of
from .models import Period, SchemeVersion


@dataclass
class TrancheResult:
    number: int
    share: int
    amount_xof: int
    condition_met: bool
    label: str
    paid_entry: object = None  # the live payment holding the slot, if any


@dataclass
class Evaluation:
    version: SchemeVersion
    on: dt.date
    period: str
    eligible: bool
    amount_xof: int
    reasons: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    tranches: list[TrancheResult] = field(default_factory=list)

    @property
    def scheme(self):
        return self.version.scheme


def xof(amount: int) -> str:
    """An amount as people read it: thin-space thousands in French, commas in English."""
    return formats.number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)


def label(item: dict) -> str:
    en = (get_language() or "fr").startswith("en")
    return (item.get("label_en") if en else item.get("label_fr")) or item.get("label_fr") or item.get("label_en") or ""


def version_names(version: SchemeVersion) -> set[str]:
    """The facts a version's rules use (so only those are computed)."""
    known = known_names()
    names: set[str] = set()
    for text in [c["rule"] for c in version.criteria] + [version.amount] + [t["condition"] for t in version.tranches]:
        try:
            names |= rules.names_in(rules.parse(text, known))
        except rules.RuleError:
            continue
    return names


def tranche_amounts(total: int, shares: list[int]) -> list[int]:
    """Split a total by percent shares in whole XOF; the last tranche takes the remainder."""
    amounts = [total * s // 100 for s in shares[:-1]]
    return [*amounts, total - sum(amounts)]


def evaluate(version: SchemeVersion, person, on: dt.date, *, period: str = "", preload=None,
             names: set[str] | None = None, with_ledger: bool = True) -> Evaluation:
    if version.period == Period.ONCE:
        period = ""
    else:
        period = period or period_of(on)
    ctx = FactContext(person, on, scheme=version.scheme, period=period or period_of(on), preload=preload)
    plain, funcs = ctx.values(names if names is not None else version_names(version))
    reasons, unmet = [], []
    eligible = True
    for criterion in version.criteria:
        text = label(criterion) or criterion["rule"]
        try:
            ok = bool(rules.evaluate(criterion["rule"], names=plain, functions=funcs))
        except rules.RuleError as exc:
            ok = False
            text = _("%(label)s (%(error)s)") % {"label": text, "error": exc}
        if ok:
            reasons.append(_("Met: %(label)s") % {"label": text})
        else:
            eligible = False
            unmet.append(text)
            reasons.append(_("Not met: %(label)s") % {"label": text})
    amount = 0
    if eligible:
        try:
            value = rules.evaluate(version.amount, names=plain, functions=funcs)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= rules.MAX_CONSTANT:
                raise rules.RuleError(_("the amount is not a whole number of XOF"))
            amount = value
        except rules.RuleError as exc:
            eligible = False
            unmet.append(str(exc))
            reasons.append(_("The amount could not be computed: %(error)s") % {"error": exc})
    result = Evaluation(version=version, on=on, period=period, eligible=eligible, amount_xof=amount if eligible else 0,
                        reasons=reasons, unmet=unmet)
    shares = [int(t.get("share", 0)) for t in version.tranches] or [100]
    amounts = tranche_amounts(amount, shares)
    paid = {}
    if with_ledger:
        for e in ctx.live_payments():
            if e.scheme_id == version.scheme_id and e.period == period:
                paid[e.tranche] = e
    for number, (tranche, share, value) in enumerate(
            zip(version.tranches or [{"condition": "True"}], shares, amounts, strict=True), start=1):
        try:
            met = bool(rules.evaluate(tranche.get("condition") or "True", names=plain, functions=funcs))
        except rules.RuleError:
            met = False
        result.tranches.append(TrancheResult(number=number, share=share, amount_xof=value if eligible else 0,
                                             condition_met=met, label=label(tranche), paid_entry=paid.get(number)))
    if eligible:
        result.reasons.append(_("Amount: %(amount)s XOF") % {"amount": xof(amount)})
        if len(result.tranches) > 1 or paid:
            for t in result.tranches:
                if t.paid_entry is not None:
                    result.reasons.append(_("Tranche %(n)d (%(amount)s XOF) paid on %(date)s") % {
                        "n": t.number, "amount": xof(t.paid_entry.amount_xof),
                        "date": formats.date_format(t.paid_entry.paid_on, "SHORT_DATE_FORMAT")})
                elif not t.condition_met:
                    result.reasons.append(_("Tranche %(n)d (%(amount)s XOF) waits for: %(condition)s") % {
                        "n": t.number, "amount": xof(t.amount_xof), "condition": t.label or "—"})
    return result
