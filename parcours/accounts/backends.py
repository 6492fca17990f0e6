"""Password authentication that also keeps the HA1 HTTP Digest needs (ODK Collect's default):
the one moment the server sees the password is when it checks it."""

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and password:
            from .services import digest_remember

            digest_remember(user=user, password=password)
        return user
