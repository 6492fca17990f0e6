"""Reads on the registry, always starting from the user's scoped queryset."""

from dataclasses import dataclass

from django.db.models import QuerySet

from parcours.accounts.models import Place
from parcours.accounts.selectors import name_key
from parcours.facts.models import Fact
from parcours.facts.selectors import person_facts_for

from .models import Person
from .policies import people_visible_to


def search_text_for(person: Person) -> str:
    parts = [person.given_name, person.family_name, person.other_names, person.phone, person.id_document_number]
    return name_key(" ".join(p for p in parts if p))[:400]


@dataclass
class PeopleFilter:
    q: str = ""
    region: str = ""  # a region code or name
    sex: str = ""
    returned_from: str = ""
    return_from: object = None  # date
    return_to: object = None


def people_list(user, flt: PeopleFilter) -> QuerySet[Person]:
    qs = people_visible_to(user)
    if flt.region:
        region = Place.objects.filter(kind=Place.Kind.REGION, code__iexact=flt.region).first() or \
            Place.objects.filter(kind=Place.Kind.REGION, search_name=name_key(flt.region)).first()
        qs = qs.filter(origin_path__startswith=region.path) if region else qs.none()
    if flt.sex:
        qs = qs.filter(sex=flt.sex)
    if flt.returned_from:
        qs = qs.filter(returned_from=flt.returned_from.upper())
    if flt.return_from:
        qs = qs.filter(return_date__gte=flt.return_from)
    if flt.return_to:
        qs = qs.filter(return_date__lte=flt.return_to)
    for token in name_key(flt.q).split()[:5]:
        qs = qs.filter(search_text__contains=token)
    return qs.select_related("origin_region").order_by("-created_at")


def person_timeline(person: Person, user, limit: int = 200) -> list[Fact]:
    """What happened to `person`, newest first, without the lines `user` may not read (a
    service provider does not learn amounts paid or protection steps)."""
    return person_facts_for(user, person, limit=limit)
