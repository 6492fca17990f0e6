"""Input validators (Django forms used as validators, as in people/validation.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency, Place
from parcours.core.fields import WholeNumberField

from .models import Referral, Service


class ReferralInput(forms.Form):
    note = forms.CharField(label=_("Note to the partner"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("The person consents to share their data with the provider"),
                                 required=False)


class TransitionInput(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Referral.Status.choices)
    feedback = forms.CharField(label=_("Feedback"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    certificate_ref = forms.CharField(label=_("Certificate reference"), required=False, max_length=80)


class AttendanceInput(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m-%d", "%Y-%m"])
    days = WholeNumberField(label=_("Days attended"), min_value=0, max_value=31)


class ServiceInput(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Agency.objects.all(), to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind"), choices=Service.Kind.choices)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    eligibility = forms.CharField(label=_("Eligibility"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    capacity = WholeNumberField(label=_("Capacity (places per session)"), required=False, min_value=1,
                                  max_value=100000)
    places = forms.ModelMultipleChoiceField(label=_("Places served"), required=False, to_field_name="path",
                                            queryset=Place.objects.filter(kind__in=["country", "region", "cercle"]))
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Session starts"), required=False)
    ends_on = forms.DateField(label=_("Session ends"), required=False)
    active = forms.BooleanField(label=_("Open to referrals"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The session cannot end before it starts."))
        return data
