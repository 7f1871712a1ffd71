"""Settings, all from environment variables.

Safe defaults for the embedded run (`make run`: SQLite, eager Celery); production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS. See the table in README.md.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import schedule

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README.md).")
    SECRET_KEY = "insecure-embedded-development-key-never-use-in-production"  # noqa: S105

# Keys the suppression list's and the erasure ledger's hashes (HMAC-SHA256). Changing it orphans every
# stored hash, so it is a secret of its own, never derived from SECRET_KEY (which may be rotated).
SUPPRESSION_HMAC_KEY = env.str("SUPPRESSION_HMAC_KEY", default="")
if not SUPPRESSION_HMAC_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SUPPRESSION_HMAC_KEY must be set when DEBUG is off (see README.md).")
    SUPPRESSION_HMAC_KEY = "insecure-embedded-suppression-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Django, third-party, ours.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # unaccent and trigram lookups (privacy/search.py)
    "simple_history",
    "import_export",
    "django_celery_beat",
    "axes",
    "privacy",
    "consents",
    "requests_app",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "privacy.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Bad query strings (NUL, impossible dates, refused filters) get a 400 or the admin's "?e=1", not a 500.
    "privacy.admin_input.AdminInputMiddleware",
    # The staff member's remembered admin language wins over the cookie and Accept-Language (issue 8).
    "privacy.i18n.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "privacy.User"
# django-axes first: it refuses a locked-out username or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("lv", _("Latvian")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Personal files (call recordings, export packages, letters) live outside any served folder; only
# permission-checked views stream them. There is deliberately no MEDIA_URL.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {
        "BACKEND": "privacy.storage.PrivateStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Redis serves Celery and, when set, the cache (locks for the nightly sweeps live there).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker, tasks run eagerly in-process (the embedded run); with one, on real workers.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers keep Django's LOGGING (and its personal-data redaction filter) instead of their own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=3 * 3600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=3 * 3600 + 300)
# A task unacknowledged for longer than this is delivered again (Redis); see README "Celery".
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600),
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic jobs are declared in config/schedule.py (requests 02:30, consents 02:45, retention 02:00
# Europe/Riga; every 10 minutes, retention runs left "running" by a dead worker are marked
# "interrupted") and live in the database (django-celery-beat), created by `sync_reference` and edited
# in the admin under "Periodic tasks". No CELERY_BEAT_SCHEDULE: the DatabaseScheduler would write it
# over the admin's edits at every start.
PERIODIC_TASKS = schedule.PERIODIC_TASKS
# A consent import on a worker marks itself alive this often; one silent for LOST_AFTER lost its worker
# and is failed (its transaction rolled back: nothing imported) with a "Try again" button.
CONSENT_IMPORT_HEARTBEAT_SECONDS = env.float("CONSENT_IMPORT_HEARTBEAT_SECONDS", default=15.0)
CONSENT_IMPORT_LOST_AFTER_SECONDS = env.int("CONSENT_IMPORT_LOST_AFTER_SECONDS", default=180)
# Where the nightly digest of overdue and due-soon requests goes; empty: no email.
DPO_DIGEST_EMAIL = env.str("DPO_DIGEST_EMAIL", default="")

# Security. Production defaults are strict; the embedded run (DEBUG) relaxes what needs HTTPS.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)  # idle staff are logged out
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads: a recording file (privacy/uploads.py checks its type by content), and any request body at all
# (refused with 413 before it is read; above the consent CSV limit, CONSENT_IMPORT_MAX_BYTES).
RECORDING_MAX_UPLOAD_BYTES = env.int("RECORDING_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
# Consent CSV imports: the largest file accepted, and the row count above which a Celery worker checks
# and imports the file (below it, the admin does it in the request).
CONSENT_IMPORT_MAX_BYTES = env.int("CONSENT_IMPORT_MAX_BYTES", default=256 * 1024 * 1024)
CONSENT_IMPORT_ASYNC_ROWS = env.int("CONSENT_IMPORT_ASYNC_ROWS", default=10_000)
# Without a broker (CELERY_TASK_ALWAYS_EAGER) in development, such a file runs on a background thread of
# the web process, so the page shows its progress instead of hanging (consents/tasks.py).
CONSENT_IMPORT_IN_THREAD = env.bool("CONSENT_IMPORT_IN_THREAD", default=DEBUG)
if CONSENT_IMPORT_IN_THREAD and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has one writer, which such an import holds until it ends: a session saved to the database
    # at every request would fail ("database is locked") while the page polls, so it goes in a signed
    # cookie; and in WAL mode the page's reads never wait for the import's writes.
    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=300 * 1024 * 1024)

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures a username, and separately an address,
# is locked for the cool-off time. The address comes from django-axes' own proxy settings (django-ipware):
# with no proxy (TRUSTED_PROXY_COUNT=0) it is REMOTE_ADDR and X-Forwarded-For is not read; behind N
# reverse proxies, each appending the address it received the request from, it is the N-th entry of
# X-Forwarded-For from the right, and whatever the client wrote to the left of it is ignored.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more (see README.md).")


def axes_proxy_settings(trusted_proxies: int) -> dict:
    """django-axes' (django-ipware's) settings for `trusted_proxies` reverse proxies in front."""
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (
            ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if trusted_proxies else ("REMOTE_ADDR",)
        ),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # django-ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR.
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1 if trusted_proxies else None,
        # Extra (forged) entries left of the proxies' own are ignored rather than the whole header
        # dropped, which would count every client behind the proxy as the proxy (one forger, all out).
        "IPWARE_STRICT": False,
    }


_proxies = axes_proxy_settings(TRUSTED_PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _proxies["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_ORDER = _proxies["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_PROXY_COUNT = _proxies["AXES_IPWARE_PROXY_COUNT"]
IPWARE_STRICT = _proxies["IPWARE_STRICT"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A safety net (privacy/log_redaction.py): query-string values, quoted values of error messages,
    # exception messages in tracebacks, Celery task arguments and results, and anything that looks like
    # a personal code, email, phone or IBAN (URL-encoded too) never reach a handler's output.
    "filters": {
        "personal_data": {"()": "privacy.security.PersonalDataLogFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
        # Django's 500 e-mail to ADMINS (if set), without parameter values or exception messages.
        "mail_admins": {
            "level": "ERROR",
            "class": "privacy.security.PersonalDataAdminEmailHandler",
            "filters": ["require_debug_false", "personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # runserver's request lines carry query strings (admin searches by personal code): filtered too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Replaces Django's default handlers of "django" (an unfiltered console and the stock e-mail).
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
    },
}

# History is evidence: nobody reverts it from the admin (an erased customer must never come back).
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Retention (§31–34): the nightly sweeps in retention/. The schedule itself (02:00 Europe/Riga, one
# periodic task per rule) lives in the database, editable in the admin; see README "Celery".
# Rows per chunk; each chunk is one transaction, halved automatically when it takes longer than the budget.
RETENTION_CHUNK_SIZE = env.int("RETENTION_CHUNK_SIZE", default=20000)
# Customers examined per chunk by the customer rules (each erasure is several statements).
RETENTION_CUSTOMER_CHUNK_SIZE = env.int("RETENTION_CUSTOMER_CHUNK_SIZE", default=200)
RETENTION_TRANSACTION_BUDGET_SECONDS = env.float("RETENTION_TRANSACTION_BUDGET_SECONDS", default=1.0)
# Pause between chunks, to leave the database room during office hours; 0 at night.
RETENTION_CHUNK_PAUSE_SECONDS = env.float("RETENTION_CHUNK_PAUSE_SECONDS", default=0.0)
# TTL of the per-rule Redis lock, extended between chunks; a killed worker blocks its rule this long.
RETENTION_LOCK_TIMEOUT = env.int("RETENTION_LOCK_TIMEOUT", default=120)
# A sweep stops cleanly between chunks after this long (below CELERY_TASK_SOFT_TIME_LIMIT); the next
# night continues where it stopped.
RETENTION_MAX_SWEEP_SECONDS = env.int(
    "RETENTION_MAX_SWEEP_SECONDS", default=CELERY_TASK_SOFT_TIME_LIMIT - 600
)
# §32: the back-office holds special categories and call recordings, so it is a heightened-security
# system and all its audit records (history, access and security logs) are kept 18 months, not 12. A
# system-level choice: set false only for a deployment that holds neither; then only the models below
# and the catalogue's high-security ones get 18 months.
RETENTION_HEIGHTENED_SECURITY_SYSTEM = env.bool("RETENTION_HEIGHTENED_SECURITY_SYSTEM", default=True)
# §32: audit records kept 18 months instead of 12, besides the catalogue's high-security models and
# those holding special-category, call-recording or access data: the file-access log and staff accounts.
RETENTION_HIGH_SECURITY_MODELS = env.list(
    "RETENTION_HIGH_SECURITY_MODELS", default=["privacy.AccessLog", "privacy.User"]
)
# Celery 5.x: on a lost broker connection, cancel running late-ack tasks (they are redelivered) rather
# than let a second copy start beside them; the retention lock would make that harmless, this avoids it.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
