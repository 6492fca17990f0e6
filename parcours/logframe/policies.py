"""Who reads the results, who sees the names behind a number, who edits the logframe."""

from django.db.models import Q

from parcours.accounts.models import Role
from parcours.accounts.roles import can

# The dashboard: M&E, managers and the donor, the auditor; field roles see their own place's.
RESULTS_READERS = {Role.ADMIN, Role.ME_OFFICER, Role.MANAGER, Role.AUDITOR, Role.CASEWORKER, Role.CENTRE_MANAGER,
                   Role.FOCAL_POINT, Role.PROTECTION, Role.RECEPTION}
# Who edits targets, enters values with evidence, records spending and writes the report.
RESULTS_EDITORS = {Role.ADMIN, Role.ME_OFFICER}
# Aggregates only: never the list of people behind a number.
AGGREGATES_ONLY = {Role.MANAGER}


def can_read_results(user) -> bool:
    return can(user, RESULTS_READERS)


def can_edit_results(user) -> bool:
    return can(user, RESULTS_EDITORS)


def can_drill_down(user) -> bool:
    return can_read_results(user) and not can(user, AGGREGATES_ONLY)


def fact_scope(user) -> Q | None:
    """The facts a user's figures count: everything for those who work everywhere, else what
    happened in their place or concerns people from it."""
    if user.place_id is None:
        return None
    path = user.place.path
    return Q(place_path__startswith=path) | Q(origin_path__startswith=path)


def can_read_reports(user) -> bool:
    """Stored donor reports count the whole programme: for readers who work everywhere."""
    return can_read_results(user) and user.place_id is None
