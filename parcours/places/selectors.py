"""Finding places by what people call them: names, alternate names, codes and P-codes, with
accents and case ignored; suggestions when nothing matches."""

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from parcours.accounts.models import Place
from parcours.accounts.selectors import name_key

from .models import UnresolvedPlace


def _scoped(kind: str | None, within: Place | None) -> QuerySet[Place]:
    qs = Place.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs


def resolve_place(text: str, *, kind: str | None = None, within: Place | None = None) -> Place | None:
    """The place `text` names: its name, one of its alternate names, its code or its P-code.
    Inside `within` when given; None when nothing matches."""
    text = (text or "").strip()
    if not text:
        return None
    key = name_key(text)
    qs = _scoped(kind, within)
    return (qs.filter(search_name=key).first()
            or qs.filter(alternate_names__search_name=key).first()
            or qs.filter(Q(code__iexact=text) | Q(pcode__iexact=text)).first())


def suggest_places(text: str, *, kind: str | None = None, within: Place | None = None, limit: int = 3) -> list[Place]:
    """The closest names for a miss ("Nyoro" -> Nioro du Sahel), best first."""
    key = name_key(text or "")
    if not key:
        return []
    places = {p.pk: p for p in _scoped(kind, within).prefetch_related("alternate_names")}
    choices = {}
    for p in places.values():
        choices[(p.pk, p.search_name)] = p.search_name
        for alt in p.alternate_names.all():
            choices[(p.pk, alt.search_name)] = alt.search_name
    found = process.extract(key, choices, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70)
    seen, out = set(), []
    for _choice, _score, (pk, _name) in found:
        if pk not in seen:
            seen.add(pk)
            out.append(places[pk])
    return out[:limit]


def unresolved_places(*, pending_only: bool = True) -> QuerySet[UnresolvedPlace]:
    qs = UnresolvedPlace.objects.select_related("within", "resolved_to")
    return qs.filter(resolved_to__isnull=True) if pending_only else qs
