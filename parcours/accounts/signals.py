"""A user's API tokens (and the HA1 HTTP Digest checks) end with the trust they stood on: when the account is locked out after
repeated failures, deactivated, or its password changes — whichever way that happens (a page, a
command, the shell), because these receivers watch the User row and django-axes itself."""

from django.db.models.signals import post_save, pre_save

from .models import ApiToken, User


def _remember_trust(sender, instance: User, update_fields=None, **kwargs) -> None:
    instance._revoke_tokens_because = None
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._revoke_tokens_because = ApiToken.Revocation.DEACTIVATED
    elif before["password"] != instance.password:
        instance._revoke_tokens_because = ApiToken.Revocation.PASSWORD


def _revoke_on_change(sender, instance: User, created=False, **kwargs) -> None:
    reason = getattr(instance, "_revoke_tokens_because", None)
    if reason and not created:
        from .models import DigestSecret
        from .services import tokens_revoke

        tokens_revoke(user=instance, reason=reason)
        if reason == ApiToken.Revocation.PASSWORD:
            # The HA1 of HTTP Digest stood on the old password; the next login brings the new one.
            DigestSecret.objects.filter(user=instance).delete()
    instance._revoke_tokens_because = None


def _revoke_on_lockout(sender, request=None, username=None, **kwargs) -> None:
    if not username:
        return
    from .services import tokens_revoke

    for user in User.objects.filter(username=username):
        tokens_revoke(user=user, reason=ApiToken.Revocation.LOCKOUT)


def connect() -> None:
    from axes.signals import user_locked_out

    pre_save.connect(_remember_trust, sender=User, dispatch_uid="accounts.tokens.remember_trust")
    post_save.connect(_revoke_on_change, sender=User, dispatch_uid="accounts.tokens.revoke_on_change")
    user_locked_out.connect(_revoke_on_lockout, dispatch_uid="accounts.tokens.revoke_on_lockout")
