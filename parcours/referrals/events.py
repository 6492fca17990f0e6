"""The referral path's kinds of fact and how each reads on a timeline (see parcours/facts)."""

import enum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parcours.facts.kinds import counted, register


class ReferralEvent(enum.StrEnum):
    SENT = "referral_sent"
    ACCEPTED = "referral_accepted"
    REFUSED = "referral_refused"
    ENROLLED = "referral_enrolled"
    COMPLETED = "referral_completed"
    DROPPED = "referral_dropped"
    ATTENDANCE = "referral_attendance"
    ATTENDANCE_VALIDATED = "referral_attendance_validated"


def register_kinds() -> None:
    register(ReferralEvent.SENT, label=_("Referred to %(service)s (%(agency)s)"))
    register(ReferralEvent.ACCEPTED, label=_("Referral accepted by %(service)s"))
    register(ReferralEvent.REFUSED, label=_("Referral refused by %(service)s: %(reason)s"))
    register(ReferralEvent.ENROLLED, label=_("Enrolled in %(service)s"))
    register(ReferralEvent.COMPLETED, label=_("Completed %(service)s (certificate %(certificate)s)"))
    register(ReferralEvent.DROPPED, label=_("Dropped out of %(service)s: %(reason)s"))
    register(ReferralEvent.ATTENDANCE, label=counted(lambda n: ngettext(
        "Attendance at %(service)s in %(month)s: %(days)s day", "Attendance at %(service)s in %(month)s: %(days)s days",
        n), "days"))
    register(ReferralEvent.ATTENDANCE_VALIDATED, label=counted(lambda n: ngettext(
        "Attendance at %(service)s in %(month)s validated: %(days)s day",
        "Attendance at %(service)s in %(month)s validated: %(days)s days", n), "days"))
