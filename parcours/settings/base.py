"""Settings shared by every environment. Environment variables decide the rest."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PARCOURS_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "auditlog",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    # django-ninja as an app: /api/v1/docs serves Swagger UI from its own static files (the CSP
    # allows no CDN); without it ninja links the CDN.
    "ninja",
    "parcours.core",
    "parcours.accounts",
    "parcours.facts",
    "parcours.places",
    "parcours.logframe",
    "parcours.surveys",
    "parcours.people",
    "parcours.matching",
    "parcours.dedup",
    "parcours.cases",
    "parcours.assistance",
    "parcours.referrals",
    "parcours.outreach",
    "parcours.centres",
    "parcours.feedback",
    "parcours.flows",
    "parcours.jobs",
    "parcours.audit",
    "parcours.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages, API answers and (without collectstatic, as `make run`) static files compressed: a list
    # page is a fifth of its size over 3G. In production WhiteNoise sends its own precompressed
    # files, which this leaves alone. CSRF tokens are masked per response (Django's answer to BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "parcours.core.middleware.ApiEnvelopeMiddleware",
    "parcours.core.middleware.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parcours.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "parcours.core.refusals.PolicyRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "parcours.core.middleware.AuditlogMiddleware",  # the client's address as parcours.core.client says
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parcours.urls"
WSGI_APPLICATION = "parcours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parcours.core.context_processors.navigation",
            ],
        },
    }
]

# SQLite embedded by default; PostgreSQL (production, CI) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}",
        conn_max_age=60, conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, keeping the HA1 of HTTP Digest (ODK Collect) when it checks a password.
    "parcours.accounts.backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: 5 failures for a username from one client lock that client out of that account for 15
# minutes; the owner signs in from anywhere else. A lockout by username alone let anyone lock any
# account. On top, a progressive delay (parcours/accounts/throttle.py): after 3 free failures each
# attempt waits 1, 2, 4… seconds, up to 5 minutes for a client, 30 seconds for a username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
LOGIN_DELAY_FREE_FAILURES = 3
LOGIN_DELAY_MAX_CLIENT = 300  # seconds
LOGIN_DELAY_MAX_USERNAME = 30  # seconds
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "parcours.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# How many reverse proxies stand in front of the app server, each appending to X-Forwarded-For
# (parcours/core/client.py). 0 (the default, and `parcours run`): the header is ignored, since anyone
# can write it. Set it to the real number behind a proxy, or every client shares the proxy's address.
PARCOURS_TRUSTED_PROXIES = int(os.environ.get("PARCOURS_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "parcours.core.client.client_ip"

# Sessions and CSRF: cookies never readable from scripts, short idle sessions.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app carries its own locale/ folder
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Bamako"
FORMAT_MODULE_PATH = ["parcours.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Background work: Huey on SQLite by default (one file, no server), Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("HUEY_NAME", "parcours"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "process"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "parcours",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("HUEY_WORKERS", "2")), "worker_type": "thread"},
    }

# A running job's worker writes a heartbeat this often; a job whose heartbeat is older than
# JOB_STALE_SECONDS (or whose worker process, on this machine, is gone) is taken back: started again
# if its kind is safe to run twice, up to JOB_MAX_ATTEMPTS runs, otherwise marked failed.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))

# Protection data (screening answers, confidential notes) is encrypted with these Fernet keys.
# The first key encrypts; all of them decrypt, so keys can be rotated.
FIELD_ENCRYPTION_KEYS = [
    k for k in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if k
] or ["bW9jay1kZXYta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="]

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# The country whose phone numbers need no prefix.
PARCOURS_DEFAULT_REGION = os.environ.get("PARCOURS_DEFAULT_REGION", "ML")
PARCOURS_DEMO_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
USE_THOUSAND_SEPARATOR = True
# Lock by address AND account: a whole airport antenna shares one NAT address, and one agent's
# typos must not lock out colleagues; nor may a stranger lock anyone's account.

# API tokens work this many hours after they are issued (then POST /api/v1/auth/token again).
API_TOKEN_LIFETIME_HOURS = int(os.environ.get("API_TOKEN_LIFETIME_HOURS", "12"))
