from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from unidecode import unidecode

from .models import ApiToken, Place
from .policies import accounts_visible_to


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


def accounts_with_live_tokens(user) -> QuerySet:
    """The accounts an administrator manages, each with `live_tokens` (not expired, not revoked)."""
    live = Q(api_tokens__revoked_at__isnull=True, api_tokens__expires_at__gt=timezone.now())
    return accounts_visible_to(user).annotate(live_tokens=Count("api_tokens", filter=live))


def tokens_of(account) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=account).select_related("revoked_by").order_by("-created_at", "-id")
