"""Input validators of field collection (Django forms used as validators): the page, the API and
the command pass what they received through these before a service writes."""

import datetime as dt
import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.fields import WholeNumberField

from .models import CohortMember


def _collector_roles():
    from parcours.accounts.models import Role

    from .policies import COLLECTORS

    return [(r.value, r.label) for r in Role if r in COLLECTORS]


def _places():
    from parcours.accounts.models import Place

    return Place.objects.filter(kind__in=["country", "region", "cercle", "commune", "centre", "fmp", "antenna"])


class PublishInput(forms.Form):
    """Who a questionnaire is for, set when it is published: the roles that fill it (none ticked:
    every role that collects) and the place whose staff fill it (none: everywhere)."""

    roles = forms.MultipleChoiceField(label=_("Filled by"), choices=_collector_roles, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    place = forms.ModelChoiceField(label=_("Only inside this place"), queryset=_places(), required=False,
                                   to_field_name="path", empty_label=_("everywhere"))

STRATA = [("region", _("region of origin")), ("sector", _("sector (reintegration chosen)")), ("sex", _("sex"))]
MAX_SEED = 2**62


class CohortInput(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    form = forms.SlugField(label=_("Questionnaire"), max_length=80, initial="sustainability")
    share = forms.DecimalField(label=_("Share of the people assisted"), min_value=Decimal("0.001"),
                               max_value=Decimal(1), max_digits=4, decimal_places=3, initial=Decimal("0.2"))
    strata = forms.MultipleChoiceField(label=_("Strata"), choices=STRATA, required=False,
                                       initial=["region", "sector"])
    assisted_from = forms.DateField(label=_("Assisted from"))
    assisted_to = forms.DateField(label=_("Assisted until"))
    first_wave_on = forms.DateField(label=_("First wave"))
    waves = WholeNumberField(label=_("Waves (one a year)"), min_value=1, max_value=10, initial=3)
    seed = WholeNumberField(label=_("Seed (empty: a new one)"), min_value=0, max_value=MAX_SEED, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("assisted_from"), data.get("assisted_to")
        if start and end and end < start:
            self.add_error("assisted_to", _("The end comes before the start."))
        for name in ("assisted_from", "assisted_to", "first_wave_on"):
            day = data.get(name)
            if day and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, _("Give a date between 2000 and 2100."))
        if data.get("seed") is None:
            data["seed"] = secrets.randbelow(MAX_SEED)
        data["strata"] = [key for key, _label in STRATA if key in (data.get("strata") or [])]
        return data


class DropInput(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CohortMember.Reason.choices)
    on = forms.DateField(label=_("Date"), required=False)
