"""The case path's kinds of fact and how each reads on a timeline (see parcours/facts).

A step whose outcome is a choice has one kind per value ("case_plan_training",
"case_delivered_business"), so the line reads in the reader's language, not the writer's: those
members are made from the models' choices, and the writers ask for them by name
(`CaseEvent.plan(kind)`), which fails loudly for a value that has no kind."""

import enum

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parcours.facts.kinds import Sensitivity, counted, register

from .models import Case, FollowUp, Orientation, PlanComponent, Reminder


def _members() -> dict[str, str]:
    members = {
        "ARRIVAL_ABSENT": "arrival_absent", "OPENED": "case_opened",
        "SCREENED_PROTECTION": "case_screened_protection", "SCREENED_ORIENTATION": "case_screened_orientation",
        "PROTECTION": "case_protection", "BEST_INTEREST": "case_best_interest", "TRANSFERRED": "case_transferred",
    }
    for choice in Orientation.Choice.values:
        members[f"ORIENTED_{choice.upper()}"] = f"case_oriented_{choice}"
    for kind in PlanComponent.Kind.values:
        members[f"PLAN_{kind.upper()}"] = f"case_plan_{kind}"
        for status in PlanComponent.Status.values:
            members[f"{status.upper()}_{kind.upper()}"] = f"case_{status}_{kind}"
    for outcome in [*FollowUp.Outcome.values, *Reminder.Kind.values]:
        members[f"FOLLOW_UP_{outcome.upper()}"] = f"case_follow_up_{outcome}"
    for reason in Case.Closure.values:
        members[f"CLOSED_{reason.upper()}"] = f"case_closed_{reason}"
    return members


class _Steps:
    @classmethod
    def oriented(cls, choice: str):
        return cls(f"case_oriented_{choice}")

    @classmethod
    def plan(cls, kind: str):
        return cls(f"case_plan_{kind}")

    @classmethod
    def component(cls, status: str, kind: str):
        return cls(f"case_{status}_{kind}")

    @classmethod
    def follow_up(cls, outcome: str):
        return cls(f"case_follow_up_{outcome}")

    @classmethod
    def closed(cls, reason: str):
        return cls(f"case_closed_{reason}")


CaseEvent = enum.StrEnum("CaseEvent", _members(), type=_Steps, module=__name__)


def register_kinds() -> None:
    protection = Sensitivity.PROTECTION
    register(CaseEvent.ARRIVAL_ABSENT, label=_("Absent from flight %(manifest)s"))
    register(CaseEvent.OPENED, label=_("Case opened (%(agency)s)"))
    register(CaseEvent.SCREENED_PROTECTION, sensitivity=protection,
             label=_("Vulnerability screening: vulnerable, referred to the protection team"))
    register(CaseEvent.SCREENED_ORIENTATION, sensitivity=protection,
             label=_("Vulnerability screening: routed to the orientation interview"))
    register(CaseEvent.PROTECTION, label=_("Protection assessment recorded"), sensitivity=protection)
    register(CaseEvent.BEST_INTEREST, label=_("Best-interest determination recorded"), sensitivity=protection)
    register(CaseEvent.TRANSFERRED, label=_("Case transferred to %(to)s (%(agency)s)"))
    for choice, label in Orientation.Choice.choices:
        register(CaseEvent.oriented(choice), label=format_lazy(_("{}: {}"), _("Orientation interview"), label))
    for kind, label in PlanComponent.Kind.choices:
        register(CaseEvent.plan(kind), label=format_lazy(_("{}: {}"), _("Reintegration plan"), label))
        for status, status_label in PlanComponent.Status.choices:
            register(CaseEvent.component(status, kind), label=format_lazy(_("{}: {}"), label, status_label))
    for outcome, label in FollowUp.Outcome.choices:
        register(CaseEvent.follow_up(outcome), label=counted(lambda n, label=label: format_lazy(_("{}: {}"), ngettext(
            "Follow-up at %(months)s month", "Follow-up at %(months)s months", n), label), "months"))
    register(CaseEvent.follow_up(Reminder.Kind.DUE), label=counted(lambda n: ngettext(
        "Follow-up at %(months)s month due on %(due)s", "Follow-up at %(months)s months due on %(due)s", n), "months"))
    register(CaseEvent.follow_up(Reminder.Kind.OVERDUE), label=counted(lambda n: ngettext(
        "Follow-up at %(months)s month overdue (due on %(due)s)",
        "Follow-up at %(months)s months overdue (due on %(due)s)", n), "months"))
    for reason, label in Case.Closure.choices:
        register(CaseEvent.closed(reason), label=format_lazy(_("{}: {}"), _("Case closed"), label))
