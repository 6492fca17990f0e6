from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parcours.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import signals
        from .models import Agency, Place, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Agency)
        auditlog.register(Place)

        signals.connect()
