from django.db.models import QuerySet
from unidecode import unidecode

from .models import Place


def name_key(name: str) -> str:
    return " ".join(unidecode(name).casefold().replace("-", " ").split())


def place_by_name(name: str, *, kind: str | None = None, within: Place | None = None) -> Place | None:
    """A place by its name or code, accents and case ignored; inside `within` when given."""
    if not name:
        return None
    qs: QuerySet[Place] = Place.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    key = name_key(name)
    return qs.filter(search_name=key).first() or qs.filter(code__iexact=name.strip()).first()


def regions() -> QuerySet[Place]:
    return Place.objects.filter(kind=Place.Kind.REGION).order_by("name")
