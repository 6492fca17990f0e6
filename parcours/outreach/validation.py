"""The one validator of an activity: the web form, the API and the demo loader all go through
`ActivityInput`, so every message names the field and the reason, in the user's language."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency, Place
from parcours.core.fields import WholeNumberField
from parcours.places.selectors import resolve_place, suggest_places

from .models import PERCEPTION_QUESTIONS, Activity, Call, Grant

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
    # Pages offer only the grants the user may report under (policies.grants_usable_by); the
    # service checks it whatever is sent.
    grant = forms.ModelChoiceField(label=_("Under the grant"), queryset=Grant.objects.select_related("grantee"),
                                   required=False, empty_label=_("none"),
                                   error_messages={"invalid_choice": _("Choose one of the grants offered.")})

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future: record an activity once it is held."))
        return day

    def __init__(self, *args, commune: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_commune = commune  # a Place the caller already holds (found again by its code)

    def clean_commune(self) -> Place:
        text = self.cleaned_data["commune"]
        if self.known_commune is not None and text == self.known_commune.code:
            if self.known_commune.kind != Place.Kind.COMMUNE:
                raise forms.ValidationError(_("No commune is called “%(name)s”.") % {"name": self.known_commune.name})
            return self.known_commune
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


def _day(label, **kwargs):
    return forms.DateField(label=label, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


class CommuneListField(forms.Field):
    """Communes named one per line or separated by commas (a list over the API); each from the
    gazetteer, a miss named with the closest names."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.replace("\n", ",").split(",")
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(_("Give a list of communes."))
        names, places, errors = [str(v).strip() for v in value if str(v).strip()], [], []
        for name in names:
            place = resolve_place(name, kind=Place.Kind.COMMUNE)
            if place is None:
                close = suggest_places(name, kind=Place.Kind.COMMUNE)
                errors.append(_("No commune is called “%(name)s”. Did you mean: %(names)s?") % {
                    "name": name, "names": ", ".join(p.name for p in close)} if close
                    else _("No commune is called “%(name)s”.") % {"name": name})
            elif place not in places:
                places.append(place)
        if errors:
            raise forms.ValidationError(errors)
        return places


class CallInput(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=Activity.Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    place = forms.CharField(label=_("Area (region, cercle or commune)"), max_length=120, required=False)
    opens_on = _day(_("Opens on"))
    closes_on = _day(_("Closes on"))
    budget_xof = WholeNumberField(label=_("Budget (XOF)"), min_value=0, max_value=10**13, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[(Call.Status.PUBLISHED, Call.Status.PUBLISHED.label),
                                        (Call.Status.DRAFT, Call.Status.DRAFT.label)])

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean_place(self) -> Place | None:
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        place = resolve_place(text)
        if place is None or place.kind not in (Place.Kind.REGION, Place.Kind.CERCLE, Place.Kind.COMMUNE):
            raise forms.ValidationError(_("No region, cercle or commune is called “%(name)s”.") % {"name": text})
        return place

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The call cannot close before it opens."))
        return data


class GrantInput(forms.Form):
    call = forms.CharField(label=_("Call for proposals"), max_length=60)
    grantee = forms.ModelChoiceField(label=_("Grantee (civil-society organisation)"), to_field_name="code",
                                     queryset=Agency.objects.all(),
                                     error_messages={"invalid_choice": _("No agency has this code.")})
    reference = forms.CharField(label=_("Reference"), max_length=40)
    title = forms.CharField(label=_("Project"), max_length=200, required=False)
    amount_xof = WholeNumberField(label=_("Amount (XOF)"), min_value=1, max_value=10**13)
    starts_on = _day(_("Starts on"))
    ends_on = _day(_("Ends on"))
    communes = CommuneListField(label=_("Communes"), required=False)
    target_people = WholeNumberField(label=_("People to reach"), min_value=0, max_value=10**8, required=False)
    target_activities = WholeNumberField(label=_("Activities to hold"), min_value=0, max_value=10**6,
                                         required=False)

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean_call(self) -> Call:
        text = self.cleaned_data["call"].strip()
        found = Call.objects.filter(reference__iexact=text).first()
        if found is None:
            try:
                found = Call.objects.filter(pk=text).first()
            except (ValueError, ValidationError):
                found = None
        if found is None:
            raise forms.ValidationError(_("No call for proposals has this reference."))
        return found

    def clean_grantee(self) -> Agency:
        agency = self.cleaned_data["grantee"]
        if agency.kind != Agency.Kind.NGO:
            raise forms.ValidationError(_("%(agency)s is not a civil-society organisation.") % {"agency": agency.name})
        return agency

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The grant cannot end before it starts."))
        return data


class FollowupInput(forms.Form):
    """The follow-up call a month after the activity: when, what came of it, how many were reached."""

    followup_on = _day(_("Date of the follow-up call"))
    followup_outcome = forms.ChoiceField(label=_("Outcome of the follow-up call"),
                                         choices=Activity.FollowupOutcome.choices)
    followup_reached = _count(_("Participants reached by the call"), required=False)
    followup_note = forms.CharField(label=_("Follow-up note"), max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_followup_on(self):
        day = self.cleaned_data["followup_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future: record the call once it is made."))
        if self.activity is not None and day < self.activity.held_on:
            raise forms.ValidationError(_("The call cannot come before the activity (%(day)s).")
                                        % {"day": self.activity.held_on.isoformat()})
        return day

    def clean(self):
        data = super().clean()
        outcome, reached = data.get("followup_outcome"), data.get("followup_reached")
        if outcome == Activity.FollowupOutcome.REACHED and not reached and "followup_reached" not in self.errors:
            self.add_error("followup_reached", _("Give how many participants the call reached."))
        if outcome == Activity.FollowupOutcome.NOT_REACHED:
            data["followup_reached"] = 0
        if self.activity is not None and reached and reached > self.activity.participants:
            self.add_error("followup_reached", _("%(label)s: at most the %(n)d participants.") % {
                "label": self.fields["followup_reached"].label, "n": self.activity.participants})
        data["followup_note"] = (data.get("followup_note") or "").strip()
        return data


def perception_fields() -> list[str]:
    return [f"{q}_{when}" for q, _label in PERCEPTION_QUESTIONS for when in ("before", "after")]


class PerceptionInput(forms.Form):
    """How many participants answered yes to each perception question before and after the
    activity; each at most the number of participants (a count left empty: not asked)."""

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        for question, label in PERCEPTION_QUESTIONS:
            self.fields[f"{question}_before"] = _count(_("%(question)s — yes before") % {"question": label},
                                                       required=False)
            self.fields[f"{question}_after"] = _count(_("%(question)s — yes after") % {"question": label},
                                                      required=False)

    def clean(self):
        data = super().clean()
        if self.activity is None:
            return data
        most = self.activity.participants
        for name in perception_fields():
            value = data.get(name)
            if value is not None and value > most:
                self.add_error(name, _("%(label)s: at most the %(n)d participants.") % {
                    "label": self.fields[name].label, "n": most})
        return data


class ParticipantInput(forms.Form):
    """The page's form for a named participant (the registry's service judges the identity)."""

    from parcours.people.models import Sex as _Sex

    consent = forms.BooleanField(label=_("The participant agrees to be named and found in the registry"),
                                 required=False)
    consent_on = forms.DateField(label=_("Consent given on"), input_formats=DATE_FORMATS, required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_Sex.choices, required=False, widget=forms.RadioSelect)
    birth_year = WholeNumberField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
