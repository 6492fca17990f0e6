from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogframeConfig(AppConfig):
    name = "parcours.logframe"
    verbose_name = _("Results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from . import models as m
        from .policies import RESULTS_READERS

        NAV.append(("logframe:dashboard", _("Results"), RESULTS_READERS))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.ME_OFFICER] = "logframe:dashboard"
        from parcours.core.exports import register_exporter

        from . import reports  # noqa: F401 - registers the donor report job
        from .xlsx import indicators_file

        register_exporter("indicators", formats=("hxl", "csv", "xlsx"), run=indicators_file, needs_user=False)
        for model in (m.Indicator, m.TargetRevision, m.EnteredValue, m.BudgetLine, m.Spending, m.Narrative):
            auditlog.register(model)
