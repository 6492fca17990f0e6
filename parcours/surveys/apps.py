from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "parcours.surveys"
    verbose_name = _("Field collection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from . import models as m
        from .events import register_kinds
        from .policies import ANSWER_READERS

        register_kinds()
        NAV.append(("surveys:forms", _("Questionnaires"), ANSWER_READERS))
        for model in (m.Form, m.FormVersion, m.Submission):
            auditlog.register(model, exclude_fields=["source", "xml"])
