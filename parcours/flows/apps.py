from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "parcours.flows"
    label = "flows"
    verbose_name = _("Flow monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV
        from parcours.core.exports import register_exporter

        from . import models as m
        from .events import register_kinds
        from .exports import flows_export
        from .policies import READERS

        register_kinds()
        from . import reports  # noqa: F401 - registers the report job
        for model in (m.Point, m.Count, m.Report, m.Tally, m.DayCheck):
            auditlog.register(model)
        NAV.append(("flows:points", _("Flow monitoring"), READERS))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        from .selectors import count_form_url

        LANDING[Role.ENUMERATOR] = count_form_url  # the day's sheet of their point
        register_exporter("flows", formats=("hxl", "csv", "xlsx"), run=flows_export, needs_user=False)
        from parcours.core.imports import register_importer

        from .imports import import_flow_sheets

        register_importer("flows", run=lambda *, by, content, filename, point="", **_options: import_flow_sheets(
            by=by, content=content, filename=filename, point=point))
