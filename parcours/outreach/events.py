"""The kinds of fact sensitization records. The results count `ACTIVITY_HELD` (quantity = people
met; data: audience, participants_male, participants_female) by the day the activity was held."""

import enum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parcours.facts.kinds import Sensitivity, counted, register


class OutreachEvent(enum.StrEnum):
    ACTIVITY_HELD = "outreach.activity_held"
    ACTIVITY_CANCELLED = "outreach.activity_cancelled"
    PARTICIPANT_NAMED = "outreach.participant_named"
    GRANT_AWARDED = "outreach.grant_awarded"
    GRANT_REPORT_RECEIVED = "outreach.grant_report_received"


def register_kinds() -> None:
    # No person: an activity's participants are counts (named participants come with consent).
    register(OutreachEvent.ACTIVITY_HELD, label=counted(lambda n: ngettext(
        "Sensitization in %(commune)s: %(participants)s participant",
        "Sensitization in %(commune)s: %(participants)s participants", n), "participants"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
    register(OutreachEvent.ACTIVITY_CANCELLED, label=_("Sensitization activity cancelled: %(reason)s"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
    # On the person's timeline: read by whoever sees the person (a focal point reads no more).
    register(OutreachEvent.PARTICIPANT_NAMED, label=_("Took part in a sensitization activity in %(commune)s (%(theme)s)"),
             sensitivity=Sensitivity.PUBLIC)
    register(OutreachEvent.GRANT_AWARDED, label=_("Grant %(reference)s awarded to %(grantee)s"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
    register(OutreachEvent.GRANT_REPORT_RECEIVED, label=_("Grant %(reference)s: %(report)s received"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
