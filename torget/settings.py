"""Torget settings: one module, configured from the environment (12-factor).

Profiles (``TORGET_ENV``):
- ``production`` (the default): DEBUG off, every secret required, HTTPS-only cookies.
- ``dev``: what ``make run`` uses; DEBUG on, a secret key generated once under ``var/``.
- ``test``: what the test suite uses; fast password hashing, mail kept in memory.
"""

import email.utils
import ipaddress
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("TORGET_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
TORGET_ENV = env.str("TORGET_ENV", default="production")
if TORGET_ENV not in {"production", "dev", "test"}:
    raise ImproperlyConfigured(f"TORGET_ENV must be production, dev or test, not {TORGET_ENV!r}")
IS_PRODUCTION = TORGET_ENV == "production"


def get_mandatory_secret(name: str) -> str:
    """A secret that production cannot start without (Zulip's pattern)."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment when TORGET_ENV=production. "
            f"Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return value


def _development_secret_key() -> str:
    """Generated on first start and kept under var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# --- Core -----------------------------------------------------------------------------------

if IS_PRODUCTION:
    SECRET_KEY = get_mandatory_secret("SECRET_KEY")
elif TORGET_ENV == "test":
    SECRET_KEY = env.str("SECRET_KEY", default="test-secret-key-not-for-production-" + "x" * 20)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()

DEBUG = env.bool("DEBUG", default=TORGET_ENV == "dev")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when TORGET_ENV=production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if IS_PRODUCTION and not CSRF_TRUSTED_ORIGINS:
    raise ImproperlyConfigured(
        "CSRF_TRUSTED_ORIGINS must be set when TORGET_ENV=production: the site's own address, "
        "e.g. https://torget.kommun.se"
    )
# The address used in links in e-mail and SMS (no request to read it from in the worker).
SITE_URL = env.str("SITE_URL", default="" if IS_PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if IS_PRODUCTION and not SITE_URL.startswith("https://"):
    # It goes into every link in e-mail and SMS: a local or plain-http address would send
    # citizens nowhere, or over an unencrypted connection.
    raise ImproperlyConfigured(
        "SITE_URL must be set to the site's public https:// address when TORGET_ENV=production, "
        f"e.g. https://torget.kommun.se (it is {SITE_URL or 'unset'!s})"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rules",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    # Log-in protection: lock-out after failed log-ins, and one-time codes for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Torget: the toolbox and foundations first, domain apps after, the site shell and demo last.
    # Which app may import which is stated by the contracts in pyproject.toml (`make lint`).
    "torget.core",
    "torget.audit",
    "torget.accounts",
    "torget.organisation",
    "torget.geo",
    "torget.notifications",
    "torget.identity",
    "torget.proposals",
    "torget.feedback",
    "torget.dialogues",
    "torget.meetings",
    "torget.results",
    "torget.evaluation",
    "torget.councils",
    "torget.safety",
    "torget.inspections",
    "torget.surveys",
    "torget.consultations",
    "torget.forum",
    "torget.mapinput",
    "torget.budget",
    "torget.api",
    "torget.insight",
    "torget.privacy",
    "torget.retention",
    # Last of the domain apps: its demo loader builds the exports of everything before it.
    "torget.opendata",
    "torget.site",
    "torget.operations",
    "torget.demo",
]

MIDDLEWARE = [
    # First: every log line of the request, the other middleware's too, carries its id.
    "torget.core.middleware.RequestIdMiddleware",
    "torget.operations.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "torget.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware: other sites may read the API (its settings below).
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "torget.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session that passed the one-time code (request.user.is_verified()); the next
    # one ends idle or old staff sessions and sends staff without that step to it.
    "django_otp.middleware.OTPMiddleware",
    "torget.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "torget.core.middleware.RefuseControlCharactersMiddleware",
    # An upload the media disk refused (full, read-only): a clear 503 page, not a 500.
    "torget.core.storage.MediaUnavailableMiddleware",
    "torget.identity.middleware.FreshVerificationCookieMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out log-in with our own page.
    "axes.middleware.AxesMiddleware",
]

# Django's cookie-then-session storage, remembering the cookie's encoding of a confirmation.
MESSAGE_STORAGE = "torget.core.messages.FallbackStorage"

ROOT_URLCONF = "torget.urls"
WSGI_APPLICATION = "torget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "torget" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "torget.site.context_processors.site",
            ],
        },
    },
]
if TORGET_ENV == "test":
    # Message templates that exist only for the test suite (torget/testing/templates).
    TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "torget" / "testing" / "templates"]  # type: ignore[misc]
FORM_RENDERER = "torget.core.forms.AccessibleFormRenderer"

# --- Database ---------------------------------------------------------------------------------

if IS_PRODUCTION and not env.str("DATABASE_URL", default=""):
    # No quiet SQLite file inside the checkout in production: an explicit sqlite:/// URL is
    # allowed (a small trial), but it must be asked for.
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when TORGET_ENV=production, "
        "e.g. postgres://torget:password@127.0.0.1:5432/torget"
    )
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'torget.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the
    # write lock up front, so two writers queue on busy_timeout instead of failing mid-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django's own queries bind on the client and are never prepared; the few hot statements
    # that ask to be (the support's INSERT) are, unless switched off for a pooler that can't
    # keep prepared statements (PgBouncer in transaction mode before 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
    # A pooler in transaction mode (PgBouncer) may hand the next fetch of a server-side cursor
    # (QuerySet.iterator()) to another server connection, where the cursor doesn't exist.
    if not env.bool("DATABASE_SERVER_SIDE_CURSORS", default=True):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://torget")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, keeping its Redis clients instead of making one per operation.
    CACHES["default"]["BACKEND"] = "torget.core.cache.RedisCache"
    # A Redis that is out of reach (not just stopped) must not hold a request for the
    # operating system's connect timeout: a second, and the cache is skipped (core.cache).
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out log-in before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:my_pages"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TORGET_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# How long an e-mail verification link is valid.
ACCOUNT_VERIFICATION_MAX_AGE = env.int("ACCOUNT_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
# Sign-up protection: attempts per client address per hour, and the least time (seconds) a
# human needs to fill in the form. No third-party CAPTCHA: it would send citizens' data abroad.
ACCOUNT_SIGNUP_RATE_PER_HOUR = env.int("ACCOUNT_SIGNUP_RATE_PER_HOUR", default=5)
ACCOUNT_LOGIN_FAILURES_PER_HOUR = env.int("ACCOUNT_LOGIN_FAILURES_PER_HOUR", default=10)
ACCOUNT_SIGNUP_MIN_SECONDS = env.int("ACCOUNT_SIGNUP_MIN_SECONDS", default=3)
# Which request header holds the client address behind a trusted proxy (e.g. X-Forwarded-For).
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
# How many proxies in front of Torget append to that header; the client is the entry this many
# places from the right (the leftmost is whatever the client sent, so never trusted).
CLIENT_IP_TRUSTED_PROXIES = env.int("CLIENT_IP_TRUSTED_PROXIES", default=1)
if CLIENT_IP_TRUSTED_PROXIES < 1:
    raise ImproperlyConfigured("CLIENT_IP_TRUSTED_PROXIES must be 1 or more.")

# --- Log-in protection (django-axes, django-otp) -------------------------------------------------

# Failed log-ins with one account from one address before that pair is locked out, for this
# many minutes. A whole address is locked out after LOGIN_IP_FAILURE_LIMIT failures, whatever
# the accounts (higher: a library's or a school's computers share one address).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=50)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
# The order matters to torget.accounts.lockout.LockoutHandler: the address first, the pair second.
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_HANDLER = "torget.accounts.lockout.LockoutHandler"
# Read from LOGIN_* when asked (not copied here), so each has one name.
AXES_FAILURE_LIMIT = "torget.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "torget.accounts.lockout.cool_off"
# Tries during a lock-out do not lengthen it, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address as rate limits read it (CLIENT_IP_HEADER, CLIENT_IP_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "torget.core.ratelimit.client_ip"
AXES_USERNAME_CALLABLE = "torget.accounts.lockout.username"
AXES_LOCKOUT_CALLABLE = "torget.accounts.lockout.lockout_response"
# Only failures are logged (the audit log has the rest), without the passwords typed.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "old_password", "token"]
AXES_VERBOSE = False
# Two-factor authentication (a one-time code from an app, TOTP) for every staff role. On in
# production; off in dev (the demo's staff log-ins must work without a phone) and in the test
# profile (its own tests switch it on), unless set.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=IS_PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Torget")
# Staff sessions end after this many minutes without a request, and this many hours after the
# log-in whatever happens; citizens keep Django's session length (SESSION_COOKIE_AGE).
# 0 switches a limit off, as the test profile does by default (its own tests set them).
STAFF_SESSION_IDLE_MINUTES = env.int(
    "STAFF_SESSION_IDLE_MINUTES", default=0 if TORGET_ENV == "test" else 30
)
STAFF_SESSION_MAX_HOURS = env.int(
    "STAFF_SESSION_MAX_HOURS", default=0 if TORGET_ENV == "test" else 10
)
# Changing one's password, or an account's e-mail address or roles in the administration, asks
# for the password again (and the one-time code, for staff) unless given this recently.
# The test profile allows a day, so that a slow suite's log-ins do not go stale mid-run (its
# own tests set five minutes).
REAUTH_SECONDS = env.int("REAUTH_SECONDS", default=86400 if TORGET_ENV == "test" else 300)

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "torget" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "torget_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and media files ---------------------------------------------------------------------


def _data_folder(name: str, default: Path) -> Path:
    """STATIC_ROOT and MEDIA_ROOT. In production each must be set, to a folder outside the
    checkout (an upgrade replaces the checkout; uploads and collected files must survive it)."""
    value = env.str(name, default="")
    if not IS_PRODUCTION:
        return Path(value) if value else default
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when TORGET_ENV=production, to a folder outside the "
            f"installation, e.g. /var/lib/torget/{name.removesuffix('_ROOT').lower()}"
        )
    path = Path(value).resolve()
    if path == BASE_DIR or BASE_DIR in path.parents:
        raise ImproperlyConfigured(
            f"{name} ({path}) is inside the installation ({BASE_DIR}); "
            f"when TORGET_ENV=production it must be outside it, e.g. /var/lib/torget/"
            f"{name.removesuffix('_ROOT').lower()}"
        )
    return path


STATIC_URL = "/static/"
STATIC_ROOT = _data_folder("STATIC_ROOT", VAR_DIR / "static")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = _data_folder("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE", default="torget.core.storage.MediaStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def _octal(name: str, default: str) -> int:
    value = env.str(name, default=default)
    try:
        return int(value, 8)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be octal, e.g. {default}, not {value!r}") from None


# Files Torget writes must be readable by the web server (nginx sends uploads); the folder
# above MEDIA_ROOT keeps other users out (the README's *Media storage*). 0o640/0o750 with a
# group nginx is in works too.
FILE_UPLOAD_PERMISSIONS = _octal("FILE_UPLOAD_PERMISSIONS", "0o644")
FILE_UPLOAD_DIRECTORY_PERMISSIONS = _octal("FILE_UPLOAD_DIRECTORY_PERMISSIONS", "0o755")
# Outside production WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

# --- E-mail -------------------------------------------------------------------------------------

if TORGET_ENV == "test":
    _email_default = "memorymail://"
elif TORGET_ENV == "dev":
    _email_default = "consolemail://"
else:
    _email_default = ""
_email_url = env.str("EMAIL_URL", default=_email_default)
if not _email_url:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when TORGET_ENV=production, e.g. smtp+tls://user:password@smtp.example.se:587"
    )
vars().update(env.email_url_config(_email_url))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Torget <noreply@torget.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work and notifications ----------------------------------------------------------

# The Tasks framework (django-tasks now, django.tasks in Django 6). The default backend keeps
# tasks in the database, so nothing queued is lost in a restart; for large installations
# TASKS_BACKEND=django_tasks_rq.RQBackend with RQ_URL=redis://… moves them to Redis.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("RQ_URL", default="redis://127.0.0.1:6379/0")}}

# Retries with exponential back-off: base, 2×base, 4×base … up to the cap; dead after N tries.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=6 * 3600)
# How long a worker may hold a claimed message before another may retry it.
NOTIFICATIONS_CLAIM_SECONDS = env.int("NOTIFICATIONS_CLAIM_SECONDS", default=300)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
NOTIFICATIONS_PARALLEL_BATCHES = env.int("NOTIFICATIONS_PARALLEL_BATCHES", default=4)
NOTIFICATIONS_TICK_SECONDS = env.int("NOTIFICATIONS_TICK_SECONDS", default=30)
# Delivery records (who was sent what, when) are removed after this many days.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=90)
# Finished background-task results (the database queue's record of each run, some 3,000 a
# day) are removed nightly after this many days.
TASKS_RESULTS_RETENTION_DAYS = env.int("TASKS_RESULTS_RETENTION_DAYS", default=14)
# Weekly digests go out on this weekday (0 = Monday) at this hour, local time.
NOTIFICATIONS_DIGEST_WEEKDAY = env.int("NOTIFICATIONS_DIGEST_WEEKDAY", default=0)
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
# Daily digests go out every day at this hour, local time.
NOTIFICATIONS_DAILY_DIGEST_HOUR = env.int("NOTIFICATIONS_DAILY_DIGEST_HOUR", default=7)

# SMS gateway (see torget/notifications/sms.py): 46elks://USER:PASSWORD@api.46elks.com in
# production; empty switches SMS off.
SMS_URL = env.str("SMS_URL", default={"dev": "console://", "test": "memory://"}.get(TORGET_ENV, ""))
SMS_SENDER = env.str("SMS_SENDER", default="Torget")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10)
# What one SMS costs, in kronor: SMS surveys show their cost before they are sent.
SMS_PRICE_SEK = env.float("SMS_PRICE_SEK", default=0.52)
# Replies to SMS surveys: the gateway posts them to /sms/inkommande/<ELKS_INBOUND_SECRET>/
# (set that address as the number's sms_url at 46elks); empty switches the webhook off.
# ELKS_INBOUND_IPS, when set, also limits it to these sender addresses (the gateway's
# published ones), read through the same proxy settings as rate limits (CLIENT_IP_*).
ELKS_INBOUND_SECRET = env.str("ELKS_INBOUND_SECRET", default="")
ELKS_INBOUND_IPS = env.list("ELKS_INBOUND_IPS", default=[])
# Those who have not answered an SMS survey's question get one reminder after this long.
SMS_SURVEY_REMINDER_HOURS = env.int("SMS_SURVEY_REMINDER_HOURS", default=24)

# --- Security -----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Another site that opens Torget in a window gets no handle on it (Django's default, said here).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is a decision about the municipality's whole domain and hard to undo (anyone
    # may submit a domain whose header says "preload"), so it is off unless asked for.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Maps ---------------------------------------------------------------------------------------

# Tile server for the maps; empty means maps draw the areas on a blank background (no request
# leaves the site). Set e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png in production.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="&copy; OpenStreetMap-bidragsgivare")

# --- Content-Security-Policy (django-csp) ----------------------------------------------------

# Every page says where its scripts, styles, images and forms may come from: only this site.
# No inline script or style attribute is allowed (no 'unsafe-inline', no 'unsafe-eval'); a
# script that must be inline carries the request's nonce ({{ request.csp_nonce }}). Leaflet
# positions the map through element.style, which a style-src does not govern. Map tiles come
# from MAP_TILE_URL's origin when it is set ({s} in its host stands for any subdomain).
# CSP_REPORT_URI, when set, is where browsers report what the policy refused (kept out of
# the settings under that name: django-csp 4 takes any CSP_* setting for its old format).
_csp_report_uri = env.str("CSP_REPORT_URI", default="")


def _tile_origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


_MAP_TILE_ORIGIN = _tile_origin(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    },
}
# What the pages may ask the browser for: nothing of the camera, microphone, position, payment
# or the like, for Torget itself or any frame in it (no page uses them; the fault report's
# place comes from the map and the photo, never the device's position).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# --- Logging ------------------------------------------------------------------------------------

# Console always (systemd's journal keeps it); LOG_FILE adds a file; errors (500s) go by mail
# to ADMINS ("Name <address>, Name <address>") when set.
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING" if TORGET_ENV == "test" else "INFO")
LOG_FILE = env.str("LOG_FILE", default="")
ADMINS = [
    (name.strip(), address.strip())
    for name, address in (
        email.utils.parseaddr(entry) for entry in env.list("ADMINS", default=[]) if entry.strip()
    )
]
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured(
        'ADMINS must be e-mail addresses, "Name <address>" separated by commas.'
    )
# One line per record, with the request's id: plain text to read in a terminal, or JSON (one
# object a line) for a log collector. JSON is the default in production.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
_log_handlers = ["console"] + (["file"] if LOG_FILE else [])
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "torget.core.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s",
        },
        "json": {"()": "torget.core.logs.JsonFormatter"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "request_id": {"()": "torget.core.logs.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": _log_handlers, "level": LOG_LEVEL},
    "loggers": {
        # Server errors (500s) also go by mail to ADMINS (and on to the root's handlers);
        # without ADMINS nothing is sent.
        "django.request": {"handlers": ["mail_admins"]},
        "django.server": {"level": "WARNING" if TORGET_ENV == "test" else "INFO"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd, the test SMTP server
        # One line per task run is noise in a terminal; failures are still logged.
        "django_tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
    },
}
if LOG_FILE:
    # WatchedFileHandler reopens the file after logrotate moves it.
    LOGGING["handlers"]["file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": LOG_FILE,
        "formatter": LOG_FORMAT,
        "filters": ["request_id"],
    }

# --- Health and metrics (torget.operations: /healthz, /metrics) ---------------------------------

# /healthz answers 503 when no worker has reported in this long (the worker beats every 15 s) …
HEALTHZ_WORKER_STALE_SECONDS = env.int("HEALTHZ_WORKER_STALE_SECONDS", default=120)
# … or when a task or a message has waited longer than this to be run or sent.
HEALTHZ_QUEUE_MAX_AGE_SECONDS = env.int("HEALTHZ_QUEUE_MAX_AGE_SECONDS", default=900)
# /metrics answers only these addresses or networks (read as for rate limits, through
# CLIENT_IP_HEADER) or a request with `Authorization: Bearer <METRICS_TOKEN>`; others get 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {error}") from None

# --- Identity (e-ID) --------------------------------------------------------------------------

# Personal identity numbers are stored only as HMAC-SHA256 with this key. Set it once and keep
# it: a new key makes every stored hash unrecognisable (supports stay, duplicates go unseen).
IDENTITY_HASH_KEY = env.str("IDENTITY_HASH_KEY", default="") or f"torget-identity:{SECRET_KEY}"
# An e-ID step counts for this long (BankID: no "ID-växling", each support its own step).
IDENTITY_FRESH_SECONDS = env.int("IDENTITY_FRESH_SECONDS", default=600)
# e-ID through an OpenID Connect broker (BankID, Freja eID+, eIDAS): on when OIDC_ISSUER is set.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid profile")
# Brokers differ in where they put the personnummer: ssn, nin, personalIdentityNumber, …
OIDC_PIN_CLAIM = env.str("OIDC_PIN_CLAIM", default="ssn")
OIDC_LABEL = env.str("OIDC_LABEL", default="BankID, Freja eID+ eller annan e-legitimation")
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10)
IDENTITY_METHODS = env.list(
    "IDENTITY_METHODS",
    default=["torget.identity.methods.oidc.OIDCMethod"]
    + (["torget.identity.methods.demo.DemoMethod"] if TORGET_ENV in {"dev", "test"} else []),
)

# --- Geography and population ----------------------------------------------------------------

# A group (an age band, an area) counts as under-reached by a survey or consultation when its
# share of the respondents is below this fraction of its share of the population.
REPRESENTATIVENESS_UNDER_REACHED_RATIO = env.float(
    "REPRESENTATIVENESS_UNDER_REACHED_RATIO", default=0.5
)

# --- Medborgarförslag ------------------------------------------------------------------------

# Abuse limits (per hour): new proposals per account and per IP, supports per IP.
PROPOSALS_SUBMIT_RATE_PER_USER = env.int("PROPOSALS_SUBMIT_RATE_PER_USER", default=5)
PROPOSALS_SUBMIT_RATE_PER_IP = env.int("PROPOSALS_SUBMIT_RATE_PER_IP", default=20)
# Synpunkter och felanmälan sent from one address per hour (no account needed to send one).
FEEDBACK_SUBMIT_RATE_PER_IP = env.int("FEEDBACK_SUBMIT_RATE_PER_IP", default=30)
# Requests for a citizen dialogue (/dialoger/foresla/) from one address per hour.
DIALOGUE_REQUEST_RATE_PER_IP = env.int("DIALOGUE_REQUEST_RATE_PER_IP", default=10)
# Registrations and questions to dialogue meetings from one address per hour.
MEETINGS_POST_RATE_PER_IP = env.int("MEETINGS_POST_RATE_PER_IP", default=30)
# Follows without an account, per hour: from one address, and mails to one e-mail address
# (each sends a confirmation, so the form must not become a way to flood someone's inbox).
FOLLOW_RATE_PER_IP = env.int("FOLLOW_RATE_PER_IP", default=20)
FOLLOW_RATE_PER_EMAIL = env.int("FOLLOW_RATE_PER_EMAIL", default=5)
# A phone number given for SMS without signing in gets a code to type back: it is valid this
# many minutes, for this many wrong tries; one number gets at most this many codes an hour,
# and one connection may ask for this many an hour (each costs an SMS).
PHONE_CODE_MINUTES = env.int("PHONE_CODE_MINUTES", default=15)
PHONE_CODE_MAX_ATTEMPTS = env.int("PHONE_CODE_MAX_ATTEMPTS", default=5)
PHONE_CODES_PER_NUMBER = env.int("PHONE_CODES_PER_NUMBER", default=3)
PHONE_CODE_RATE_PER_IP = env.int("PHONE_CODE_RATE_PER_IP", default=10)
# Open311 POST requests per API key and minute.
OPEN311_POSTS_PER_MINUTE = env.int("OPEN311_POSTS_PER_MINUTE", default=600)
PROPOSALS_SUPPORT_RATE_PER_USER = env.int("PROPOSALS_SUPPORT_RATE_PER_USER", default=60)
PROPOSALS_SUPPORT_RATE_PER_IP = env.int("PROPOSALS_SUPPORT_RATE_PER_IP", default=600)
# Points and comments on a dialogue's map (interaktiv karta) per hour: per account and per
# connection (the address is counted by a keyed hash, never stored in clear).
MAP_POINTS_PER_HOUR = env.int("MAP_POINTS_PER_HOUR", default=20)
MAP_POINTS_PER_IP_PER_HOUR = env.int("MAP_POINTS_PER_IP_PER_HOUR", default=60)
# Public proposal pages may be cached this long (seconds), and served stale while refreshed.
PROPOSALS_CACHE_MAX_AGE = env.int("PROPOSALS_CACHE_MAX_AGE", default=10)
PROPOSALS_CACHE_STALE = env.int("PROPOSALS_CACHE_STALE", default=30)
# The public proposal list's counts and rendered result pages are kept this long (seconds) in
# the cache, and dropped at once when a proposal changes (through the shared cache: with a
# per-process cache, other processes see a change only when their copy expires); 0 reads and
# renders every request.
PROPOSALS_LIST_CACHE_SECONDS = env.int("PROPOSALS_LIST_CACHE_SECONDS", default=60)
# Open surveys (answer): answers sent in from one IP address an hour, per survey (a library's
# computers share one address, so not one), and answers begun, a few times that.
SURVEY_ANSWERS_PER_IP_PER_HOUR = env.int("SURVEY_ANSWERS_PER_IP_PER_HOUR", default=30)
# Forum posts (threads and replies) per hour: by one account, and from one IP address (a
# library's computers share one address, so a few times the first).
FORUM_POSTS_PER_HOUR = env.int("FORUM_POSTS_PER_HOUR", default=20)
FORUM_POSTS_PER_IP_PER_HOUR = env.int("FORUM_POSTS_PER_IP_PER_HOUR", default=60)
# Forum moderation: flags one account may send an hour, and from one address an hour; the
# longest a posting ban may last, in days.
FORUM_FLAG_RATE_PER_USER = env.int("FORUM_FLAG_RATE_PER_USER", default=20)
FORUM_FLAG_RATE_PER_IP = env.int("FORUM_FLAG_RATE_PER_IP", default=60)
FORUM_BAN_MAX_DAYS = env.int("FORUM_BAN_MAX_DAYS", default=90)
# Citizen budget: ideas one account may submit an hour, and comments one account may write an
# hour (spam; a person with many ideas can come back later).
BUDGET_IDEAS_PER_HOUR = env.int("BUDGET_IDEAS_PER_HOUR", default=5)
BUDGET_COMMENTS_PER_HOUR = env.int("BUDGET_COMMENTS_PER_HOUR", default=20)

# --- The public read API (torget.api, /api/v1/) --------------------------------------------------

# Rows per page of an API list by default, and the most a client may ask for (?page_size=).
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
# Requests a minute from one client address (429 with Retry-After beyond it). The test profile
# does not limit (its own tests set a low value), so a test that reads much is not refused.
API_RATE_PER_MINUTE = env.int(
    "API_RATE_PER_MINUTE", default=1_000_000 if TORGET_ENV == "test" else 120
)
# REST framework for /api/ only: JSON, anonymous, read-only (each view says so too).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
# The OpenAPI document at /api/schema/ (drf-spectacular).
SPECTACULAR_SETTINGS = {
    "TITLE": "Torget – öppet API",
    "DESCRIPTION": (
        "Kommunens öppna data om medborgardialog: dialoger, möten, resultat, medborgarförslag, "
        "medborgarbudget, råd, trygghetsbesiktningar, felanmälningar och områden. Bara läsning; "
        "inga personuppgifter."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # One name per choice set where several models call a field "status".
    "ENUM_NAME_OVERRIDES": {
        "DialogueStatusEnum": "torget.dialogues.models.Status",
        "ProposalStatusEnum": "torget.proposals.models.Status",
        "MeetingStatusEnum": "torget.meetings.models.MeetingStatus",
        "IdeaStatusEnum": "torget.budget.models.IdeaStatus",
        "CouncilStatusEnum": "torget.councils.models.CouncilStatus",
        "InspectionStatusEnum": "torget.inspections.models.InspectionStatus",
        "ActionStatusEnum": "torget.inspections.models.ActionStatus",
    },
}
# Other sites may read the API from a browser (CORS), only /api/ and only to read.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# --- Open data: exports, catalogue and feeds (torget.opendata) -----------------------------------

# The licence of the open data (exports and catalogue), as a URI: CC0 1.0 by default.
OPEN_DATA_LICENSE = env.str(
    "OPEN_DATA_LICENSE", default="http://creativecommons.org/publicdomain/zero/1.0/"
)
# The hour (local time) at which the worker rebuilds the exports every night.
OPEN_DATA_BUILD_HOUR = env.int("OPEN_DATA_BUILD_HOUR", default=3)
# Items in each RSS and Atom feed (/floden/…).
OPEN_DATA_FEED_ITEMS = env.int("OPEN_DATA_FEED_ITEMS", default=50)
# The catalogue's contact point for the data (an e-mail address and/or a web page); empty:
# the municipality's e-mail address (Kommunens inställningar) and the site's /oppna-data/ page.
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="")
OPEN_DATA_CONTACT_URL = env.str("OPEN_DATA_CONTACT_URL", default="")
# The place the data covers (dcterms:spatial), as a URI, e.g. the municipality in
# Lantmäteriet's or Wikidata's register; empty: left out of the catalogue.
OPEN_DATA_SPATIAL = env.str("OPEN_DATA_SPATIAL", default="")

# --- Retention plan (gallringsplan, torget.retention) -------------------------------------------

# The hour (local time) at which the worker applies the retention plan every night.
RETENTION_RUN_HOUR = env.int("RETENTION_RUN_HOUR", default=2)

# --- Insight: representativeness, dashboards, the area report (torget.insight) -------------------

# --- Uploaded files behind a check ---------------------------------------------------------------
# Photos and documents of cases, proposals and meetings are served by views that check who may
# see them (torget.core.media). Empty: Django streams the file. Set to an nginx `internal`
# location (e.g. /protected-media/, aliased to MEDIA_ROOT) and Django answers with
# X-Accel-Redirect so nginx sends the bytes.
MEDIA_ACCEL_REDIRECT_PREFIX = env.str("MEDIA_ACCEL_REDIRECT_PREFIX", default="")
