"""Validators of case steps. The pages, the API and the demo loader all send step data through
these forms, so a field is checked the same way everywhere and each message names the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.core.errors import ValidationFailed, form_errors
from parcours.core.fields import WholeNumberField

from .models import Case, FollowUp, Orientation, PlanComponent

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
EMPTY = [("", "—")]

# The standard vulnerability questionnaire (SPEC §4.2). Keys are stable (API); labels are for people.
SCREENING_ITEMS = {
    "minor": _("Under 18"),
    "unaccompanied_or_separated": _("Unaccompanied or separated from their family"),
    "trafficking_forced_work": _("Trafficking: forced to work or to beg"),
    "trafficking_confiscated_documents": _("Trafficking: documents taken away"),
    "trafficking_debt_bondage": _("Trafficking: kept by a debt to the recruiter"),
    "trafficking_deceived": _("Trafficking: deceived about the work or the destination"),
    "health_condition": _("Serious health condition"),
    "disability": _("Disability"),
    "psychosocial_distress": _("Psychosocial distress"),
    "violence_or_gbv": _("Violence, including gender-based violence"),
    "pregnancy": _("Pregnancy"),
    "journey_debt": _("Debt for the journey"),
    "family_tension": _("Tension with the family or community"),
}
# Items that alone make a person vulnerable; debt and family tension only together.
ALONE_VULNERABLE = [k for k in SCREENING_ITEMS if k not in ("journey_debt", "family_tension")]


def is_vulnerable(answers: dict[str, bool]) -> bool:
    return any(answers[k] for k in ALONE_VULNERABLE) or (answers["journey_debt"] and answers["family_tension"])


class NotInFuture:
    def __call__(self, value):
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))


def _date(label, required=False):
    return forms.DateField(label=label, input_formats=DATE_FORMATS, required=required, validators=[NotInFuture()])


class YesNoField(forms.NullBooleanField):
    """Accepts yes/no, true/false, 1/0 from forms and JSON alike; empty means "not said"."""

    widget = forms.TextInput  # the raw value reaches to_python (the select widget would guess)

    def to_python(self, value):
        if isinstance(value, bool) or value is None:
            return value
        text = str(value).strip().lower()
        if text in ("", "unknown"):
            return None
        if text in ("1", "true", "yes", "on", "oui"):
            return True
        if text in ("0", "false", "no", "non"):
            return False
        raise forms.ValidationError(_("Answer yes or no."))

    def validate(self, value):
        return None


class CaseOpenInput(forms.Form):
    arrived_on = _date(_("Arrival"))
    unaccompanied_minor = forms.BooleanField(required=False)


class DatedInput(forms.Form):
    done_on = _date(_("Date"))


class ProtectionInput(DatedInput):
    notes = forms.CharField(label=_("Confidential notes"), max_length=20000)


class OrientationInput(DatedInput):
    wishes = forms.CharField(label=_("Wishes"), max_length=2000)
    declared_skills = forms.CharField(label=_("Declared skills"), max_length=2000, required=False)
    skills_verified = YesNoField(label=_("Skills verified by a sector expert"), required=False)
    verified_by = forms.CharField(label=_("Verified by"), max_length=120, required=False)
    verified_on = _date(_("Verified on"))
    verification_note = forms.CharField(label=_("Verification note"), max_length=2000, required=False)
    options_explained = YesNoField(label=_("Options explained"), required=False)
    options_note = forms.CharField(label=_("Options discussed"), max_length=2000, required=False)
    choice = forms.ChoiceField(label=_("Choice"), choices=Orientation.Choice.choices)

    def clean(self):
        data = super().clean()
        if data.get("skills_verified") is not None and not data.get("verified_by"):
            self.add_error("verified_by", _("Say which sector expert verified the skills."))
        return data


class ComponentInput(forms.Form):
    kind = forms.ChoiceField(label=_("Component"), choices=PlanComponent.Kind.choices)
    provider = forms.CharField(label=_("Provider"), max_length=20, required=False)
    scheme_code = forms.SlugField(label=_("Assistance scheme"), max_length=40, required=False)
    cost_xof = WholeNumberField(label=_("Cost (XOF)"), min_value=0, max_value=100_000_000, required=False)
    planned_start = forms.DateField(label=_("Planned start"), input_formats=DATE_FORMATS, required=False)
    planned_end = forms.DateField(label=_("Planned end"), input_formats=DATE_FORMATS, required=False)
    referral = forms.UUIDField(label=_("Referral"), required=False)
    members = forms.CharField(label=_("Members (people's identifiers)"), max_length=4000, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end is before the start."))
        if data.get("members") and data.get("kind") != PlanComponent.Kind.INCOME_COLLECTIVE:
            self.add_error("members", _("Only a collective project has members."))
        return data


class ComponentStatusInput(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanComponent.Status.choices)
    on = _date(_("Date"))


class FollowUpInput(DatedInput):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUp.Outcome.choices)
    satisfaction = WholeNumberField(label=_("Satisfaction (1–5)"), min_value=1, max_value=5, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)


class BestInterestInput(forms.Form):
    panel = forms.CharField(label=_("Best-interest panel"), max_length=200)
    decision = forms.CharField(label=_("Decision"), max_length=4000)
    decided_on = _date(_("Date"))


class CloseInput(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Case.Closure.choices)
    closed_on = _date(_("Date"))


def clean(form_class, data: dict) -> dict:
    """The cleaned data, or ValidationFailed naming each bad field (in the user's language)."""
    form = form_class(data={k: v for k, v in (data or {}).items() if v is not None})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data
