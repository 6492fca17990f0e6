"""Assistance's kinds of fact and how each reads on a timeline (see parcours/facts). The logframe
counts `assistance_paid` (by its value: it imports no domain); a reversal voids the payment's fact."""

import enum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parcours.facts.kinds import counted, register


class AssistanceEvent(enum.StrEnum):
    PAID = "assistance_paid"
    REVERSED = "assistance_reversed"
    VISIT = "assistance_visit"
    TRAINING_ATTENDANCE = "training_attendance"


def register_kinds() -> None:
    register(AssistanceEvent.PAID, label=_("Assistance paid: %(code)s, tranche %(tranche)s, %(amount)s XOF"))
    register(AssistanceEvent.REVERSED, label=_("Assistance reversed: %(code)s, tranche %(tranche)s (%(reason)s)"))
    register(AssistanceEvent.VISIT, label=_("Verification visit: %(code)s, tranche %(tranche)s, %(outcome)s"))
    register(AssistanceEvent.TRAINING_ATTENDANCE, label=counted(lambda n: ngettext(
        "Training attendance %(month)s: %(days)s day", "Training attendance %(month)s: %(days)s days", n), "days"))
