"""Input of the centre and return services, as Django forms used as validators: the web posts
strings, the API typed values; both end here and get the same named, translated errors."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from parcours.core.errors import ValidationFailed, form_errors
from parcours.core.fields import WholeNumberField

from .models import Departure, ServiceKind, Stay, TracingStep, TravelDocumentType

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _country_choices():
    return [("", "—")] + [(code, name) for code, name in countries]


class PastDateField(forms.DateField):
    """A date that has happened: today or before."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))


class StayInput(forms.Form):
    entered_on = PastDateField(label=_("Entered on"))
    entry_point = forms.CharField(label=_("Entry point"), max_length=32, required=False)
    services = forms.MultipleChoiceField(label=_("Services"), choices=ServiceKind.choices, required=False)
    trafficking_victim = forms.BooleanField(label=_("Victim of trafficking"), required=False)
    unaccompanied_minor = forms.BooleanField(label=_("Unaccompanied or separated minor"), required=False)


class ExitInput(forms.Form):
    left_on = PastDateField(label=_("Left on"))
    reason = forms.ChoiceField(label=_("Reason"), choices=Stay.ExitReason.choices)


class ServiceInput(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    given_on = PastDateField(label=_("Date"))
    quantity = WholeNumberField(label=_("Quantity"), min_value=1, max_value=100, required=False)

    def clean_quantity(self):
        return self.cleaned_data["quantity"] or 1


class CentreSettingsInput(forms.Form):
    capacity = WholeNumberField(label=_("Beds"), min_value=1, max_value=10000)
    stranded_after_days = WholeNumberField(label=_("Stranded after (days)"), min_value=1, max_value=365)


class ReturnRequestInput(forms.Form):
    requested_on = PastDateField(label=_("Requested on"))
    destination = forms.ChoiceField(label=_("Country of return"), choices=_country_choices)

    def clean_destination(self):
        value = self.cleaned_data["destination"]
        if value == "ML":
            raise forms.ValidationError(_("Assisted return from Mali is to another country."))
        return value


class ConsentInput(forms.Form):
    consent_to_return = forms.TypedChoiceField(label=_("Consents to return"), coerce=lambda v: v == "true",
                                               choices=[("true", _("yes")), ("false", _("no"))])
    given_on = PastDateField(label=_("Date"))


class DocumentRequestInput(forms.Form):
    requested_on = PastDateField(label=_("Travel document requested on"))


class DocumentInput(forms.Form):
    type = forms.ChoiceField(label=_("Travel document"), choices=TravelDocumentType.choices)
    number = forms.CharField(label=_("Document number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), input_formats=DATE_FORMATS)
    expires_on = forms.DateField(label=_("Expires on"), input_formats=DATE_FORMATS)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("The document expires before it was issued."))
        if data.get("issued_on") and data["issued_on"] > timezone.localdate():
            self.add_error("issued_on", _("The date is in the future."))
        return data


class DepartureInput(forms.Form):
    planned_on = forms.DateField(label=_("Planned on"), input_formats=DATE_FORMATS)
    destination = forms.ChoiceField(label=_("Destination"), choices=_country_choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=Departure.Mode.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=120, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=40, required=False)

    def clean_destination(self):
        value = self.cleaned_data["destination"]
        if value == "ML":
            raise forms.ValidationError(_("Assisted return from Mali is to another country."))
        return value


class DepartedInput(forms.Form):
    departed_on = PastDateField(label=_("Departed on"))


class HandOverInput(forms.Form):
    handed_over_on = PastDateField(label=_("Handed over on"))
    receiving_mission = forms.CharField(label=_("Receiving mission"), max_length=200)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, str) else str(value)


def clean(form_class, data, *, prefix: str = "") -> dict:
    """Clean `data` (a QueryDict or a dict of typed values) or raise ValidationFailed naming
    each wrong field (`prefix` + name: "travel_document.number")."""
    if not hasattr(data, "getlist"):
        data = {k: _plain(v) for k, v in data.items()}
    form = form_class(data=data)
    if not form.is_valid():
        errors = form_errors(form)
        raise ValidationFailed({f"{prefix}{k}": v for k, v in errors.items()},
                               labels={f"{prefix}{k}": label for k, label in errors.labels.items()})
    return form.cleaned_data


class TracingInput(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=TracingStep.Step.choices)
    on = PastDateField(label=_("Date"))


class BestInterestInput(forms.Form):
    decided_on = PastDateField(label=_("Date"))
    in_best_interest = forms.TypedChoiceField(label=_("Return is in the child's best interest"),
                                              coerce=lambda v: v == "true",
                                              choices=[("true", _("yes")), ("false", _("no"))])
