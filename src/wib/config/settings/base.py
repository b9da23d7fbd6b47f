"""Settings shared by every profile, read from the environment with development defaults."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[4]
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(os.environ.get("WIB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijkl")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wib.core",
    "wib.accounts",
    "wib.geography",
    "wib.registry",
    "wib.procedures",
    "wib.files",
    "wib.deliveries",
    "wib.documents",
    "wib.simulators",
    "wib.audit",
    "wib.web",
    "wib.backoffice",
    "wib.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so responses returned by later middleware (413, redirects) carry the CSP too.
    "wib.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "wib.documents.limits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wib.accounts.middleware.SecondFactorMiddleware",
    "wib.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wib.config.urls"
WSGI_APPLICATION = "wib.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wib.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wib.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [SRC_DIR / "wib" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("WIB_MEDIA_ROOT", VAR_DIR / "media"))
# One document at most WIB_UPLOAD_MAX_BYTES; one multipart request (a few documents) at most
# WIB_REQUEST_MAX_BYTES, refused with a 413 page before it is read (wib.documents.limits).
WIB_UPLOAD_MAX_BYTES = int(os.environ.get("WIB_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
WIB_REQUEST_MAX_BYTES = int(os.environ.get("WIB_REQUEST_MAX_BYTES", str(32 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2621440)))
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2621440)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("WIB_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "wib.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"

# Access and login hardening (wib.accounts): see docs/security.md.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "wib.accounts.oidc.NationalRegisterOIDCBackend",
]
WIB_LOGIN_MAX_FAILURES = int(os.environ.get("WIB_LOGIN_MAX_FAILURES", "5"))
WIB_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("WIB_LOGIN_MAX_FAILURES_PER_IP", "20"))
WIB_LOGIN_WINDOW_SECONDS = int(os.environ.get("WIB_LOGIN_WINDOW_SECONDS", "900"))
WIB_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("WIB_LOGIN_LOCKOUT_SECONDS", "900"))
WIB_INVITATION_VALID_DAYS = int(os.environ.get("WIB_INVITATION_VALID_DAYS", "7"))
# Housekeeping (`manage.py housekeeping`, hourly from the outbox loop): login attempts are kept
# at least as long as the lockout needs them; rate-limit counters past the longest window go;
# stored files no row points at go once older than the grace period (see docs/operations.md).
WIB_LOGIN_ATTEMPT_RETENTION_SECONDS = int(
    os.environ.get("WIB_LOGIN_ATTEMPT_RETENTION_SECONDS", "0")
)
WIB_RATE_LIMIT_RETENTION_SECONDS = int(os.environ.get("WIB_RATE_LIMIT_RETENTION_SECONDS", "3600"))
WIB_ORPHAN_FILE_GRACE_SECONDS = int(os.environ.get("WIB_ORPHAN_FILE_GRACE_SECONDS", "86400"))
WIB_HOUSEKEEPING_EVERY_SECONDS = int(os.environ.get("WIB_HOUSEKEEPING_EVERY_SECONDS", "3600"))
WIB_OTP_ISSUER = os.environ.get("WIB_OTP_ISSUER", "Working in Belgium")
OTP_TOTP_ISSUER = WIB_OTP_ISSUER
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@workinginbelgium.example")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# OpenID Connect (federal authentication service): off unless a client id is configured.
WIB_OIDC_ISSUER = os.environ.get("WIB_OIDC_ISSUER", "")
WIB_OIDC_CLIENT_ID = os.environ.get("WIB_OIDC_CLIENT_ID", "")
WIB_OIDC_CLIENT_SECRET = os.environ.get("WIB_OIDC_CLIENT_SECRET", "")
WIB_OIDC_NRN_CLAIM = os.environ.get("WIB_OIDC_NRN_CLAIM", "nrn")
WIB_OIDC_SCOPES = os.environ.get("WIB_OIDC_SCOPES", "openid profile email")
WIB_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("WIB_OIDC_AUTHORIZATION_ENDPOINT", "")
WIB_OIDC_TOKEN_ENDPOINT = os.environ.get("WIB_OIDC_TOKEN_ENDPOINT", "")
WIB_OIDC_USERINFO_ENDPOINT = os.environ.get("WIB_OIDC_USERINFO_ENDPOINT", "")
WIB_OIDC_JWKS_ENDPOINT = os.environ.get("WIB_OIDC_JWKS_ENDPOINT", "")
WIB_OIDC_SIGN_ALGO = os.environ.get("WIB_OIDC_SIGN_ALGO", "RS256")
WIB_OIDC_TOKEN_USE_BASIC_AUTH = env_bool("WIB_OIDC_TOKEN_USE_BASIC_AUTH", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# Deadlines of the procedures, in days (EU directive 2024/1233: 90 + 30; information: 15).
# WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE overrides per procedure: "code=days,code=days".
WIB_DECISION_DEADLINE_DAYS = int(os.environ.get("WIB_DECISION_DEADLINE_DAYS", "90"))
WIB_DEADLINE_EXTENSION_DAYS = int(os.environ.get("WIB_DEADLINE_EXTENSION_DAYS", "30"))
WIB_INFORMATION_DEADLINE_DAYS = int(os.environ.get("WIB_INFORMATION_DEADLINE_DAYS", "15"))
WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE = {
    code.strip(): int(days)
    for code, _sep, days in (
        item.partition("=") for item in env_list("WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE")
    )
}

# Outbox: retries with doubling back-off (base, cap), a retry budget, and the lease after which
# a message a crashed worker left "delivering" returns to pending (`manage.py process_outbox`).
WIB_DELIVERY_BACKOFF_SECONDS = int(os.environ.get("WIB_DELIVERY_BACKOFF_SECONDS", "30"))
WIB_DELIVERY_BACKOFF_CAP_SECONDS = int(os.environ.get("WIB_DELIVERY_BACKOFF_CAP_SECONDS", "3600"))
WIB_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("WIB_DELIVERY_MAX_ATTEMPTS", "8"))
WIB_DELIVERY_LEASE_SECONDS = int(os.environ.get("WIB_DELIVERY_LEASE_SECONDS", "300"))
WIB_DELIVERY_CONNECTORS = {
    "ebox": "wib.connectors.ebox.EboxConnector",
    "authority-system": "wib.connectors.authority_system.AuthoritySystemConnector",
}
WIB_CONNECTOR_CONNECT_TIMEOUT_SECONDS = float(
    os.environ.get("WIB_CONNECTOR_CONNECT_TIMEOUT_SECONDS", "5")
)
WIB_CONNECTOR_READ_TIMEOUT_SECONDS = float(
    os.environ.get("WIB_CONNECTOR_READ_TIMEOUT_SECONDS", "30")
)
# eBox REST publication; the default points at the simulator of `make run`.
WIB_EBOX_URL = os.environ.get("WIB_EBOX_URL", "http://127.0.0.1:8000/simulators/ebox")
WIB_EBOX_SENDER_ORGANIZATION_ID = os.environ.get("WIB_EBOX_SENDER_ORGANIZATION_ID", "0314259115")
WIB_EBOX_SENDER_APPLICATION_ID = os.environ.get(
    "WIB_EBOX_SENDER_APPLICATION_ID", "wib:single-window:foreign-workers"
)
WIB_EBOX_BEARER_TOKEN = os.environ.get("WIB_EBOX_BEARER_TOKEN", "")
# Social security ("only once": Dimona, DmfA): OAuth2 client credentials with a JWT signed by
# our private key (wib.connectors.oauth); defaults point at the simulators of `make run`.
WIB_SOCIAL_SECURITY_TOKEN_URL = os.environ.get(
    "WIB_SOCIAL_SECURITY_TOKEN_URL", "http://127.0.0.1:8000/simulators/socialsecurity/token"
)
WIB_SOCIAL_SECURITY_CLIENT_ID = os.environ.get("WIB_SOCIAL_SECURITY_CLIENT_ID", "wib-single-window")
WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH = os.environ.get(
    "WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH", str(VAR_DIR / "keys" / "social-security-client.pem")
)
# The simulator's registered public key (PEM); empty: the public half of the key above.
WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH = os.environ.get(
    "WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH", ""
)
WIB_DIMONA_URL = os.environ.get("WIB_DIMONA_URL", "http://127.0.0.1:8000/simulators/dimona")
WIB_DMFA_URL = os.environ.get("WIB_DMFA_URL", "http://127.0.0.1:8000/simulators/dmfa")
# Authorities whose salary threshold counts only DmfA remuneration code 1 (ordinary pay); the
# others count every code (check: Brussels since 1 October 2024).
WIB_SALARY_CODE1_ONLY_AUTHORITIES = env_list("WIB_SALARY_CODE1_ONLY_AUTHORITIES", "brussels")
# Authorities' own case systems: "code=url,code=url". An authority without one gets no delivery.
WIB_AUTHORITY_SYSTEM_URLS = {
    code.strip(): url.strip()
    for code, _sep, url in (item.partition("=") for item in env_list("WIB_AUTHORITY_SYSTEM_URLS"))
    if url.strip()
}
# Stand-ins for external services under /simulators/ (off in the production profile).
WIB_SIMULATORS_ENABLED = env_bool("WIB_SIMULATORS_ENABLED", True)
# Demo seeding and `manage.py demo_totp` (published passwords and second-factor keys).
WIB_DEMO_ENABLED = env_bool("WIB_DEMO_ENABLED", True)

# Competent authority with places of employment under several authorities: the ordered steps
# of the cascade of art. 7-8 of the cooperation agreement of 2 February 2018 (check).
WIB_SEVERAL_PLACES_CASCADE = env_list(
    "WIB_SEVERAL_PLACES_CASCADE", "main-place-of-employment,registered-office"
)

# REST API v1 (wib.api): calls per window per token or signed-in user, and per client address.
WIB_API_RATE_LIMIT_PER_CALLER = int(os.environ.get("WIB_API_RATE_LIMIT_PER_CALLER", "120"))
WIB_API_RATE_LIMIT_PER_IP = int(os.environ.get("WIB_API_RATE_LIMIT_PER_IP", "300"))
WIB_API_RATE_LIMIT_WINDOW_SECONDS = int(os.environ.get("WIB_API_RATE_LIMIT_WINDOW_SECONDS", "60"))

# Audit trail: how many reverse proxies in front of the app may be trusted to append
# X-Forwarded-For (0: use REMOTE_ADDR only). See docs/audit.md.
WIB_TRUSTED_PROXY_COUNT = int(os.environ.get("WIB_TRUSTED_PROXY_COUNT", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WIB_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO: only its warnings are worth reading.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Prometheus scraping of /metrics: off unless a bearer token is configured.
WIB_METRICS_TOKEN = os.environ.get("WIB_METRICS_TOKEN", "")
# English pages follow Belgian habits for dates and times (see wib/config/formats/en).
FORMAT_MODULE_PATH = ["wib.config.formats"]
