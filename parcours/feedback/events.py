"""The kinds of fact complaints record. An anonymous complaint has no person; a sensitive one
never carries its person either, so it appears on no timeline."""

import enum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parcours.facts.kinds import Sensitivity, counted, register


class FeedbackEvent(enum.StrEnum):
    RECEIVED = "feedback.complaint_received"
    ACKNOWLEDGED = "feedback.complaint_acknowledged"
    RESOLVED = "feedback.complaint_resolved"
    APPEALED = "feedback.complaint_appealed"
    CLOSED = "feedback.complaint_closed"


def _category(data: dict) -> str:
    from .models import Complaint

    try:
        return str(Complaint.Category(data.get("category")).label)
    except ValueError:
        return str(data.get("category", ""))


def register_kinds() -> None:
    register(FeedbackEvent.RECEIVED, label=lambda d: _("Complaint received (%(category)s)") % {"category": _category(d)},
             sensitivity=Sensitivity.PROGRAMME, person_required=False)
    register(FeedbackEvent.ACKNOWLEDGED, label=_("Complaint acknowledged"), sensitivity=Sensitivity.PROGRAMME,
             person_required=False)
    register(FeedbackEvent.RESOLVED, label=counted(lambda n: ngettext(
        "Complaint resolved in %(days)s day", "Complaint resolved in %(days)s days", n), "days"),
             sensitivity=Sensitivity.PROGRAMME, person_required=False)
    register(FeedbackEvent.APPEALED, label=_("Complaint appealed"), sensitivity=Sensitivity.PROGRAMME,
             person_required=False)
    register(FeedbackEvent.CLOSED, label=_("Complaint closed"), sensitivity=Sensitivity.PROGRAMME,
             person_required=False)
