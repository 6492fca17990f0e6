"""Breakdown keys as people read them, in the active language (the report, the page, the PDF)."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import AgeGroup, Direction, Reason, Sex, Transport

CHOICES = {"direction": Direction, "sex": Sex, "age_group": AgeGroup, "transport": Transport, "reason": Reason}
TITLES = {"direction": _("Direction"), "nationality": _("Nationality"), "sex": _("Sex"), "age_group": _("Age group"),
          "transport": _("Transport"), "reason": _("Reason for travel"), "destination": _("Intended destination"),
          "origin": _("Coming from")}


def label(dim: str, key: str) -> str:
    if not key:
        return str(_("not asked"))
    if dim in ("nationality", "destination", "origin"):
        return str(countries.name(key) or key)
    choices = CHOICES.get(dim)
    if choices is None:
        return key
    try:
        return str(choices(key).label)
    except ValueError:
        return key


def rows(dim: str, values: dict[str, int], *, top: int | None = None) -> list[tuple[str, int]]:
    """(label, number) largest first; beyond `top`, the rest as one "other" row."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [(label(dim, k), n) for k, n in ordered[:top]]
    rest = sum(n for _k, n in ordered[top:]) if top is not None else 0
    return [*out, (str(_("others")), rest)] if rest else out
