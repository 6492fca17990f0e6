from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "parcours.places"
    verbose_name = _("Places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parcours.accounts.roles import PLACE_CLEANERS
        from parcours.core.context_processors import NAV

        NAV.append(("places:unresolved", _("Places to confirm"), PLACE_CLEANERS))
