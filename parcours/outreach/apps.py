from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "parcours.outreach"
    label = "outreach"
    verbose_name = _("Sensitization")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from .events import register_kinds
        from .models import Activity
        from .policies import READERS

        register_kinds()
        auditlog.register(Activity)
        NAV.append(("outreach:list", _("Sensitization"), READERS))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.FOCAL_POINT] = "outreach:list"
