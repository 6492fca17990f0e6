from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "parcours.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.accounts.roles import can
        from parcours.core.context_processors import NAV
        from parcours.people.links import register_person_link

        from . import models as m
        from .events import register_kinds
        from .policies import CASE_READERS, QUEUE_READERS

        auditlog.register(m.Case)
        auditlog.register(m.Screening, exclude_fields=["answers_encrypted"])
        auditlog.register(m.ProtectionAssessment, exclude_fields=["notes_encrypted"])
        for model in (m.Orientation, m.PlanComponent, m.FollowUp, m.BestInterestDetermination, m.StageTarget,
                      m.FollowUpOffset):
            auditlog.register(model)
        NAV.append(("cases:caseload", _("Cases"), CASE_READERS))
        NAV.append(("cases:arrivals", _("Arrivals"), {"reception", "admin"}))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.CASEWORKER] = "cases:caseload"  # today's tasks, then the caseload
        NAV.append(("cases:queue", _("Queue"), QUEUE_READERS - CASE_READERS))
        register_person_link("cases:for_person", _("Case"), lambda user: can(user, CASE_READERS))
        register_kinds()
