from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "parcours.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parcours.core.reads import register_recorder

        from .services import log_list_read_if_audited

        register_recorder(log_list_read_if_audited)
