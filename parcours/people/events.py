"""The registry's kinds of fact and how each reads on a timeline (see parcours/facts)."""

import enum

from django.utils.translation import gettext_lazy as _

from parcours.facts.kinds import Sensitivity, register

PUBLIC, PROGRAMME = Sensitivity.PUBLIC, Sensitivity.PROGRAMME


class PeopleEvent(enum.StrEnum):
    REGISTERED = "registered"
    PREREGISTERED = "preregistered"
    UPDATED = "updated"
    HOUSEHOLD_ADDED = "household_added"
    CONSENT_COLLECTION_GRANTED = "consent_collection_granted"
    CONSENT_COLLECTION_REFUSED = "consent_collection_refused"
    CONSENT_SHARING_GRANTED = "consent_sharing_granted"
    CONSENT_SHARING_REFUSED = "consent_sharing_refused"
    ACCESS_ASSIGNED = "access_assigned"
    ACCESS_REFERRED = "access_referred"
    ACCESS_PARTICIPANT = "access_participant"
    MIGRATION_ADDED = "migration_added"
    DOCUMENT_ADDED = "document_added"
    MERGED = "merged"
    UNMERGED = "unmerged"

    @classmethod
    def consent(cls, scope: str, granted: bool) -> "PeopleEvent":
        return cls(f"consent_{scope}_{'granted' if granted else 'refused'}")

    @classmethod
    def access(cls, reason: str) -> "PeopleEvent":
        return cls(f"access_{reason}")


_KINDS = {
    PeopleEvent.REGISTERED: (_("Registered (%(place)s)"), PUBLIC),
    PeopleEvent.PREREGISTERED: (_("Pre-registered from manifest %(manifest)s"), PUBLIC),
    PeopleEvent.UPDATED: (_("Record updated"), PUBLIC),
    PeopleEvent.HOUSEHOLD_ADDED: (_("Household member added: %(name)s"), PROGRAMME),
    PeopleEvent.CONSENT_COLLECTION_GRANTED: (_("Consent to data collection given"), PUBLIC),
    PeopleEvent.CONSENT_COLLECTION_REFUSED: (_("Consent to data collection refused"), PUBLIC),
    PeopleEvent.CONSENT_SHARING_GRANTED: (_("Consent to share data with %(agency)s given"), PUBLIC),
    PeopleEvent.CONSENT_SHARING_REFUSED: (_("Consent to share data with %(agency)s refused or withdrawn"), PUBLIC),
    PeopleEvent.ACCESS_ASSIGNED: (_("Assigned to %(agency)s"), PUBLIC),
    PeopleEvent.ACCESS_REFERRED: (_("Referred to %(agency)s"), PROGRAMME),
    PeopleEvent.ACCESS_PARTICIPANT: (_("Named at a sensitization activity of %(agency)s, with consent"), PUBLIC),
    PeopleEvent.MIGRATION_ADDED: (_("Migration history recorded: %(route)s"), PROGRAMME),
    PeopleEvent.DOCUMENT_ADDED: (_("Identity document added: %(type)s"), PROGRAMME),
    PeopleEvent.MERGED: (_("Duplicate record %(other)s merged into this one"), PROGRAMME),
    PeopleEvent.UNMERGED: (_("Merge with %(other)s undone"), PROGRAMME),
}


def register_people_kinds() -> None:
    for kind, (text, sensitivity) in _KINDS.items():
        register(kind, label=text, sensitivity=sensitivity)
