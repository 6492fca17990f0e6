"""Test settings: tasks run inline, fast password hashing."""

from .base import *  # noqa: F403
from .base import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
HUEY.pop("filename", None)
HUEY["huey_class"] = "huey.MemoryHuey"
HUEY.pop("url", None)
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
from .base import DATABASES  # noqa: E402

DATABASES["default"]["CONN_MAX_AGE"] = 0  # no connection outlives a test (the live server's thread included)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
