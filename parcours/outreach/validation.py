"""The one validator of an activity: the web form, the API and the demo loader all go through
`ActivityInput`, so every message names the field and the reason, in the user's language."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency, Place
from parcours.core.fields import WholeNumberField
from parcours.places.selectors import resolve_place, suggest_places

from .models import Activity

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_PEOPLE = 100_000


def _count(label, *, required=True):
    return WholeNumberField(label=label, min_value=0, max_value=MAX_PEOPLE, required=required,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))


class ActivityInput(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices)
    held_on = forms.DateField(label=_("Date held"), input_formats=DATE_FORMATS,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    commune = forms.CharField(label=_("Commune"), max_length=120,
                              widget=forms.TextInput(attrs={"list": "communes", "autocomplete": "off"}))
    theme = forms.ChoiceField(label=_("Theme"), choices=Activity.Theme.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Activity.Audience.choices)
    participants_male = _count(_("Men and boys"))
    participants_female = _count(_("Women and girls"))
    participants_minors = _count(_("Of whom under 18"), required=False)
    communities_reached = WholeNumberField(label=_("Communities reached"), min_value=0, max_value=1000,
                                             required=False)
    audience_estimate = WholeNumberField(label=_("Estimated audience (radio, TV, social media)"), min_value=0,
                                           max_value=100_000_000, required=False)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Agency.objects.all(), to_field_name="code",
                                       required=False)
    organiser_kind = forms.ChoiceField(label=_("The organiser is a"), choices=Activity.OrganiserKind.choices,
                                       required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future: record an activity once it is held."))
        return day

    def clean_commune(self) -> Place:
        text = self.cleaned_data["commune"]
        place = resolve_place(text, kind=Place.Kind.COMMUNE)
        if place is None:
            close = suggest_places(text, kind=Place.Kind.COMMUNE)
            if close:
                raise forms.ValidationError(_("No commune is called “%(name)s”. Did you mean: %(names)s?") % {
                    "name": text, "names": ", ".join(p.name for p in close)})
            raise forms.ValidationError(_("No commune is called “%(name)s”.") % {"name": text})
        return place

    def clean(self):
        data = super().clean()
        male, female = data.get("participants_male"), data.get("participants_female")
        if male is None or female is None:
            return data
        if male + female == 0 and data.get("kind") != Activity.Kind.MEDIA:
            self.add_error("participants_male", _("Give the number of people who took part."))
        minors = data.get("participants_minors") or 0
        if minors > male + female:
            self.add_error("participants_minors", _("There cannot be more people under 18 than participants."))
        return data


FIELDS_FOR_FORM = tuple(ActivityInput.base_fields)
