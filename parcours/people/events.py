"""The registry's kinds of fact and how each reads on a timeline (see parcours/facts)."""

from django.utils.translation import gettext_lazy as _

from parcours.facts.kinds import Sensitivity, register

PUBLIC, PROGRAMME = Sensitivity.PUBLIC, Sensitivity.PROGRAMME

_KINDS = {
    "registered": (_("Registered (%(place)s)"), PUBLIC),
    "preregistered": (_("Pre-registered from manifest %(manifest)s"), PUBLIC),
    "updated": (_("Record updated"), PUBLIC),
    "household_added": (_("Household member added: %(name)s"), PROGRAMME),
    "consent_collection_granted": (_("Consent to data collection given"), PUBLIC),
    "consent_collection_refused": (_("Consent to data collection refused"), PUBLIC),
    "consent_sharing_granted": (_("Consent to share data with %(agency)s given"), PUBLIC),
    "consent_sharing_refused": (_("Consent to share data with %(agency)s refused or withdrawn"), PUBLIC),
    "access_assigned": (_("Assigned to %(agency)s"), PUBLIC),
    "access_referred": (_("Referred to %(agency)s"), PROGRAMME),
    "migration_added": (_("Migration history recorded: %(route)s"), PROGRAMME),
    "document_added": (_("Identity document added: %(type)s"), PROGRAMME),
    "merged": (_("Duplicate record %(other)s merged into this one"), PROGRAMME),
    "unmerged": (_("Merge with %(other)s undone"), PROGRAMME),
}


def describe(kind: str, text, sensitivity: Sensitivity = PROGRAMME) -> None:
    """Register a kind of person fact with its timeline text (kept for the wave-1 domains)."""
    register(kind, label=text, sensitivity=sensitivity)


def register_people_kinds() -> None:
    for kind, (text, sensitivity) in _KINDS.items():
        register(kind, label=text, sensitivity=sensitivity)
