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


@dataclass(frozen=True)
class PersonPanel:
    template: str
    context: Callable  # context(user, person) -> dict, or None when the user may not see the panel


PERSON_PANELS: list[PersonPanel] = []


def register_person_panel(template: str, context: Callable) -> None:
    """A section of the person's page owned by another domain (its template and its selector)."""
    PERSON_PANELS.append(PersonPanel(template, context))


def panels_for(user, person) -> list[dict]:
    out = []
    for panel in PERSON_PANELS:
        context = panel.context(user, person)
        if context is not None:
            out.append({"template": panel.template, "context": context})
    return out
