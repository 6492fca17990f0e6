"""Links from a person's page to what other domains hold about them (assistance, case,
referrals…). Each domain registers its own in AppConfig.ready(), so the registry knows no domain."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PersonLink:
    url_name: str
    label: object  # lazy translation
    allowed: Callable  # allowed(user) -> bool
    query: bool = False  # True: /path/?person=<id>; False: /path/<id>/


PERSON_LINKS: list[PersonLink] = []


def register_person_link(url_name: str, label, allowed: Callable, *, query: bool = False) -> None:
    PERSON_LINKS.append(PersonLink(url_name, label, allowed, query))


def links_for(user, person) -> list[dict]:
    out = []
    for link in PERSON_LINKS:
        if not link.allowed(user):
            continue
        try:
            url = (f"{reverse(link.url_name)}?person={person.pk}" if link.query
                   else reverse(link.url_name, args=[person.pk]))
        except NoReverseMatch:
            continue
        out.append({"url": url, "label": link.label})
    return out
