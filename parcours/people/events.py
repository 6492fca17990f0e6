"""How each kind of timeline event reads. Other domains add their kinds with `describe`."""

from django.utils.translation import gettext_lazy as _

# kind -> (format string with %(key)s from the event data)
EVENT_TEXT: dict[str, object] = {
    "registered": _("Registered (%(place)s)"),
    "preregistered": _("Pre-registered from manifest %(manifest)s"),
    "updated": _("Record updated"),
    "household_added": _("Household member added: %(name)s"),
    "consent_collection_granted": _("Consent to data collection given"),
    "consent_collection_refused": _("Consent to data collection refused"),
    "consent_sharing_granted": _("Consent to share data with %(agency)s given"),
    "consent_sharing_refused": _("Consent to share data with %(agency)s refused or withdrawn"),
    "access_assigned": _("Assigned to %(agency)s"),
    "access_referred": _("Referred to %(agency)s"),
    "migration_added": _("Migration history recorded: %(route)s"),
    "document_added": _("Identity document added: %(type)s"),
    "merged": _("Duplicate record %(other)s merged into this one"),
    "unmerged": _("Merge with %(other)s undone"),
}


def describe(kind: str, text) -> None:
    EVENT_TEXT[kind] = text


class _Blank(dict):
    def __missing__(self, key):
        return ""


def event_label(kind: str, data: dict) -> str:
    text = EVENT_TEXT.get(kind)
    if text is None:
        return kind
    try:
        return str(text) % _Blank(data)
    except (TypeError, ValueError):
        return str(text)
