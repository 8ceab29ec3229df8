"""Trappa settings, driven by environment variables.

Every variable is read through the small helpers below, which fail loudly
(ImproperlyConfigured at start-up) on a value they cannot understand, so a typo
in production configuration stops the service instead of silently meaning
something else. SQLite is the default so a fresh checkout just runs; set
DATABASE_URL for PostgreSQL, which is what production uses.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name, default):
    return os.environ.get(name, default)


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def envchoice(name, default, choices):
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


# --- Core -----------------------------------------------------------------

DEBUG = envbool("DEBUG", False)
# TRAPPA_DEMO marks the embedded demo: synthetic data, relaxed two-factor.
DEMO = envbool("TRAPPA_DEMO", False)
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO or os.environ.get("TRAPPA_TESTING")):
        raise ImproperlyConfigured("SECRET_KEY must be set outside the demo and the tests")
    SECRET_KEY = "insecure-development-key-never-used-in-production"
ALLOWED_HOSTS = [h for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = [SITE_ROOT]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    # Trappa, lowest layer first: a module imports only from the apps before its own here
    # (the layers are checked by lint-imports, pyproject.toml; README.md "Layout").
    "trappa.accounts",
    "trappa.audit",
    "trappa.jobs",
    "trappa.people",
    "trappa.catalogue",
    "trappa.assessments",
    "trappa.outreach",
    "trappa.referrals",
    "trappa.respite",
    "trappa.caregivers",
    "trappa.volunteers",
    "trappa.planning",
    "trappa.activity",
    "trappa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trappa.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trappa.urls"
WSGI_APPLICATION = "trappa.wsgi.application"

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
                "trappa.accounts.context_processors.trappa",
                "trappa.menu.context",
            ],
            "builtins": ["trappa.accounts.templatetags.access"],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'trappa.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0, 0))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Trappa understands: {exc}") from None
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web server and a worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, login, two-factor -----------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "trappa.accounts.oidc.TrappaOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workday"  # Min arbeidsdag: each role's start page
LOGOUT_REDIRECT_URL = "home"

# Two-factor (TOTP) is required for every role that can see personal data.
# Only the demo may turn it off.
REQUIRE_TWO_FACTOR = envbool("TRAPPA_REQUIRE_TWO_FACTOR", True)
if not REQUIRE_TWO_FACTOR and not DEMO:
    raise ImproperlyConfigured("TRAPPA_REQUIRE_TWO_FACTOR=false is allowed only with TRAPPA_DEMO=true")
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Trappa")

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, 1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, 1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# OpenID Connect (the protocol HelseID and ID-porten use). Off unless configured.
OIDC_ENABLED = envbool("OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = envstr("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = envstr("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = envchoice("OIDC_RP_SIGN_ALGO", "RS256", ["RS256", "HS256", "ES256"])
OIDC_RP_SCOPES = envstr("OIDC_RP_SCOPES", "openid profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = envstr("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = envstr("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = envstr("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_CREATE_USER = False  # users are provisioned by an administrator, then matched by subject
# Subject claim used to match a provisioned user, and the acr values that count
# as strong authentication (so no local second factor is asked for).
OIDC_SUBJECT_CLAIM = envstr("OIDC_SUBJECT_CLAIM", "sub")
OIDC_STRONG_ACR_VALUES = [v for v in envstr("OIDC_STRONG_ACR_VALUES", "Level4,idporten-loa-high").split(",") if v]
if OIDC_ENABLED and not all(
    [OIDC_RP_CLIENT_ID, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT]
):
    raise ImproperlyConfigured("OIDC_ENABLED needs OIDC_RP_CLIENT_ID and the OIDC_OP_*_ENDPOINT settings")

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600, 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not (DEBUG or DEMO))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- People register ------------------------------------------------------

# Synthetic national ID numbers (test environments: Skatteetaten's Tenor adds 80
# to the month, NAV's Dolly adds 40) are accepted only when this is on.
ALLOW_SYNTHETIC_NATIONAL_IDS = envbool("TRAPPA_ALLOW_SYNTHETIC_IDS", DEMO)

# --- Access control -------------------------------------------------------

# Emergency access ("break the glass") lasts this many minutes.
EMERGENCY_ACCESS_MINUTES = envint("TRAPPA_EMERGENCY_ACCESS_MINUTES", 120, 5)
# The review page flags users who opened more than this many persons outside
# their worklists in the review period.
ACCESS_REVIEW_THRESHOLD = envint("TRAPPA_ACCESS_REVIEW_THRESHOLD", 20, 1)
ACCESS_REVIEW_DAYS = envint("TRAPPA_ACCESS_REVIEW_DAYS", 30, 1)
# Aggregate pages (the acceptance rate) hide counts of 1 to this minus one
# persons, and whatever would let such a count be recomputed: few people in a
# cell can be recognised. 5 is Trappa's rule, stricter than the "usually fewer
# than three" helsedata.no gives for published health statistics.
SMALL_COUNT_THRESHOLD = envint("TRAPPA_SMALL_COUNT_THRESHOLD", 5, 1)

# --- Background jobs ------------------------------------------------------

# "database": a real queue in the database, run by `manage.py db_worker`.
# "immediate": run in-process when enqueued (the demo and the tests).
TASKS_BACKEND = envchoice("TRAPPA_TASKS", "database", ["database", "immediate"])
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
UPLOAD_DIR = Path(envstr("TRAPPA_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Internationalisation -------------------------------------------------

# The language pages fall back to when the browser asks for none we have.
LANGUAGE_CODE = envchoice("TRAPPA_LANGUAGE", "nb", ["nb", "nn", "en"])
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
# English pages use ISO dates and a 24-hour clock (trappa/formats/en), not the US defaults.
FORMAT_MODULE_PATH = ["trappa.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"

# --- Static files ---------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
# Production serves collected files (`collectstatic`); the demo and the tests
# serve them straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG or DEMO or bool(os.environ.get("TRAPPA_TESTING"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": envchoice("LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
}

# --- Access log -----------------------------------------------------------

# How many reverse proxies (nginx, a load balancer) stand in front of Trappa and
# append to X-Forwarded-For; the access log records the address the nearest
# trusted proxy saw. 0: the direct peer (REMOTE_ADDR), never the header.
TRUSTED_PROXIES = envint("TRAPPA_TRUSTED_PROXIES", 0, 0)

# --- Accounts: sessions, lockout, two-factor, OpenID Connect ------------------

# Sessions left idle this long end (SESSION_COOKIE_AGE is the absolute limit).
SESSION_IDLE_SECONDS = envint("TRAPPA_SESSION_IDLE_MINUTES", 60, 5) * 60
# Lockout counts failures per username, not per IP address (axes.W006 warns about
# that): staff share a few NAT addresses, so locking an address would lock a whole
# office out after one person's typos, and a guesser rotating addresses is still
# stopped by the per-username count. Spraying many usernames from one address is
# met by the password rules (12+ characters, not common) and by TOTP.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# django-otp throttles code attempts: after n wrong codes in a row the next try
# must wait factor * 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = envint("OTP_THROTTLE_FACTOR", 1, 1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
# Trappa's own OIDC views: access declarations, a clear refusal, the strong-login flag.
OIDC_AUTHENTICATE_CLASS = "trappa.accounts.oidc.AuthenticateView"
OIDC_CALLBACK_CLASS = "trappa.accounts.oidc.CallbackView"
OIDC_PROVIDER_NAME = envstr("OIDC_PROVIDER_NAME", "HelseID")
OIDC_OP_ISSUER = envstr("OIDC_OP_ISSUER", "")  # when set, the id_token's iss must match
OIDC_USE_PKCE = envbool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = envint("OIDC_TIMEOUT_SECONDS", 10, 1)
if OIDC_ENABLED and OIDC_RP_SIGN_ALGO != "HS256" and not OIDC_OP_JWKS_ENDPOINT:
    raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO} needs OIDC_OP_JWKS_ENDPOINT (the provider keys)")

# --- Accounts: the test suite hashes with a cheap Argon2 (trappa/accounts/hashers.py) ---
if os.environ.get("TRAPPA_TESTING"):
    PASSWORD_HASHERS = ["trappa.accounts.hashers.TestArgon2PasswordHasher", *PASSWORD_HASHERS]

# --- Outreach: printed batches of invitation letters (personal data: readable by the service only) ---
LETTERS_DIR = Path(envstr("TRAPPA_LETTERS_DIR", str(BASE_DIR / "var" / "letters")))
# The most letters one batch may hold (one PDF, printed at once).
LETTERS_BATCH_MAX = envint("TRAPPA_LETTERS_BATCH_MAX", 2000, 1)
if os.environ.get("TRAPPA_TESTING"):
    # Tests never write letters into the checkout.
    LETTERS_DIR = Path(tempfile.gettempdir()) / f"trappa-test-letters-{os.getpid()}"
