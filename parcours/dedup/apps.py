from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupConfig(AppConfig):
    name = "parcours.dedup"
    label = "dedup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.accounts.roles import DEDUP_REVIEWERS
        from parcours.core.context_processors import NAV
        from parcours.people.duplicates import on_candidates_found

        from . import models as m
        from . import scan  # noqa: F401  (registers the scan job)
        from .services import candidates_queue

        auditlog.register(m.DuplicatePair)
        auditlog.register(m.Merge)
        NAV.append(("dedup:queue", _("Duplicates"), DEDUP_REVIEWERS))
        on_candidates_found(candidates_queue)
