from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "parcours.feedback"
    label = "feedback"
    verbose_name = _("Complaints and feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from . import exports  # noqa: F401  (register the complaints register exporter)
        from .events import register_kinds
        from .models import Complaint
        from .policies import FILERS, READERS, REGISTER_READERS

        register_kinds()
        # What the complainant said stays out of the change history (it is encrypted).
        auditlog.register(Complaint, exclude_fields=["content_encrypted"])
        NAV.append(("feedback:queue", _("Complaints"), READERS))
        NAV.append(("feedback:new", _("File a complaint"), FILERS - READERS))
        NAV.append(("feedback:register", _("Complaints register"), REGISTER_READERS - READERS))
