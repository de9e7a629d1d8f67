"""Django settings for Husly, read from environment variables (see docs/admin-guide.md).

``HUSLY_ENV`` is ``development`` (the demo and tests) or ``production`` (the default, so a
forgotten variable never runs a municipality in development mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from husly.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

HUSLY_ENV = env_str("HUSLY_ENV", "production")
if HUSLY_ENV not in {"development", "production"}:
    msg = f"HUSLY_ENV={HUSLY_ENV!r}; use development or production."
    raise ImproperlyConfigured(msg)
PRODUCTION = HUSLY_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    msg = "DJANGO_DEBUG must not be true when HUSLY_ENV=production."
    raise ImproperlyConfigured(msg)

SECRET_KEY = (
    env_str("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env_str(
        "DJANGO_SECRET_KEY", "development-only-key-never-use-in-production-0123456789abcdef"
    )
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Synthetic identity numbers (month + 80, Skatteetaten's Tenor test data) are accepted only
# where the deployment says so: the demo, tests and municipalities' test environments.
HUSLY_ALLOW_SYNTHETIC_IDS = env_bool("HUSLY_ALLOW_SYNTHETIC_IDS", default=not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "husly.core",
    "husly.organisation",
    "husly.people",
    "husly.housing",
    "husly.audit",
    "husly.cases",
    "husly.portal",
    "husly.calculators",
    "husly.allocation",
    "husly.tenancy",
    "husly.rent",
    "husly.followup",
    "husly.settlement",
    "husly.arrears",
    "husly.landlords",
    "husly.owning",
    "husly.imports",
    "husly.home",
    "husly.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "husly.audit.freshness.FreshnessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

if PRODUCTION:
    # Static files from the collected, hashed copies; in development runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "husly.urls"
WSGI_APPLICATION = "husly.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "husly" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "husly.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'husly.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: Husly's queries are short, and PostgreSQL's JIT spent more time
    # compiling than running them (ADR 0024: 200 ms of a 650 ms work-list query at Oslo scale).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "HUSLY_PG_OPTIONS", "-c jit=off"
    )
FORM_RENDERER = "husly.core.forms.HuslyFormRenderer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
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
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "husly" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "husly" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("HUSLY_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Several application servers share everything between requests (ADR 0023): sessions in the
# database (Django's default), the cache in the database (not the per-process local memory
# Django defaults to; the table is made by the ops app's migration), django-axes's lockouts in
# the database, and stored files in one folder every server mounts (HUSLY_MEDIA_ROOT) or in an
# S3-compatible bucket (HUSLY_MEDIA_S3_BUCKET, through django-storages: the "s3" extra).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "husly_cache",
        # Figures kept until the records change (ADR 0036) are kept per set of memberships,
        # units and language: a large municipality keeps more than the 300 entries Django
        # keeps by default before it drops a third of them (figures then computed again while
        # a reader waits). Each write counts the table's rows; at 5,000 that count stays cheap.
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
}
if env_str("HUSLY_MEDIA_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("HUSLY_MEDIA_S3_BUCKET", ""),
            "endpoint_url": env_str("HUSLY_MEDIA_S3_ENDPOINT", "") or None,
            "region_name": env_str("HUSLY_MEDIA_S3_REGION", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

SESSION_COOKIE_AGE = env_int("HUSLY_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
HUSLY_IMPORT_MAX_BYTES = env_int("HUSLY_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# A confirmed import of more rows than this runs on the job queue (PostgreSQL) and the page shows
# its state; a smaller one is applied in the request.
HUSLY_IMPORT_SYNC_ROWS = env_int("HUSLY_IMPORT_SYNC_ROWS", default=500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HUSLY_LOG_LEVEL", "WARNING")},
}

# --- Login and hardening (docs/decisions/0007-login-and-hardening.md) -------------------------
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "husly.security",
]
_AUTH_MIDDLEWARE = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE.insert(_AUTH_MIDDLEWARE + 1, "django_otp.middleware.OTPMiddleware")
_MESSAGE_MIDDLEWARE = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware")
MIDDLEWARE[_MESSAGE_MIDDLEWARE + 1 : _MESSAGE_MIDDLEWARE + 1] = [
    "husly.security.middleware.SessionTimeoutMiddleware",
    "husly.security.middleware.TwoFactorMiddleware",
]
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes requires

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out usernames
    "django.contrib.auth.backends.ModelBackend",
    "husly.security.oidc.StaffOIDCBackend",  # inactive unless HUSLY_OIDC_STAFF_* is configured
    "husly.security.oidc.ResidentOIDCBackend",  # inactive unless HUSLY_OIDC_RESIDENT_* is set
]

# Two-factor authentication (TOTP) for staff: required in production, off in development so
# the demo logins work. A login through the staff OIDC provider may count as two-factor when
# the provider enforces it (HUSLY_OIDC_STAFF_MFA_BY_PROVIDER).
HUSLY_REQUIRE_2FA = env_bool("HUSLY_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = env_str("HUSLY_TOTP_ISSUER", "Husly")

# Lockout after repeated failed logins (django-axes), per username so that users behind one
# municipal NAT are not locked out together; the lock lifts after the cool-off period.
AXES_FAILURE_LIMIT = env_int("HUSLY_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("HUSLY_LOGIN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "husly.security.views.locked_out"
AXES_VERBOSE = False

# Session: logged out after HUSLY_SESSION_IDLE_SECONDS without a request, and in any case
# HUSLY_SESSION_SECONDS (SESSION_COOKIE_AGE above) after logging in.
HUSLY_SESSION_IDLE_SECONDS = env_int("HUSLY_SESSION_IDLE_SECONDS", default=30 * 60)

# Content Security Policy: scripts and styles from our own origin only, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_NAME = "__Host-husly-session" if PRODUCTION else "husly-session"
CSRF_COOKIE_NAME = "__Host-husly-csrf" if PRODUCTION else "husly-csrf"


def _oidc_provider(prefix: str, *, scopes: str, label: str) -> dict[str, object] | None:
    """One OpenID Connect provider from ``<prefix>_*`` variables; None when no client id."""
    client_id = env_str(f"{prefix}_CLIENT_ID", "")
    if not client_id:
        return None
    return {
        "client_id": client_id,
        "client_secret": env_str(f"{prefix}_CLIENT_SECRET"),
        "issuer": env_str(f"{prefix}_ISSUER"),
        "authorization_endpoint": env_str(f"{prefix}_AUTHORIZATION_ENDPOINT"),
        "token_endpoint": env_str(f"{prefix}_TOKEN_ENDPOINT"),
        "userinfo_endpoint": env_str(f"{prefix}_USERINFO_ENDPOINT"),
        "jwks_endpoint": env_str(f"{prefix}_JWKS_ENDPOINT"),
        "scopes": env_str(f"{prefix}_SCOPES", scopes),
        "sign_algo": env_str(f"{prefix}_SIGN_ALGO", "RS256"),
        "acr_values": env_str(f"{prefix}_ACR_VALUES", ""),
        "label": env_str(f"{prefix}_LABEL", label),
        "timeout": env_int(f"{prefix}_TIMEOUT_SECONDS", default=10),
    }


# OpenID Connect: staff (e.g. Entra ID) are matched to an existing Husly user, never created;
# residents (ID-porten) are handed to HUSLY_RESIDENT_LOGIN_HANDLER with their identity number.
HUSLY_OIDC = {
    "staff": _oidc_provider("HUSLY_OIDC_STAFF", scopes="openid profile email", label="Entra ID"),
    "resident": _oidc_provider("HUSLY_OIDC_RESIDENT", scopes="openid profile", label="ID-porten"),
}
HUSLY_OIDC_STAFF_USERNAME_CLAIM = env_str("HUSLY_OIDC_STAFF_USERNAME_CLAIM", "preferred_username")
HUSLY_OIDC_STAFF_MATCH_FIELD = env_str("HUSLY_OIDC_STAFF_MATCH_FIELD", "username")
if HUSLY_OIDC_STAFF_MATCH_FIELD not in {"username", "email"}:
    msg = "HUSLY_OIDC_STAFF_MATCH_FIELD must be username or email."
    raise ImproperlyConfigured(msg)
HUSLY_OIDC_STAFF_MFA_BY_PROVIDER = env_bool("HUSLY_OIDC_STAFF_MFA_BY_PROVIDER", default=False)
HUSLY_RESIDENT_LOGIN_HANDLER = (
    env_str("HUSLY_RESIDENT_LOGIN_HANDLER", "husly.portal.auth.resident_user") or None
)
# The development login for residents (identity number only, no ID-porten): never in production.
HUSLY_DEV_RESIDENT_LOGIN = env_bool("HUSLY_DEV_RESIDENT_LOGIN", default=not PRODUCTION)
if PRODUCTION and HUSLY_DEV_RESIDENT_LOGIN:
    msg = "HUSLY_DEV_RESIDENT_LOGIN must not be true when HUSLY_ENV=production."
    raise ImproperlyConfigured(msg)
HUSLY_RESIDENT_LOGIN_REDIRECT_URL = env_str("HUSLY_RESIDENT_LOGIN_REDIRECT_URL", "/minside/")
# axes.W006 asks for lockout by IP address too; a municipality's staff often share one public
# address, so one person's typos would lock out the whole office. Lockout is per username; a
# password guessed by spraying is still useless without the second factor (ADR 0007).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Consent and retention (docs/decisions/0008-consent-and-retention.md) --------------------
INSTALLED_APPS += ["husly.consent", "husly.retention"]
INSTALLED_APPS += ["husly.temporary", "husly.insight"]
INSTALLED_APPS += ["husly.needs"]
INSTALLED_APPS += ["husly.policy"]
INSTALLED_APPS += ["husly.loans"]
INSTALLED_APPS += ["husly.api"]
INSTALLED_APPS += ["husly.ops"]  # backup, restore, media check (ADR 0023)
# Closed cases (decided or closed, nothing open) are anonymised this many years after the last
# decision or appeal; persons in no other case are anonymised with them.
HUSLY_RETENTION_CLOSED_CASE_YEARS = env_int("HUSLY_RETENTION_CLOSED_CASE_YEARS", default=10)
# Access events (who read what) are deleted after this many years.
HUSLY_RETENTION_ACCESS_LOG_YEARS = env_int("HUSLY_RETENTION_ACCESS_LOG_YEARS", default=5)
# Issued decisions and their letters are archive records (arkivlova): kept unchanged by default.
# Set to false only where the municipality's records schedule allows disposal in Husly.
HUSLY_RETENTION_KEEP_ISSUED_DECISIONS = env_bool(
    "HUSLY_RETENTION_KEEP_ISSUED_DECISIONS", default=True
)

# --- Background jobs, health and logs (docs/decisions/0021-jobs-health-and-logs.md) ----------
# procrastinate keeps the job queue in PostgreSQL; on SQLite (small trials, some benchmarks) its
# migrations are skipped by the router and the jobs run as commands instead.
INSTALLED_APPS += ["procrastinate.contrib.django", "husly.jobs"]
DATABASE_ROUTERS = ["husly.jobs.routers.QueueOnPostgresRouter"]
# Finished jobs (done, cancelled, stopped) are removed this many days after they ended; failed
# jobs, with their reasons, after HUSLY_JOBS_KEEP_FAILED_DAYS (time to look and run them again).
HUSLY_JOBS_KEEP_DAYS = env_int("HUSLY_JOBS_KEEP_DAYS", default=14)
HUSLY_JOBS_KEEP_FAILED_DAYS = env_int("HUSLY_JOBS_KEEP_FAILED_DAYS", default=90)
# Exports made on the queue (ADR 0034) are kept this many days for their download, then the
# files and their rows are removed by jobs_cleanup.
HUSLY_EXPORTS_KEEP_DAYS = env_int("HUSLY_EXPORTS_KEEP_DAYS", default=7)
# A request id on every request and every log line; production logs one JSON object a line.
MIDDLEWARE.insert(0, "husly.core.request_id.RequestIdMiddleware")
HUSLY_LOG_JSON = env_bool("HUSLY_LOG_JSON", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "husly.core.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if HUSLY_LOG_JSON else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("HUSLY_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The worker says which job it runs and how it ended (procrastinate's own lines: WARNING).
        "husly.jobs": {"level": env_str("HUSLY_JOB_LOG_LEVEL", "INFO")},
        "procrastinate": {"level": env_str("HUSLY_QUEUE_LOG_LEVEL", "WARNING")},
    },
}
# Load balancers probe over plain HTTP inside the network: no redirect to HTTPS for the probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
