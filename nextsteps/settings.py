"""Settings for Next Steps case management.

Every value comes from the environment (or an optional `.env` file beside manage.py), so that
production differs from a laptop by environment values only. See README.md, "Configuration".
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

# Published development values. They let `make run` work with nothing configured; with
# DEBUG off the app refuses to start while either is still in use.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105
DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktbmV2ZXItdXNlLTA="
DEVELOPMENT_BLIND_INDEX_KEY = "development-only-blind-index-key-never-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
# Two-factor login (accounts.two_factor). Off only for a local demo; production cannot turn it off.
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Newest key first: values are encrypted with the first key and decrypted with any of them.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[DEVELOPMENT_ENCRYPTION_KEY])
# The key of the blind index (cases.identity_index): keyed digests of normalised identities, to
# find duplicates and search identities without decrypting. Kept apart from the encryption keys:
# rotating those leaves the digests as they are; changing this one needs `rebuild_blind_index`.
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default=DEVELOPMENT_BLIND_INDEX_KEY)
BLIND_INDEX_KEY_MINIMUM_LENGTH = 32


def _refuse_insecure_production_values():
    if DEBUG:
        return
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value (DEBUG is off).")
    if not FIELD_ENCRYPTION_KEYS or DEVELOPMENT_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "Set FIELD_ENCRYPTION_KEYS to your own Fernet key(s), newest first (DEBUG is off)."
        )
    if len(BLIND_INDEX_KEY) < BLIND_INDEX_KEY_MINIMUM_LENGTH or (
        BLIND_INDEX_KEY == DEVELOPMENT_BLIND_INDEX_KEY
    ):
        raise ImproperlyConfigured(
            "Set BLIND_INDEX_KEY to your own random value of at least "
            f"{BLIND_INDEX_KEY_MINIMUM_LENGTH} characters (DEBUG is off)."
        )
    if not REQUIRE_TWO_FACTOR:
        raise ImproperlyConfigured(
            "Set REQUIRE_TWO_FACTOR to true: two-factor login cannot be off when DEBUG is off."
        )


_refuse_insecure_production_values()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "django_otp",
    # Their tables are empty and unused (the devices are accounts.AuthenticatorDevice and
    # BackupCodeDevice, secrets encrypted); kept for their migrations, which
    # accounts.0009 reads to move the devices of an older database.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
    "nextsteps",
    "accounts",
    "cases",
    "pillars",
    "reports",
    "notifications",
    "documents",
    "exports",
    "imports",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every response the app itself makes (static files excepted): never cached, no features.
    "nextsteps.middleware.PrivacyHeadersMiddleware",
    # Before anything reads the database: keys that do not decrypt the stored data (checked at
    # start, nextsteps.wsgi) leave only /health/ answering.
    "nextsteps.middleware.WrongKeysMiddleware",
    "nextsteps.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nextsteps.csrf.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "nextsteps.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the header middleware, so that its 400 carries the same headers as any page.
    "nextsteps.middleware.RejectNullCharactersMiddleware",
    # After the timeouts (a session that timed out is not asked for a code first) and inside
    # the header middleware (its redirects carry the same headers as any page).
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "nextsteps.middleware.OrganisationContextMiddleware",
    # Innermost but axes: a dropped database connection in a view answers 503 (or a read is
    # tried once more) instead of the 500 page.
    "nextsteps.middleware.DatabaseUnavailableMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nextsteps.urls"
WSGI_APPLICATION = "nextsteps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nextsteps.context_processors.membership",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A PostgreSQL read replica for the report pages (nextsteps.db_routers); the primary serves the
# rest. In tests the replica alias mirrors the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["nextsteps.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Accounts, passwords, login throttling, sessions
# ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
# A lockout is per (user, address) pair: an attacker guessing from one address cannot lock the
# real user out from her own.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field is "username" (it holds the e-mail address); without this, axes looks
# for "email", finds nothing and counts every attempt from an address as one anonymous user.
AXES_USERNAME_FORM_FIELD = "username"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The address axes counts is the one the audit log records: REMOTE_ADDR, never a header the
# client can set (an attacker would send a new X-Forwarded-For with every guess).
AXES_CLIENT_IP_CALLABLE = "nextsteps.middleware.client_ip"
# Axes stores a keyed hash of the typed, lower-cased address instead of the text: attempts are
# still counted per account (in any letter case), and a password typed into the address field is
# never stored. Logs mask both (AXES_SENSITIVE_PARAMETERS).
AXES_USERNAME_CALLABLE = "accounts.throttling.login_attempt_key"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# The audit log already records every login; no second copy with typed names in axes' tables.
AXES_DISABLE_ACCESS_LOG = True
# Beside axes' count per (account, address): failed logins per account in 24 hours from any
# number of addresses. Reaching it pauses the account's logins and e-mails the data protection
# officers (accounts.throttling).
LOGIN_DAILY_FAILURE_LIMIT = env.int("LOGIN_DAILY_FAILURE_LIMIT", default=50)

# Second factor: TOTP (authenticator app) and single-use backup codes (accounts.two_factor).
OTP_TOTP_ISSUER = "Next Steps"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_BACKUP_CODES = 10
# Between the password and the code: a half-logged-in session ends after this.
TWO_FACTOR_PENDING_TIMEOUT = timedelta(minutes=10)

SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Over HTTPS the cookies carry the __Host- prefix: browsers then accept them only from this
# exact host, over HTTPS, for the whole site, so a sibling subdomain cannot plant or read them.
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# ---------------------------------------------------------------------------------------------
# Internationalisation: times are stored in UTC and shown in the organisation's time zone
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ro", _("Romanian")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nextsteps.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
ORGANISATION_TIME_ZONES = ["Europe/Bucharest", "Europe/Amsterdam"]

# ---------------------------------------------------------------------------------------------
# Static files: our own under static/, Bootstrap from the bootstrap-wrapper wheel, both served
# by WhiteNoise (no CDN).
# ---------------------------------------------------------------------------------------------
BOOTSTRAP_DIST_DIR = Path(find_spec("bootstrap").submodule_search_locations[0])
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", BOOTSTRAP_DIST_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # People's documents, encrypted (documents.encrypted_files); any Django storage backend.
    # Never under STATIC_ROOT or a served folder: they are only ever streamed by the app.
    "documents": {
        "BACKEND": env.str(
            "DOCUMENTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private-documents")},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------------------------------------
# Caches. Nothing a request needs lives only in one process: sessions are in the database, and
# the cache holds figures that any process can recompute (keyed on the data version,
# pillars.data_version). Each process keeps its own by default; CACHE_URL=redis://host:6379/1
# shares one between app servers.
# ---------------------------------------------------------------------------------------------
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nextsteps"}
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A figure stays cached until a write changes the data version, or this long at most.
FIGURE_CACHE_SECONDS = env.int("FIGURE_CACHE_SECONDS", default=24 * 3600)

# ---------------------------------------------------------------------------------------------
# Background jobs (exports too large for a request). Django's tasks API (django-tasks, the
# backport of Django 6's django.tasks): by default a job runs at once, in the process that asks
# for it (`make run`, tests: nothing to install); TASKS_BACKEND=rq puts it on RQ in the Redis at
# REDIS_URL, where `python manage.py rqworker --job-class django_tasks_rq.Job default` runs it.
# ---------------------------------------------------------------------------------------------
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
TASK_BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND is one of {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": TASK_BACKENDS[TASKS_BACKEND]}
# A job may run for an hour at most (a national export takes seconds).
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# No queue pages in the admin site (they would add views, some behind an API token).
RQ_SHOW_ADMIN_LINK = False
# An export of more rows than this is built by a background job (progress on its page); smaller
# ones are answered at once. Its file waits, encrypted, this many hours for its requester.
EXPORT_JOB_THRESHOLD = env.int("EXPORT_JOB_THRESHOLD", default=2000)
EXPORT_LINK_HOURS = env.int("EXPORT_LINK_HOURS", default=24)

# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------
# A result at or above this share of its target (in percent) is "close"; at 100 % it is "met".
REPORT_CLOSE_TO_TARGET_PERCENT = env.int("REPORT_CLOSE_TO_TARGET_PERCENT", default=85)
# Partnership-wide views of people (caseload, referrals, each organisation's share of a head
# count) show counts below SMALL_COUNT_THRESHOLD as "<5", so that no one can be singled out.
SMALL_COUNT_SUPPRESSION = env.bool("SMALL_COUNT_SUPPRESSION", default=True)
SMALL_COUNT_THRESHOLD = env.int("SMALL_COUNT_THRESHOLD", default=5)

# Documents: the largest file accepted, in megabytes. Uploads above Django's in-memory limit
# (2.5 MB) go to a temporary file, so a large scan is never held in memory whole.
DOCUMENT_MAX_MEGABYTES = env.int("DOCUMENT_MAX_MEGABYTES", default=20)

# ---------------------------------------------------------------------------------------------
# E-mail (notifications only; they never carry personal data)
# ---------------------------------------------------------------------------------------------
# EMAIL_URL in django-environ's form, e.g. smtp+tls://user:password@mail.example.org:587; in
# development the messages are printed.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Next Steps <no-reply@localhost>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT_SECONDS", default=10)
# The address of the app that links in e-mails point to.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------------------------
# Security headers
# ---------------------------------------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402  (kept beside the policy that uses it)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}
# Browser features no page of the app uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "browsing-topics": "()",
    "camera": "()",
    "display-capture": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer or monitor on the machine asks for /health/ over plain HTTP; it carries no data.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of the reverse proxies in front of the app: only a request from one of them has its
# X-Forwarded-For read, for the client's address (nextsteps.middleware.client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Django's W003 looks for CsrfViewMiddleware by name; nextsteps.csrf's subclass is in its place,
# and nextsteps.checks fails the deploy check when no CSRF middleware is.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

# ---------------------------------------------------------------------------------------------
# Data protection: audit-log review and records of processing
# ---------------------------------------------------------------------------------------------
# Unusual access: a user who opened this many different records within this many minutes.
UNUSUAL_ACCESS_RECORDS = env.int("UNUSUAL_ACCESS_RECORDS", default=30)
UNUSUAL_ACCESS_WINDOW = timedelta(minutes=env.int("UNUSUAL_ACCESS_WINDOW_MINUTES", default=15))
# Working hours in the organisation's time zone: [start, end) hours and ISO weekdays (1 = Monday).
WORKING_HOURS = (
    env.int("WORKING_HOURS_START", default=7),
    env.int("WORKING_HOURS_END", default=20),
)
WORKING_DAYS = env.list("WORKING_DAYS", cast=int, default=[1, 2, 3, 4, 5])
# Years a closed record is kept before it is anonymised (records of processing, retention list).
RECORD_RETENTION_YEARS = env.int("RECORD_RETENTION_YEARS", default=5)

# ---------------------------------------------------------------------------------------------
# Logging: codes only, never a person's identity (see nextsteps/logging.py)
# ---------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "nextsteps.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own configuration would add a console handler of its own and, with ADMINS
        # set, e-mail every error with the request's data; everything goes to the root handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # SQL with its parameters (an alias, a search term) and template lookups that print
        # their context never reach a log, whatever LOG_LEVEL says.
        "django.db.backends": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.template": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
