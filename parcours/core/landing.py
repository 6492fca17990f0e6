"""Where each role lands after signing in: the page of its day's work. Domains register theirs
in AppConfig.ready() (`LANDING[Role.X] = "app:url-name"`, or a function of the user giving an
address or None); a role with none lands on the first page of its menu."""

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

LANDING: dict[str, str | Callable] = {}


def landing_url(user) -> str | None:
    target = LANDING.get(getattr(user, "role", ""))
    if target is None:
        return None
    try:
        return target(user) if callable(target) else reverse(target)
    except NoReverseMatch:
        return None
