"""Input validators for counts and reports (Django forms used as validators): the page, the API
and the import all pass their input through these before a service writes."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from parcours.core.fields import WholeNumberField

from .models import AgeGroup, Direction, Reason, Sex, Transport
from .periods import is_period_start

# A daily sheet never counts more than this on one line; above is a typing error.
MAX_COUNT = 100_000
FIRST_DAY = dt.date(2000, 1, 1)


def _country(value: str, *, required: bool) -> str:
    code = (value or "").strip().upper()
    if not code:
        if required:
            raise forms.ValidationError(_("This field is required."), code="required")
        return ""
    if not countries.alpha2(code):
        raise forms.ValidationError(_("Not a country code (ISO 3166-1 alpha-2, e.g. ML)."), code="country")
    return countries.alpha2(code)


class CountInput(forms.Form):
    point = forms.CharField(label=_("Point"), max_length=32)
    date = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    nationality = forms.CharField(label=_("Nationality"), max_length=3)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    transport = forms.ChoiceField(label=_("Transport"), choices=Transport.choices)
    reason = forms.ChoiceField(label=_("Reason for travel"), choices=Reason.choices)
    origin = forms.CharField(label=_("Coming from (country)"), max_length=3, required=False)
    destination = forms.CharField(label=_("Going to (country)"), max_length=3, required=False)
    count = WholeNumberField(label=_("Number of people"), min_value=0, max_value=MAX_COUNT)
    correction = forms.BooleanField(label=_("This corrects a figure already sent"), required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A count cannot be for a day that has not come yet."), code="future")
        if day < FIRST_DAY:
            raise forms.ValidationError(_("This date is too far in the past."), code="past")
        return day

    def clean_nationality(self):
        return _country(self.cleaned_data.get("nationality", ""), required=True)

    def clean_origin(self):
        return _country(self.cleaned_data.get("origin", ""), required=False)

    def clean_destination(self):
        return _country(self.cleaned_data.get("destination", ""), required=False)


class PublishInput(forms.Form):
    point = forms.CharField(label=_("Point"), max_length=32)
    period_start = forms.DateField(label=_("First day of the period"), input_formats=["%Y-%m-%d"])
    summary = forms.CharField(label=_("What changed this period"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def clean_period_start(self):
        start = self.cleaned_data["period_start"]
        if not is_period_start(start):
            raise forms.ValidationError(_("A bi-weekly period starts on the 1st or the 16th of a month."),
                                        code="period")
        return start


class TallyInput(forms.Form):
    point = forms.CharField(label=_("Point"), max_length=32)
    date = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    total = WholeNumberField(label=_("People tallied"), min_value=0, max_value=MAX_COUNT * 10)
    correction = forms.BooleanField(label=_("This corrects a figure already sent"), required=False)

    clean_date = CountInput.clean_date


class CheckInput(forms.Form):
    point = forms.CharField(label=_("Point"), max_length=32)
    date = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d"])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    clean_date = CountInput.clean_date
