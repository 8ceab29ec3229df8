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
    "csp",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Trappa, lowest layer first: a module imports only from the apps before its own here
    # (the layers are checked by lint-imports, pyproject.toml; README.md "Layout").
    "trappa.accounts",
    "trappa.audit",
    "trappa.jobs",
    "trappa.people",
    "trappa.catalogue",
    "trappa.letters",
    "trappa.assessments",
    "trappa.outreach",
    "trappa.referrals",
    "trappa.respite",
    "trappa.caregivers",
    "trappa.volunteers",
    "trappa.daycare",
    "trappa.planning",
    "trappa.activity",
    "trappa.demo",
    "trappa.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trappa.accounts.middleware.RequireTwoFactorMiddleware",
    "trappa.accounts.middleware.NoStoreMiddleware",
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
# A web worker keeps its PostgreSQL connection between requests (a new one costs 5-10 ms of both
# processes' time, more than a person page's queries), checked before reuse; the tests open and
# close their own (their concurrency tests count the connections).
CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 0 if os.environ.get("TRAPPA_TESTING") else 300, 0)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
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
# A read replica for planners' aggregate reads (trappa/lib/replica.py): only reads marked with
# replica_reads() go there. The tests get a second alias that mirrors default, switched on per test.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
READ_REPLICA = None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
    READ_REPLICA = "replica"
elif os.environ.get("TRAPPA_TESTING"):
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["trappa.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if os.environ.get("TRAPPA_TESTING") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The tests' second connection to the same test database, as the owner of the tables (README,
    # "Two database roles"): the tamper tests attack the access log through it, and when the suite
    # runs as the restricted application role (.ci/run) it empties the database between tests.
    owner_url = envstr("TRAPPA_TEST_OWNER_DATABASE_URL", "") or DATABASE_URL
    DATABASES["owner"] = {**dj_database_url.parse(owner_url), "TEST": {"MIRROR": "default"}}

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
# Enrolling an authenticator needs a one-time code from an approver, valid this long (trappa/accounts/enrollment.py).
ENROLLMENT_CODE_HOURS = envint("TRAPPA_ENROLLMENT_CODE_HOURS", 72, 1)

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, 1)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, 1) / 60  # hours
# Locked per username *and* address (trappa/accounts/lockout.py): a stranger's wrong
# passwords cannot lock a user out of their own desk. One address is throttled after
# TRAPPA_LOGIN_IP_FAILURE_LIMIT failures over any usernames (password spraying).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "trappa.lib.client_ip.client_ip_for_lockout"
AXES_WHITELIST_CALLABLE = "trappa.accounts.lockout.without_username"
LOGIN_IP_FAILURE_LIMIT = envint("TRAPPA_LOGIN_IP_FAILURE_LIMIT", 15, 1)
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

# HTTPS: production is served over TLS only (README "Production"). The demo and the tests run plain HTTP.
_PLAIN_HTTP = DEBUG or DEMO or bool(os.environ.get("TRAPPA_TESTING"))
SECURE_SSL_REDIRECT = envbool("TRAPPA_SSL_REDIRECT", not _PLAIN_HTTP)
# Browsers remember to use HTTPS only for this long (a year); 0 turns HSTS off.
SECURE_HSTS_SECONDS = envint("TRAPPA_HSTS_SECONDS", 0 if _PLAIN_HTTP else 365 * 24 * 3600, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("TRAPPA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("TRAPPA_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
# Behind a reverse proxy that ends TLS (TRAPPA_TRUSTED_PROXIES > 0, set below), the proxy says
# whether the client used HTTPS in X-Forwarded-Proto; it must set (not pass on) that header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envint("TRAPPA_TRUSTED_PROXIES", 0, 0) > 0 else None

# Content-Security-Policy (django-csp): scripts, styles and everything else from Trappa itself
# only, no inline script or style; the QR code for enrollment is inline SVG, which needs neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

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

# "database": a real queue in the database, run by `manage.py job_worker`.
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
# A running job writes a sign of life every JOB_HEARTBEAT_SECONDS; one silent for JOB_STALE_SECONDS
# lost its worker (killed, or the machine stopped) and is marked failed by the next worker or job page.
JOB_HEARTBEAT_SECONDS = envint("TRAPPA_JOB_HEARTBEAT_SECONDS", 30, 1)
JOB_STALE_SECONDS = envint("TRAPPA_JOB_STALE_SECONDS", 600, 1)
if JOB_STALE_SECONDS <= 2 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("TRAPPA_JOB_STALE_SECONDS must be more than twice TRAPPA_JOB_HEARTBEAT_SECONDS")
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
    "filters": {"one_line_refusals": {"()": "trappa.lib.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
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
# The key of the access log's hash chain and seals (trappa/audit/chain.py). It is
# kept in the environment, never in the database: whoever can write the database
# but lacks the key cannot change the log unseen. Losing it makes the old log
# unverifiable, so keep a copy where the database's administrators cannot reach.
ACCESS_LOG_KEY = envstr("TRAPPA_ACCESS_LOG_KEY", "")
if not ACCESS_LOG_KEY:
    if not (DEBUG or DEMO or os.environ.get("TRAPPA_TESTING")):
        raise ImproperlyConfigured("TRAPPA_ACCESS_LOG_KEY must be set outside the demo and the tests")
    ACCESS_LOG_KEY = "insecure-development-access-log-key-never-used-in-production"
elif len(ACCESS_LOG_KEY) < 32:
    raise ImproperlyConfigured("TRAPPA_ACCESS_LOG_KEY must be at least 32 characters")
# Where `seal_access_log` writes the daily sealed digests and `apply_log_retention` its
# summaries: outside the database (another disk or machine), so truncating or
# rewriting the log there shows. Readable by `verify_access_log`.
LOG_DIGEST_DIR = Path(envstr("TRAPPA_LOG_DIGEST_DIR", str(BASE_DIR / "var" / "log-digests")))
# Access log entries older than this many days are removed by `apply_log_retention`
# (and only by it). Set it to what the municipality's retention decision says.
ACCESS_LOG_RETENTION_DAYS = envint("TRAPPA_ACCESS_LOG_RETENTION_DAYS", 3650, 1)

# --- Accounts: sessions, lockout, two-factor, OpenID Connect ------------------

# Sessions left idle this long end (SESSION_COOKIE_AGE is the absolute limit).
SESSION_IDLE_SECONDS = envint("TRAPPA_SESSION_IDLE_MINUTES", 60, 5) * 60
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
    LOG_DIGEST_DIR = Path(tempfile.gettempdir()) / f"trappa-test-log-digests-{os.getpid()}"

# --- The REST API for machine clients (trappa/api, docs/api.md) ---
# No session authentication: the API takes bearer tokens only (trappa.api.authentication),
# and every view names its own authentication and permission; these defaults refuse.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trappa API",
    "DESCRIPTION": "Machine clients: OAuth 2.0 client credentials, bearer tokens with scopes. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Fields named "status" hold a referral's or an enrollment's status: each enum gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "trappa.referrals.models.Status",
        "EnrollmentStatusEnum": "trappa.referrals.models.EnrollmentStatus",
    },
    # The FHIR operations' `$` (Patient/{id}/$everything), which drf-spectacular reads as a regex anchor.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trappa.api.fhir.schema.operation_paths",
    ],
}
# How long a token from the token endpoint lives, in seconds.
API_TOKEN_SECONDS = envint("TRAPPA_API_TOKEN_SECONDS", 600, minimum=60)
# HelseID access tokens (JWTs) are accepted when its key set is configured; issuer and audience must then be set.
HELSEID_JWKS_URL = envstr("TRAPPA_HELSEID_JWKS_URL", "")
HELSEID_ISSUER = envstr("TRAPPA_HELSEID_ISSUER", "")
HELSEID_AUDIENCE = envstr("TRAPPA_HELSEID_AUDIENCE", "")
HELSEID_SCOPE_PREFIX = envstr("TRAPPA_HELSEID_SCOPE_PREFIX", "")
if HELSEID_JWKS_URL and not (HELSEID_ISSUER and HELSEID_AUDIENCE):
    raise ImproperlyConfigured("TRAPPA_HELSEID_JWKS_URL needs TRAPPA_HELSEID_ISSUER and TRAPPA_HELSEID_AUDIENCE")
