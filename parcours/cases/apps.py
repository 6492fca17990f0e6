from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class CasesConfig(AppConfig):
    name = "parcours.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.accounts.roles import can
        from parcours.core.context_processors import NAV
        from parcours.facts.kinds import Sensitivity, counted
        from parcours.people.events import describe
        from parcours.people.links import register_person_link

        from . import models as m
        from .policies import CASE_READERS, QUEUE_READERS

        auditlog.register(m.Case)
        auditlog.register(m.Screening, exclude_fields=["answers_encrypted"])
        auditlog.register(m.ProtectionAssessment, exclude_fields=["notes_encrypted"])
        for model in (m.Orientation, m.PlanComponent, m.FollowUp, m.BestInterestDetermination, m.StageTarget,
                      m.FollowUpOffset):
            auditlog.register(model)
        NAV.append(("cases:caseload", _("Cases"), CASE_READERS))
        NAV.append(("cases:arrivals", _("Arrivals"), {"reception", "admin"}))
        describe("arrival_absent", _("Absent from flight %(manifest)s"))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.CASEWORKER] = "cases:caseload"  # today's tasks, then the caseload
        NAV.append(("cases:queue", _("Queue"), QUEUE_READERS - CASE_READERS))
        register_person_link("cases:for_person", _("Case"), lambda user: can(user, CASE_READERS))
        describe("case_opened", _("Case opened (%(agency)s)"))
        describe("case_screened", _("Vulnerability screening: routed to %(route)s"), Sensitivity.PROTECTION)
        describe("case_screened_protection", _("Vulnerability screening: vulnerable, referred to the protection team"), Sensitivity.PROTECTION)
        describe("case_screened_orientation", _("Vulnerability screening: routed to the orientation interview"), Sensitivity.PROTECTION)
        describe("case_protection", _("Protection assessment recorded"), Sensitivity.PROTECTION)
        describe("case_oriented", _("Orientation interview: %(choice)s"))
        describe("case_plan", _("Reintegration plan: %(component)s"))
        describe("case_component", _("%(component)s: %(status)s"))
        describe("case_follow_up", counted(lambda n: ngettext(
            "Follow-up at %(months)s month: %(outcome)s", "Follow-up at %(months)s months: %(outcome)s", n), "months"))
        describe("case_best_interest", _("Best-interest determination recorded"), Sensitivity.PROTECTION)
        describe("case_closed", _("Case closed: %(reason)s"))
        # One kind per value, so the line reads in the reader's language, not the writer's.
        for choice, label in m.Orientation.Choice.choices:
            describe(f"case_oriented_{choice}", format_lazy(_("{}: {}"), _("Orientation interview"), label))
        for kind, label in m.PlanComponent.Kind.choices:
            describe(f"case_plan_{kind}", format_lazy(_("{}: {}"), _("Reintegration plan"), label))
            for status, status_label in m.PlanComponent.Status.choices:
                describe(f"case_{status}_{kind}", format_lazy(_("{}: {}"), label, status_label))
        for outcome, label in m.FollowUp.Outcome.choices:
            describe(f"case_follow_up_{outcome}", counted(lambda n, label=label: format_lazy(_("{}: {}"), ngettext(
                "Follow-up at %(months)s month", "Follow-up at %(months)s months", n), label), "months"))
        for reason, label in m.Case.Closure.choices:
            describe(f"case_closed_{reason}", format_lazy(_("{}: {}"), _("Case closed"), label))
        describe("case_transferred", _("Case transferred to %(to)s (%(agency)s)"))
        describe("case_follow_up_due", counted(lambda n: ngettext(
            "Follow-up at %(months)s month due on %(due)s", "Follow-up at %(months)s months due on %(due)s", n), "months"))
        describe("case_follow_up_overdue", counted(lambda n: ngettext(
            "Follow-up at %(months)s month overdue (due on %(due)s)",
            "Follow-up at %(months)s months overdue (due on %(due)s)", n), "months"))
