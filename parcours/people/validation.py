"""The one validator of person data. The web form, the API, the manifest import and the CLI all
run incoming data through `PersonInput`, so a field is checked the same way everywhere and every
message names the field and the reason, in the user's language."""

import datetime as dt
from dataclasses import dataclass

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from parcours.accounts.models import Place
from parcours.core.fields import WholeNumberField
from parcours.core.spreadsheets import formula_like
from parcours.places.selectors import resolve_place, suggest_places

from .models import DocumentType, Education, ReturnMode, Sex

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
EMPTY = [("", "—")]


def normalise_phone(raw: str) -> str:
    """E.164 form of a phone number; Malian numbers may be written without +223.
    Raises forms.ValidationError with a message for people."""
    try:
        number = phonenumbers.parse(raw, settings.PARCOURS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(_("Not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("This phone number does not exist (check the number of digits)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


COUNTRY_LIST = "countries"  # the id of the one <datalist> of country names a page carries


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text.casefold().strip())
    # Phones type a curly apostrophe ("Côte d’Ivoire") where the list has a straight one.
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return "".join(c for c in text if not unicodedata.combining(c))


class CountryNameField(forms.CharField):
    """A country typed by its name (or ISO code) with the page's one list of suggestions, instead
    of a 250-option menu repeated in every form of the page; cleans to the ISO alpha-2 code."""

    widget = forms.TextInput(attrs={"list": COUNTRY_LIST, "autocomplete": "off"})

    def to_python(self, value):
        from django.utils import translation

        text = super().to_python(value)
        if not text:
            return ""
        if text.upper() in dict(countries):
            return text.upper()
        wanted = _fold(text)
        for language in {translation.get_language() or "fr", "fr", "en"}:
            with translation.override(language):
                for code, name in countries:
                    if _fold(str(name)) == wanted:
                        return code
        raise forms.ValidationError(_("Unknown country: choose one of the names offered."))

    def prepare_value(self, value):
        # A stored code (or the model's Country) shows as the country's name in the page's
        # language ("ML" → "Mali").
        code = getattr(value, "code", value)
        if isinstance(code, str) and len(code) == 2 and countries.name(code.upper()):
            return str(countries.name(code.upper()))
        return "" if code is None else code


class PersonInput(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    other_names = forms.CharField(label=_("Other names or spellings"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=EMPTY + list(Sex.choices), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), input_formats=DATE_FORMATS, required=False)
    birth_year = WholeNumberField(label=_("Year of birth"), required=False)
    age = WholeNumberField(label=_("Declared age"), min_value=0, max_value=120, required=False,
                             help_text=_("When neither the date nor the year is known."))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    # Countries typed by name with the page's one list of suggestions (people/_countries.html),
    # not two 250-option menus (the registration page: 29 KB of HTML → 16 KB); codes are accepted too.
    nationality = CountryNameField(label=_("Nationality"), required=False)
    origin_region = forms.CharField(label=_("Region of origin"), max_length=120, required=False)
    origin_cercle = forms.CharField(label=_("Cercle of origin"), max_length=120, required=False)
    origin_commune = forms.CharField(label=_("Commune of origin"), max_length=120, required=False)
    id_document_type = forms.ChoiceField(label=_("Identity document"), choices=EMPTY + list(DocumentType.choices),
                                         required=False)
    id_document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    return_date = forms.DateField(label=_("Date of return"), input_formats=DATE_FORMATS, required=False)
    returned_from = CountryNameField(label=_("Returned from"), required=False)
    return_mode = forms.ChoiceField(label=_("How they returned"), choices=EMPTY + list(ReturnMode.choices),
                                    required=False)
    languages = forms.CharField(label=_("Languages"), max_length=120, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=EMPTY + list(Education.choices), required=False)
    skills = forms.CharField(label=_("Declared skills"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].initial = "ML"

    def _name(self, field: str) -> str:
        # A name never starts like a spreadsheet formula (= + - @), before or after its spaces and
        # tabs are tidied: "\t=1+1" must not become "=1+1".
        raw = self.cleaned_data[field]
        name = " ".join(raw.split())
        if formula_like(raw) or formula_like(name):
            raise forms.ValidationError(_("A name cannot start with =, +, - or @."))
        return name

    def clean_given_name(self):
        return self._name("given_name")

    def clean_family_name(self):
        return self._name("family_name")

    def clean_other_names(self):
        self._name("other_names")
        return self.cleaned_data["other_names"]

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth is in the future."))
        if value and value.year < 1900:
            raise forms.ValidationError(_("The date of birth is before 1900."))
        return value

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        if value is not None and not 1900 <= value <= timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth must be between 1900 and this year."))
        return value

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        return normalise_phone(raw) if raw else ""

    def clean_return_date(self):
        value = self.cleaned_data["return_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of return is in the future."))
        if value and value < dt.date(1990, 1, 1):
            raise forms.ValidationError(_("The date of return is before 1990."))
        return value

    def clean_id_document_number(self):
        return "".join(self.cleaned_data["id_document_number"].split()).upper()

    def _place(self, field: str, kind: str, parent: Place | None):
        name = self.cleaned_data.get(field, "").strip()
        if not name:
            return None
        place = resolve_place(name, kind=kind, within=parent) or resolve_place(name, kind=kind)
        if place is None:
            # CONTRACT "Places": a name the gazetteer does not know never blocks a record; it is
            # kept as written, flagged, and listed for cleaning.
            self._unresolved.append(UnresolvedName(field, kind, name, parent))
            return None
        if parent is not None and not parent.contains(place):
            self.add_error(field, _("“%(name)s” is not in %(parent)s.") % {"name": place.name, "parent": parent.name})
            return None
        return place

    def clean(self):
        self._unresolved: list[UnresolvedName] = []
        data = super().clean()
        if not (data.get("given_name") or data.get("family_name")):
            self.add_error("family_name", _("Give at least one name."))
        birth_date, birth_year, age = data.get("birth_date"), data.get("birth_year"), data.get("age")
        if birth_date and birth_year and birth_date.year != birth_year:
            self.add_error("birth_year", _("The year of birth does not match the date of birth."))
        returned = data.get("return_date")
        if returned and ((birth_date and returned < birth_date) or (not birth_date and birth_year
                                                                      and returned.year < birth_year)):
            self.add_error("return_date", _("The date of return is before the birth."))
        data["birth_precision"] = ""
        if birth_date:
            data["birth_year"], data["birth_precision"] = birth_date.year, "date"
        elif birth_year:
            data["birth_precision"] = "year"
        elif age is not None:
            data["birth_year"], data["birth_precision"] = timezone.localdate().year - age, "age"
        if data.get("id_document_number") and not data.get("id_document_type"):
            data["id_document_type"] = DocumentType.OTHER
        region = self._place("origin_region", Place.Kind.REGION, None)
        cercle = self._place("origin_cercle", Place.Kind.CERCLE, region)
        commune = self._place("origin_commune", Place.Kind.COMMUNE, cercle or region)
        if cercle and not region:
            region = cercle.parent
        if commune and not cercle:
            cercle = commune.parent if commune.parent and commune.parent.kind == Place.Kind.CERCLE else None
            region = region or (cercle.parent if cercle else commune.parent)
        data["origin_region"], data["origin_cercle"], data["origin_commune"] = region, cercle, commune
        data["origin_as_written"] = "; ".join(f"{u.kind}: {u.text}" for u in self._unresolved)[:200]
        data[UNRESOLVED] = self._unresolved
        return data


# Key of the cleaned data listing the place names the gazetteer did not know (not a field).
UNRESOLVED = "unresolved_places"


@dataclass(frozen=True)
class UnresolvedName:
    field: str
    kind: str
    text: str
    within: Place | None

    def warning(self, label) -> str:
        """What the agent reads: the field, the name kept, and the closest known names."""
        message = _("%(field)s: “%(name)s” is not in the gazetteer; it is kept as written, to be confirmed.") % {
            "field": label, "name": self.text}
        close = suggest_places(self.text, kind=self.kind)
        if close:
            message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(p.name for p in close)}
        return message


PERSON_FIELDS = [
    "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "birth_precision", "phone",
    "nationality", "origin_region", "origin_cercle", "origin_commune", "id_document_type", "id_document_number",
    "return_date", "returned_from", "return_mode", "languages", "education", "skills", "origin_as_written",
]


def validate_person(data: dict) -> dict:
    """Clean raw person data or raise ValidationFailed naming each wrong field."""
    from parcours.core.errors import ValidationFailed, form_errors

    form = PersonInput(data=_as_strings(data))
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return {**{k: form.cleaned_data[k] for k in PERSON_FIELDS}, UNRESOLVED: form.cleaned_data[UNRESOLVED]}


def _as_strings(data: dict) -> dict:
    """JSON numbers and nulls become what an HTML form would have sent."""
    out = {}
    for key, value in data.items():
        if value is None:
            out[key] = ""
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        else:
            out[key] = str(value) if not isinstance(value, str) else value
    return out


class DependantInput(forms.Form):
    from .models import HouseholdMember as _HM

    relationship = forms.ChoiceField(label=_("Relationship"), choices=_HM.Relationship.choices)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=EMPTY + list(Sex.choices), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), input_formats=DATE_FORMATS, required=False)
    birth_year = WholeNumberField(label=_("Year of birth"), required=False)

    clean_birth_date = PersonInput.clean_birth_date
    clean_birth_year = PersonInput.clean_birth_year

    def clean(self):
        data = super().clean()
        if not (data.get("given_name") or data.get("family_name")):
            self.add_error("given_name", _("Give at least one name."))
        if not (data.get("birth_date") or data.get("birth_year")):
            self.add_error("birth_year", _("Give the date or at least the year of birth."))
        if data.get("birth_date") and not data.get("birth_year"):
            data["birth_year"] = data["birth_date"].year
        return data


def validate_dependant(data: dict) -> dict:
    return validate_with(DependantInput, data)


def loose_person(data: dict) -> dict:
    """Best-effort cleaning for a candidate search while the agent is still typing: keep each
    field that is valid on its own, drop the rest (nothing is written from this)."""
    form = PersonInput(data=_as_strings(data))
    form.is_valid()
    out = {}
    for name in ("given_name", "family_name", "sex", "birth_date", "birth_year", "phone", "id_document_number",
                 "return_date"):
        if name in form.cleaned_data and name not in form.errors:
            out[name] = form.cleaned_data[name]
    if out.get("birth_date") and not out.get("birth_year"):
        out["birth_year"] = out["birth_date"].year
    return out


class MigrationInput(forms.Form):
    from .models import MigrationHistory as _MH

    left_on = forms.DateField(label=_("Left on"), input_formats=DATE_FORMATS, required=False)
    route = forms.CharField(label=_("Route"), max_length=200, required=False,
                            help_text=_("e.g. Bamako – Gao – Agadez – Sebha"))
    transit_countries = forms.CharField(label=_("Countries of transit"), max_length=120, required=False)
    destination_country = CountryNameField(label=_("Intended destination"), required=False)
    duration_months = WholeNumberField(label=_("Duration (months)"), min_value=0, max_value=600, required=False)
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=EMPTY + list(_MH.Reason.choices), required=False)
    debt_xof = WholeNumberField(label=_("Debt for the journey (XOF)"), min_value=0, max_value=100_000_000,
                                  required=False)

    def clean_left_on(self):
        value = self.cleaned_data["left_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not any(v not in (None, "") for v in data.values()):
            raise forms.ValidationError(_("Fill in at least one field."))
        return data


class DocumentInput(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    number = forms.CharField(label=_("Number"), max_length=40, required=False)
    issuing_country = CountryNameField(label=_("Issuing country"), required=False)
    expires_on = forms.DateField(label=_("Expires on"), input_formats=DATE_FORMATS, required=False)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()


def validate_with(form_class, data: dict) -> dict:
    """Clean `data` with `form_class` or raise ValidationFailed naming each wrong field."""
    from parcours.core.errors import ValidationFailed, form_errors

    form = form_class(data=_as_strings(data))
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return {k: v for k, v in form.cleaned_data.items() if k in form.fields}
