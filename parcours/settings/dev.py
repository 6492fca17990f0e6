"""Local use (`make run`): embedded SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403

DEBUG = False  # pages look and fail as in production; static files come from whitenoise
WHITENOISE_USE_FINDERS = True  # serve static files without a collectstatic step
