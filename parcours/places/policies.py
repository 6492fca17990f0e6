"""Who may clean the gazetteer."""

from parcours.accounts.roles import PLACE_CLEANERS, can


def can_clean_places(user) -> bool:
    return can(user, PLACE_CLEANERS)
