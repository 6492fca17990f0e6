from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "parcours.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from . import exports, facts, tasks  # noqa: F401  (the ledger exporter; built-in facts; the eligible-count job)
        from . import models as m
        from .events import register_kinds
        from .policies import TOTALS_READERS

        # Change history of every assistance record (ledger rows are only ever created).
        for model in (m.SchemeCategory, m.Scheme, m.SchemeVersion, m.LedgerEntry, m.VerificationVisit,
                      m.AttendanceRecord):
            auditlog.register(model)
        from parcours.people.links import register_person_link

        from .policies import can_read_ledger

        register_person_link("assistance:person", _("Assistance and payments"), can_read_ledger)
        NAV.append(("assistance:schemes", _("Assistance"), TOTALS_READERS))
        NAV.append(("assistance:ledger", _("Ledger"), TOTALS_READERS))
        register_kinds()
