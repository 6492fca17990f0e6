"""How results read for people: dimension and group names, units — never raw codes on a page."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries

DIMENSIONS = {"sex": _("Sex"), "age_group": _("Age group"), "returned_from": _("Returned from"),
              "region": _("Region"), "nationality": _("Nationality"), "agency": _("Agency")}
GROUPS = {"sex": {"M": _("men"), "F": _("women")},
          "returned_from": {"africa": _("Africa"), "europe": _("Europe"), "other": _("elsewhere")}}
UNITS = {"people": _("people"), "centres": _("centres"), "documents": _("documents"), "antennas": _("antennas"),
         "points": _("points"), "questionnaires": _("questionnaires"), "collections": _("collections"),
         "communities": _("communities"), "workshops": _("workshops"), "sessions": _("sessions")}
UNKNOWN = _("not known")


def group_label(dimension: str, key: str) -> str:
    if key == "unknown":
        return str(UNKNOWN)
    if dimension == "nationality":
        return countries.name(key) or key
    return str(GROUPS.get(dimension, {}).get(key, key))


def labelled(disaggregations: dict[str, dict[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    return [(str(DIMENSIONS.get(dim, dim)), [(group_label(dim, k), v) for k, v in groups.items()])
            for dim, groups in disaggregations.items() if groups]


def unit_label(unit: str) -> str:
    return str(UNITS.get(unit, unit))
