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
        from parcours.core.labels import FIELD_LABELS

        from . import exports  # noqa: F401  (register the activities exporter)
        from .events import register_kinds
        from .models import Activity, Call, Grant, GrantReport
        from .policies import GRANT_PAGE_READERS, READERS

        register_kinds()
        for model in (Activity, Call, Grant, GrantReport):
            auditlog.register(model)
        # Fields the grant services name by hand (the forms name theirs).
        for name, label in (("grant", _("Grant")), ("communes", _("Communes")), ("call", _("Call for proposals")),
                            ("reference", _("Reference")), ("note", _("Note"))):
            FIELD_LABELS.setdefault(name, label)
        NAV.append(("outreach:list", _("Sensitization"), READERS))
        NAV.append(("outreach:grants", _("Grants"), GRANT_PAGE_READERS))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.FOCAL_POINT] = "outreach:list"
