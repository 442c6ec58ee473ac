"""Settings for every environment, read from environment variables only.

Each variable is parsed once by a typed parser in ``config.env`` and documented in the README
and ``.env.example``. With no variables set, the local defaults work: DEBUG on, a secret key kept
in the data folder, the embedded PostgreSQL server, and huey's queue in SQLite.
"""

import os
import re
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from huey.serializer import SignedSerializer

from config import embedded_postgres, sso_settings
from config.env import env_bool, env_database_url, env_email_url, env_int, env_list, env_str
from config.logging_json import logging_config
from config.ratelimit_rules import RateLimitSettingError, rate_limits_from_env

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = embedded_postgres.data_dir()

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A local key that survives restarts, so sessions and signed huey messages stay valid.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Seals the private keys of each district's signing authority and officers' certificates at rest
# (core.letters.keys); SECRET_KEY when unset. Set it apart from SECRET_KEY in production, so that
# rotating the session key does not lose every signing key.
KARYALAY_SIGNING_KEY = env_str("KARYALAY_SIGNING_KEY", "")

# --- Hosts -----------------------------------------------------------------------------------

ROOT_DOMAIN = env_str("KARYALAY_ROOT_DOMAIN", "localhost").lower()
if not re.fullmatch(
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", ROOT_DOMAIN
):
    raise ImproperlyConfigured(f"KARYALAY_ROOT_DOMAIN must be a host name without port; got {ROOT_DOMAIN!r}")
# The port that links in e-mails carry (``8000`` for ``make run``); empty behind a proxy on 443.
PUBLIC_PORT = env_str("KARYALAY_PUBLIC_PORT", "8000" if DEBUG else "")
PUBLIC_SCHEME = "http" if DEBUG else "https"

ALLOWED_HOSTS = [ROOT_DOMAIN, f".{ROOT_DOMAIN}"]
# No other origin is trusted: Django's CSRF check accepts a POST whose Origin is the request's own
# scheme and Host, and nothing else, so another district's page (a sibling subdomain) or the
# state console cannot post to a district, nor a district to the console. No form posts across
# hosts (the token lives in each host's own session, below, so one could not). Behind nginx on a
# port other than 443 the Host header carries that port (deploy/nginx), as the Origin does.
CSRF_TRUSTED_ORIGINS: list[str] = []

# --- Applications ----------------------------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "state_admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Single sign-on through the state's OpenID Connect provider (issue 20.5; config.sso).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "huey.contrib.djhuey",
    # Probes, metrics, the consumer's heartbeat and error tracking (issue 19; config.health_app).
    "config.health_app.OperationsConfig",
    # The REST API (issue 20): config.api wires it; its OpenAPI schema and a local Swagger UI.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# Sessions are in both lists: every district keeps its own session table, so a session made on
# one district's host does not exist on another's.
TENANT_APPS = [
    "django.contrib.sessions",
    "core",
    "district_admin",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.District"
# django-tenants' migrate reads its executor from the environment: ours skips planned districts,
# whose schemas do not exist until they are provisioned (tenants/migration_executor.py).
os.environ.setdefault("EXECUTOR", "districts")
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_LIMIT_SET_CALLS = True
# The migrated, empty schema that new districts are cloned from (a slug can never produce it).
KARYALAY_TEMPLATE_SCHEMA = "_district_template"

AUTH_USER_MODEL = "tenants.User"

MIDDLEWARE = [
    # The request id, the request's log line and its metrics: first, so they cover everything.
    "config.logging_requests.RequestLogMiddleware",
    # Headers only, so that the district middleware's own pages carry the policy too.
    "config.headers.ContentSecurityPolicyMiddleware",
    # /healthz, /readyz, /metrics on any Host (a pod IP): before the Host is resolved or checked.
    "config.health.ProbeMiddleware",
    "tenants.middleware.DistrictMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (and /favicon.ico) without the rest of the stack; after SecurityMiddleware, as
    # WhiteNoise asks, so they carry its headers too.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.HostBoundSessionMiddleware",
    "config.headers.PrivateCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.AccessGateMiddleware",
    "core.base.middleware.ActivityMiddleware",
    # Search, downloads, uploads and writes, per person and address (needs the user, the language).
    "config.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "config.urls_district"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

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
                "tenants.context_processors.district",
                "core.efile.context_processors.efile",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
_RUNSERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"
if DATABASE_URL:
    _database = dj_database_url.parse(DATABASE_URL)
else:
    _database = embedded_postgres.connection_settings()
# Pooled connections (Django's psycopg pool, one pool per process): a thread takes a connection
# for a request or a task and gives it back when it ends, so a process holds at most
# KARYALAY_DB_POOL_MAX connections, however many threads it runs (deploy/README.md, "Sizing":
# their sum over every web and worker process must stay below the server's max_connections).
# A request that finds the pool exhausted waits KARYALAY_DB_POOL_TIMEOUT seconds, then gets the
# 503 page (config.unavailable). django-tenants sets search_path on the first query after each
# checkout, so a connection never carries one district's search_path into another's request.
# KARYALAY_DB_POOL_MAX=0: no pool, one persistent connection per thread (KARYALAY_CONN_MAX_AGE).
# The development server opens and closes a connection per request, as before: no pool to keep.
_POOL_MAX = 0 if _RUNSERVER else env_int("KARYALAY_DB_POOL_MAX", 4, minimum=0)
_options = dict(_database.get("OPTIONS") or {})
# PostgreSQL settings for this workload, per connection, so they hold on any server (compose,
# Kubernetes, CI, the embedded default): no JIT compilation. This workload's statements are
# short; those whose estimated cost passes the JIT thresholds (the search's, with table scans
# off) paid the compilation on every execution and never gained (issue 16's load: 2.2
# requests/s with JIT, 13.5 without; bench/jit.py; README, "PostgreSQL settings").
# And on a Citus coordinator (issue 21), a transaction's SET LOCAL reaches the worker that runs a
# district's statements (the search's trigram threshold and plan settings); on any other server
# the name is an unused placeholder.
_options["options"] = " ".join(
    filter(None, [_options.get("options", ""), "-c jit=off", "-c citus.propagate_set_commands=local"])
)
if _POOL_MAX:
    _options["pool"] = {
        "min_size": min(env_int("KARYALAY_DB_POOL_MIN", 1, minimum=0), _POOL_MAX),
        "max_size": _POOL_MAX,
        "timeout": env_int("KARYALAY_DB_POOL_TIMEOUT", 10, minimum=1),
        # An idle connection above min_size is closed after five minutes.
        "max_idle": 300,
    }
_database.update(
    # django-tenants' backend; on a Citus cluster it splits SQL scripts into statements (issue 21).
    ENGINE="tenants.postgresql_backend",
    OPTIONS=_options,
    # Without the pool, persistent connections: a new connection per request costs about 4x in
    # throughput. Each thread keeps one, so they suit servers whose threads live on. The
    # development server starts a thread per request, and each thread's connection stayed open
    # after it ended: under runserver, never persistent. With the pool, Django requires 0.
    CONN_MAX_AGE=0 if _RUNSERVER or _POOL_MAX else env_int("KARYALAY_CONN_MAX_AGE", 600, minimum=0),
    CONN_HEALTH_CHECKS=True,
)
DATABASES = {"default": _database}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

# Two roles (tenants/roles.py): DATABASE_URL is the web's and worker's ordinary role, which owns
# nothing and may not change the audit trail; KARYALAY_OWNER_DATABASE_URL is the role that owns
# the schemas and tables, used by migrate, template_refresh, db_roles and provisioning. Unset: one
# role does everything (the test suite's superuser). KARYALAY_ADMIN_DATABASE_URL (a superuser,
# set for the init step only) lets db_roles create both roles and hand existing objects over.
KARYALAY_OWNER_DATABASE = env_database_url("KARYALAY_OWNER_DATABASE_URL")
KARYALAY_ADMIN_DATABASE = env_database_url("KARYALAY_ADMIN_DATABASE_URL")
KARYALAY_DB_OWNER_ROLE = env_str(
    "KARYALAY_DB_OWNER_ROLE", KARYALAY_OWNER_DATABASE["USER"] if KARYALAY_OWNER_DATABASE else "karyalay_owner"
)
KARYALAY_DB_APP_ROLE = env_str(
    "KARYALAY_DB_APP_ROLE", _database["USER"] if KARYALAY_OWNER_DATABASE else "karyalay_app"
)
for _role in (KARYALAY_DB_OWNER_ROLE, KARYALAY_DB_APP_ROLE):
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", _role):
        raise ImproperlyConfigured(f"Database role names are lower-case letters, digits and _; got {_role!r}")
if KARYALAY_DB_OWNER_ROLE == KARYALAY_DB_APP_ROLE:
    raise ImproperlyConfigured("DATABASE_URL and KARYALAY_OWNER_DATABASE_URL must name two different roles.")
# Tables whose rows the app role may read and add but never change or remove.
KARYALAY_APPEND_ONLY_TABLES = ("core_auditevent", "state_admin_auditevent", "state_admin_auditanchor")
# manage.py sets this for the commands that change the database's structure (OWNER_COMMANDS).
if env_bool("KARYALAY_CONNECT_AS_OWNER") and KARYALAY_OWNER_DATABASE:
    _database.update(KARYALAY_OWNER_DATABASE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, background work -------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# Django culls a third of a file cache's entries, at random, once it holds MAX_ENTRIES (300 by
# default): sign-in failure counts and task progress would go with them.
FILE_CACHE_OPTIONS = {"MAX_ENTRIES": 100_000}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A folder, not process memory: the web server and the huey consumer must see the same
    # entries (task progress, rate limits).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": FILE_CACHE_OPTIONS,
        }
    }
# Every cache key carries the schema it was made under, so districts never share an entry;
# sign-in rate limits are the one exception, counted per person and address on every host.
CACHES["default"]["KEY_FUNCTION"] = "tenants.cache.make_key"
CACHES["default"]["REVERSE_KEY_FUNCTION"] = "tenants.cache.reverse_key"
CACHES["default"]["KEY_PREFIX"] = env_str("KARYALAY_CACHE_PREFIX", "karyalay")

# Django's database sessions (each district's own table), read with a written-out statement.
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_NAME = "karyalay_session"
SESSION_COOKIE_DOMAIN = None  # host-only: never shared across subdomains
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("KARYALAY_SESSION_HOURS", 12, minimum=1) * 3600
# The CSRF token is kept in the session, not in a cookie of its own: a sibling subdomain can set
# a cookie for the parent domain (cookie tossing) and so plant a token it knows, but it cannot
# write another host's session. Pages read the token from the form, never from a cookie.
CSRF_USE_SESSIONS = True

_huey_serializer = SignedSerializer(secret=SECRET_KEY, salt="karyalay-huey")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("KARYALAY_HUEY_NAME", "karyalay"),
        "url": REDIS_URL,
        "immediate": False,
        "serializer": _huey_serializer,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env_str("KARYALAY_HUEY_NAME", "karyalay"),
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
        "serializer": _huey_serializer,
    }

# --- Identity: django-allauth ---------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "config.adapters.AccountAdapter"
# The sign-in form refuses a password in a district that requires single sign-on (config.sso).
ACCOUNT_FORMS = {"login": "config.sso.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "login_id"
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# allauth's rate limits, kept in the cache under keys no schema scopes (tenants.cache), so they
# add up over every district and the state console. Failed sign-ins: 5 per account in 15 minutes
# (the account, not the text typed: login ID and e-mail share one count; config.adapters), and
# per address 60 a minute and 300 an hour, which an office of 30 behind one NAT does not reach
# by mistyping. Sign-in posts of any outcome: 120 a minute per address. README: "Sign-in answers".
ACCOUNT_RATE_LIMITS = {
    "login_failed": "60/m/ip,300/h/ip,5/15m/key",
    "login": "120/m/ip",
}
# The request header that carries the client's address for the per-address limits, set by the
# proxy in front (deploy: nginx's X-Real-IP); empty: REMOTE_ADDR. Behind a proxy REMOTE_ADDR is
# the proxy, and every person in the state would share one address's allowance.
KARYALAY_CLIENT_IP_HEADER = env_str("KARYALAY_CLIENT_IP_HEADER")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Karyalay"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Single sign-on (issue 20.5, README "Single sign-on"): the state's OpenID Connect provider, from
# KARYALAY_OIDC_* (config.sso); unset, there is no SSO button and nothing else changes. Accounts are
# never made from an identity: config.sso.SocialAccountAdapter matches one that exists or refuses.
SOCIALACCOUNT_ADAPTER = "config.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = sso_settings.providers_setting()
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matched in config.sso, which never wipes a password
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (with its CSRF token); a link cannot start it
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# The claim that carries the person's Karyalay login ID, and whether a verified e-mail may match.
KARYALAY_OIDC_LOGIN_CLAIM = env_str("KARYALAY_OIDC_LOGIN_CLAIM", "preferred_username")
KARYALAY_OIDC_MATCH_EMAIL = env_bool("KARYALAY_OIDC_MATCH_EMAIL", True)

# TOTP is required for platform staff and district admins. Only a local demo may relax it.
KARYALAY_RELAX_MFA = env_bool("KARYALAY_RELAX_MFA", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language --------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "karyalay_language"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
# One way to write a day and one a moment, in both languages ("9 May 2025", "9 मई 2025, 4:03 अपराह्न"):
# config/formats/<language>/formats.py. CSV files write ISO dates instead.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Files -----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("KARYALAY_STATIC_ROOT") or BASE_DIR / ".data" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
# Production (DEBUG off): collectstatic writes names with a content hash (karyalay.3f2a9c1b7d4e.css),
# cached for a year, each with gzip and brotli copies made once at build time (WhiteNoise; nginx serves the
# same files, deploy/nginx). With DEBUG on (make run, the tests) the files are served as they are,
# with no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Files served at the site's root: /favicon.ico, for the clients that ask for it there.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Files looked up at each request, not listed once at start, where there is no collectstatic: fixed
# here because pytest-django turns DEBUG off after the settings are read.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("KARYALAY_MEDIA_ROOT") or DATA_DIR / "media")

# Uploads: each file is streamed to a temporary file in its district's storage while its SHA-256
# is computed, never held in memory, and refused past this size (core.base.uploads.limits).
KARYALAY_UPLOAD_MAX_MB = env_int("KARYALAY_UPLOAD_MAX_MB", 50, minimum=1)
FILE_UPLOAD_HANDLERS = ["core.base.uploads.limits.DistrictUploadHandler"]
# Where nginx serves stored files from once a view has checked permission ("/protected/", see
# deploy/nginx): the view answers with X-Accel-Redirect. Empty: Django streams the file itself.
KARYALAY_X_ACCEL_PREFIX = env_str("KARYALAY_X_ACCEL_PREFIX")
if KARYALAY_X_ACCEL_PREFIX and not re.fullmatch(r"/[A-Za-z0-9_/-]*/", KARYALAY_X_ACCEL_PREFIX):
    raise ImproperlyConfigured(
        f"KARYALAY_X_ACCEL_PREFIX must be a path that starts and ends with /; got {KARYALAY_X_ACCEL_PREFIX!r}"
    )

# --- Mail ------------------------------------------------------------------------------------
_email = env_email_url("EMAIL_URL")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"karyalay@{ROOT_DOMAIN}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("KARYALAY_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("KARYALAY_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Signs each district's audit-chain anchor in the public schema (state_admin.services.audit_anchor):
# a key the database does not hold, so whoever can write the database cannot forge an anchor.
# Empty: derived from SECRET_KEY (and its fallbacks, so a key rotation keeps old anchors valid).
KARYALAY_AUDIT_ANCHOR_KEY = env_str("KARYALAY_AUDIT_ANCHOR_KEY")
if KARYALAY_AUDIT_ANCHOR_KEY and len(KARYALAY_AUDIT_ANCHOR_KEY) < 32:
    raise ImproperlyConfigured("KARYALAY_AUDIT_ANCHOR_KEY must be at least 32 characters long.")

ADMINS = [("Karyalay", addr) for addr in env_list("KARYALAY_ADMIN_EMAILS")]

# --- Operations: logs, metrics, probes, error tracking, rate limits (issue 19) ---------------

# JSON lines (one object per record) in production, a readable line locally; text or json forces
# either. Every record carries the request id, district, user and task where known, and passes a
# filter that scrubs secrets (config.logging_json).
KARYALAY_LOG_FORMAT = env_str("KARYALAY_LOG_FORMAT", "text" if DEBUG else "json").lower()
if KARYALAY_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"KARYALAY_LOG_FORMAT must be json or text; got {KARYALAY_LOG_FORMAT!r}")
LOGGING = logging_config(
    json_lines=KARYALAY_LOG_FORMAT == "json", level=env_str("KARYALAY_LOG_LEVEL", "INFO").upper()
)
# /metrics answers only a request with "Authorization: Bearer <this>"; empty: /metrics is a 404.
KARYALAY_METRICS_TOKEN = env_str("KARYALAY_METRICS_TOKEN")
if KARYALAY_METRICS_TOKEN and len(KARYALAY_METRICS_TOKEN) < 24:
    raise ImproperlyConfigured("KARYALAY_METRICS_TOKEN must be at least 24 characters long.")
# /readyz fails when no huey consumer has beaten for this many seconds (config.health_tasks).
KARYALAY_HEARTBEAT_MAX_AGE = env_int("KARYALAY_HEARTBEAT_MAX_AGE", 60, minimum=10)
# The huey consumer's own /metrics (its task counts), same token; 0: none.
KARYALAY_WORKER_METRICS_PORT = env_int("KARYALAY_WORKER_METRICS_PORT", 0, minimum=0)
# Error tracking (config.logging_sentry): nothing is sent unless SENTRY_DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_RELEASE = env_str("SENTRY_RELEASE")
# KARYALAY_RATE_LIMIT_{SEARCH,DOWNLOAD,UPLOAD,WRITE}: "120/m/user,600/m/ip" (config.ratelimit_rules).
try:
    KARYALAY_RATE_LIMITS = rate_limits_from_env()
except RateLimitSettingError as exc:
    raise ImproperlyConfigured(str(exc)) from None

# --- REST API (issue 20; config.api) ---------------------------------------------------------
# /api/v1/ on every host: personal access tokens (config.api.auth) for scripts and apps, the
# browser session with its CSRF check for the site's own pages. Errors are JSON {code, message}
# in the request's language (config.api.errors); rate limits are the pages' (config.api.throttles).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.auth.TokenAuthentication",
        "config.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.permissions.MayUseThisHost"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    # The pages' own limits and counters (config.ratelimit, KARYALAY_RATE_LIMIT_*).
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttles.PageLimitsThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Karyalay API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
