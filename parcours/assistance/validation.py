"""Validators of assistance input. The web forms, the API and the CLI all go through these, so a
field is checked the same way everywhere and every message names the field, in the user's language."""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.core.errors import ValidationFailed, form_errors
from parcours.core.fields import WholeNumberField
from parcours.people.models import DocumentType
from parcours.people.validation import DATE_FORMATS, EMPTY, _as_strings

from . import rules
from .facts import known_names, sample_facts
from .models import Channel, Period, VerificationVisit

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_CRITERIA = 10
MAX_TRANCHES = 6


def _not_future(value: dt.date | None):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date is in the future."))
    if value and value.year < 1990:
        raise forms.ValidationError(_("The date is before 1990."))
    return value


class PaymentInput(forms.Form):
    scheme = forms.CharField(label=_("Scheme"), max_length=40)
    tranche = WholeNumberField(label=_("Tranche"), min_value=1, max_value=MAX_TRANCHES, initial=1, required=False)
    paid_on = forms.DateField(label=_("Date of payment"), input_formats=DATE_FORMATS)
    period = forms.CharField(label=_("Month paid (monthly schemes)"), max_length=7, required=False,
                             help_text=_("YYYY-MM; the month of the payment date when empty."))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    amount_xof = WholeNumberField(label=_("Amount (XOF)"), min_value=1, required=False,
                                    help_text=_("Computed by the scheme when empty."))
    id_document_type = forms.ChoiceField(label=_("Identity document checked"),
                                         choices=EMPTY + list(DocumentType.choices), required=False)
    id_document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    proof_reference = forms.CharField(label=_("Proof reference"), max_length=200, required=False,
                                      help_text=_("Receipt, cheque or transaction number."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    distinct_people_confirmed = forms.BooleanField(
        label=_("The possible duplicate is another person"), required=False,
        help_text=_("Duplicate reviewers only: the other record is someone else; the payment goes on."))

    def clean_tranche(self):
        return self.cleaned_data["tranche"] or 1

    def clean_paid_on(self):
        return _not_future(self.cleaned_data["paid_on"])

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value and not PERIOD_RE.match(value):
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2024-03."))
        return value

    def clean_id_document_number(self):
        return "".join(self.cleaned_data["id_document_number"].split()).upper()

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.CHEQUE:
            if not data.get("id_document_type"):
                self.add_error("id_document_type",
                               _("A cheque is paid only once the payee's identity document was checked: "
                                 "give its type."))
            if not data.get("id_document_number"):
                self.add_error("id_document_number", _("Give the number of the identity document checked."))
        return data


class ReversalInput(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)


class VisitInput(forms.Form):
    scheme = forms.CharField(label=_("Scheme"), max_length=40)
    tranche = WholeNumberField(label=_("Tranche verified"), min_value=1, max_value=MAX_TRANCHES, initial=1,
                                 required=False)
    visited_on = forms.DateField(label=_("Date of the visit"), input_formats=DATE_FORMATS)
    visitor = forms.CharField(label=_("Visited by"), max_length=120)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VerificationVisit.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean_tranche(self):
        return self.cleaned_data["tranche"] or 1

    def clean_visited_on(self):
        return _not_future(self.cleaned_data["visited_on"])


class AttendanceInput(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7, help_text=_("YYYY-MM"))
    days = WholeNumberField(label=_("Days attended"), min_value=0, max_value=31)

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not PERIOD_RE.match(value):
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2024-03."))
        month = dt.date(int(value[:4]), int(value[5:]), 1)
        if month > timezone.localdate():
            raise forms.ValidationError(_("The month is in the future."))
        return month


def _split(line: str, parts: int) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    return cells + [""] * (parts - len(cells))


def criteria_text(criteria: list[dict]) -> str:
    return "\n".join(f"{c['rule']} | {c.get('label_fr', '')} | {c.get('label_en', '')}" for c in criteria)


def tranches_text(tranches: list[dict]) -> str:
    return "\n".join(f"{t['share']} | {t['condition']} | {t.get('label_fr', '')} | {t.get('label_en', '')}"
                     for t in tranches)


class SchemeVersionInput(forms.Form):
    """An administrator's edit of a scheme: becomes a new version from `valid_from`."""

    name_fr = forms.CharField(label=_("Name (French)"), max_length=160)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)
    description_fr = forms.CharField(label=_("Description (French)"), required=False, widget=forms.Textarea,
                                     max_length=2000)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=forms.Textarea,
                                     max_length=2000)
    valid_from = forms.DateField(label=_("In force from"), input_formats=DATE_FORMATS)
    period = forms.ChoiceField(label=_("Payable"), choices=Period.choices)
    channels = forms.MultipleChoiceField(label=_("Payment channels"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    criteria = forms.CharField(
        label=_("Eligibility criteria"), widget=forms.Textarea(attrs={"rows": 5}), max_length=6000,
        help_text=_("One per line: rule | label in French | label in English. Eligible when every rule holds."))
    amount = forms.CharField(label=_("Amount (XOF)"), max_length=rules.MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("A rule giving the total in XOF, e.g. 45000 + 1500 * training_days_attended"))
    tranches = forms.CharField(
        label=_("Tranches"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("One per line: share in % | release condition | label in French | label in English. "
                    "Shares add up to 100."))

    def _rule(self, text: str, *, amount: bool = False) -> str:
        """A rule that parses, none of whose parts fails whatever the person (an impossible date, a
        division by zero), that some sample person can be evaluated on, and — for an amount —
        that gives a whole number of XOF from 0 to rules.MAX_AMOUNT_XOF for each."""
        rules.parse(text, known_names())
        rules.check_constant_parts(text, known_names())
        samples, functions = sample_facts(self.cleaned_data.get("valid_from") or timezone.localdate())
        rules.check_on_samples(text, samples=samples, functions=functions, amount=amount)
        return text

    def clean_criteria(self):
        lines = [ln for ln in self.cleaned_data["criteria"].splitlines() if ln.strip()]
        if not lines:
            raise forms.ValidationError(_("Give at least one criterion (True for everyone)."))
        if len(lines) > MAX_CRITERIA:
            raise forms.ValidationError(_("At most %(max)d criteria.") % {"max": MAX_CRITERIA})
        out = []
        for n, line in enumerate(lines, start=1):
            rule, label_fr, label_en = _split(line, 3)[:3]
            try:
                self._rule(rule)
            except rules.RuleError as exc:
                raise forms.ValidationError(_("Line %(n)d: %(error)s") % {"n": n, "error": exc}) from None
            out.append({"rule": rule, "label_fr": label_fr, "label_en": label_en})
        return out

    def clean_amount(self):
        text = self.cleaned_data["amount"].strip()
        try:
            return self._rule(text, amount=True)
        except rules.RuleError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_tranches(self):
        lines = [ln for ln in self.cleaned_data["tranches"].splitlines() if ln.strip()]
        if not 1 <= len(lines) <= MAX_TRANCHES:
            raise forms.ValidationError(_("Between 1 and %(max)d tranches.") % {"max": MAX_TRANCHES})
        out = []
        for n, line in enumerate(lines, start=1):
            share, condition, label_fr, label_en = _split(line, 4)[:4]
            if not share.isdigit() or not 1 <= int(share) <= 100:
                raise forms.ValidationError(_("Line %(n)d: the share must be a whole percentage from 1 to 100.")
                                            % {"n": n})
            condition = condition or "True"
            try:
                self._rule(condition)
            except rules.RuleError as exc:
                raise forms.ValidationError(_("Line %(n)d: %(error)s") % {"n": n, "error": exc}) from None
            out.append({"share": int(share), "condition": condition, "label_fr": label_fr, "label_en": label_en})
        if sum(t["share"] for t in out) != 100:
            raise forms.ValidationError(_("The shares add up to %(total)d %%, not 100 %%.")
                                        % {"total": sum(t["share"] for t in out)})
        return out


def validate(form_class, data: dict, files=None) -> dict:
    form = form_class(data=_as_input(data), files=files)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data


def _as_input(data: dict):
    if hasattr(data, "getlist"):  # a QueryDict from a web form keeps its multiple values
        return data
    out = {}
    for key, value in data.items():
        out[key] = value if isinstance(value, list) else _as_strings({key: value})[key]
    return out
