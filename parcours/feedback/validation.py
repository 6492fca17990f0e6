"""The one validator of a complaint, for the staff intake form, the public form and the API."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Place
from parcours.people.validation import normalise_phone
from parcours.places.selectors import resolve_place, suggest_places

from .models import Complaint

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Days to answer, by gravity, from the day received (or appealed). Configuration, per programme:
# settings.COMPLAINT_DEADLINE_DAYS overrides them.
DEADLINE_DAYS = {Complaint.Gravity.HIGH: 7, Complaint.Gravity.MEDIUM: 14, Complaint.Gravity.LOW: 30}


def deadline_days(gravity: str) -> int:
    return {**DEADLINE_DAYS, **getattr(settings, "COMPLAINT_DEADLINE_DAYS", {})}[gravity]


def _not_future(day):
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date is in the future."))
    return day


class ComplaintInput(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Complaint.Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    gravity = forms.ChoiceField(label=_("Gravity"), choices=Complaint.Gravity.choices)
    received_on = forms.DateField(label=_("Received on"), input_formats=DATE_FORMATS, required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("What happened, what is asked"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    place = forms.CharField(label=_("Place concerned (commune, centre, region)"), max_length=120, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    consent_to_identify = forms.BooleanField(label=_("The complainant agrees to be identified to those handling it"),
                                             required=False)
    contact_name = forms.CharField(label=_("Name of the complainant"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Phone to call back"), max_length=40, required=False)

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        return _not_future(day) if day else timezone.localdate()

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Say in a few words what the complaint is about."))
        return text

    def clean_place(self) -> Place | None:
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        place = resolve_place(text)
        if place is None:
            close = suggest_places(text)
            if close:
                raise forms.ValidationError(_("No place is called “%(name)s”. Did you mean: %(names)s?") % {
                    "name": text, "names": ", ".join(p.name for p in close)})
            raise forms.ValidationError(_("No place is called “%(name)s”.") % {"name": text})
        return place

    def clean_contact_phone(self):
        raw = self.cleaned_data["contact_phone"].strip()
        return normalise_phone(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and (data.get("contact_name") or data.get("contact_phone")):
            self.add_error("anonymous", _("An anonymous complaint names nobody: leave the name and phone empty."))
        return data


class ResolveInput(forms.Form):
    on = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS, required=False)
    text = forms.CharField(label=_("Answer given"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_on(self):
        day = self.cleaned_data["on"]
        return _not_future(day) if day else timezone.localdate()
