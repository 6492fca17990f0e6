from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "parcours.centres"
    label = "centres"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV
        from parcours.people.links import register_person_link

        from . import exports  # noqa: F401  (register the stays exporter)
        from . import models as m
        from .events import register_kinds
        from .policies import AVR_READERS, CENTRE_READERS, can_see_residents

        register_kinds()
        for model in (m.Centre, m.Stay, m.StayService, m.StayProtection, m.ReturnRequest, m.Departure, m.Passenger):
            auditlog.register(model)
        NAV.append(("centres:list", _("Centres"), CENTRE_READERS))
        NAV.append(("centres:departures", _("Returns home"), AVR_READERS))
        register_person_link("centres:for_person", _("Centre stays and return"), can_see_residents)
