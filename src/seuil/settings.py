"""Seuil's one settings module, configured by environment variables.

SEUIL_ENV     "production", or "demo" / "test" for a throwaway instance (see core/environment);
              unset: production as soon as DEBUG is off
DATABASE_URL  database (default: an SQLite file in SEUIL_DATA_DIR)
SEUIL_DATA_DIR  local data folder (default: ./data)
SEUIL_DOCUMENT_TEMPLATES  the operator's copies of the printed documents' templates
              (default: modeles/ in SEUIL_DATA_DIR; see core/documents)
SECRET_KEY    required in production
DEBUG         "1"/"true" to turn on debugging (never in production; SEUIL_ENV=production refuses it)
ALLOWED_HOSTS comma-separated host names
CONN_MAX_AGE  seconds a database connection is kept (default 60 with PostgreSQL, 0 with
              SQLite; a kept connection is checked before each request)
SEUIL_WORKER_DEAD_AFTER_SECONDS  a background worker silent this long is dead (default 60)
SEUIL_HTTPS   "1" behind an HTTPS proxy: secure cookies, HTTPS redirect, HSTS (not with DEBUG)
SEUIL_TWO_FACTOR  "0" turns two-factor authentication off: the demo only, refused in production
SEUIL_PROXY_COUNT  reverse proxies in front of Seuil (default 1 with SEUIL_HTTPS, else 0)
SEUIL_ENCRYPTION_KEYS  keys of the encrypted notes (required in production, see core/crypto)
SEUIL_API_RATE  API requests one account may send (default 600/minute)
SEUIL_BASE_URL  the instance's address, for the links of the e-mails
SEUIL_DOCUMENT_MAX_MB  the largest attached document (default 10 MB)
SEUIL_DOCUMENTS_S3_BUCKET, SEUIL_DOCUMENTS_S3_ENDPOINT, SEUIL_DOCUMENTS_S3_REGION  attached
              documents in an S3-compatible bucket (optional; default: SEUIL_DATA_DIR/documents)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
DEFAULT_FROM_EMAIL  the SMTP server of the e-mails (none: printed on the console)
SEUIL_OIDC_CLIENT_ID, SEUIL_OIDC_CLIENT_SECRET, SEUIL_OIDC_ISSUER (or the SEUIL_OIDC_*_ENDPOINT),
SEUIL_OIDC_SCOPES, SEUIL_OIDC_SIGN_ALGO, SEUIL_OIDC_ACR_VALUES, SEUIL_OIDC_NAME
              optional single sign-on (OpenID Connect, e.g. ProConnect): off without a client id
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from seuil.core.environment import (
    IN_PRODUCTION,
    UnknownEnvironment,
    env_flag,
    runs_in_production,
    seuil_env,
)
from seuil.core.private_files import create_private, make_private_dir

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SEUIL_DATA_DIR", Path.cwd() / "data"))

DEBUG = env_flag(os.environ, "DEBUG")
# Behind HTTPS (never with DEBUG: the development server speaks plain HTTP).
HTTPS = env_flag(os.environ, "SEUIL_HTTPS") and not DEBUG
try:
    SEUIL_ENV = seuil_env(os.environ)
except UnknownEnvironment as error:
    raise ImproperlyConfigured(str(error)) from None
# Production: SEUIL_ENV=production, or DEBUG off without SEUIL_ENV=demo or test. The
# refusals below, the demo, two-factor authentication and the encryption keys read it.
PRODUCTION = runs_in_production(os.environ)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG est activé alors que SEUIL_ENV=production : en cas d'erreur, les pages de "
        "débogage montreraient des données des ménages. Retirez DEBUG de l'environnement."
    )
# Public development key (bandit B105): refused below in production.
DEVELOPMENT_SECRET_KEY = "django-insecure-seuil-development-key"  # noqa: S105  # nosec B105
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
if PRODUCTION and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    # Demo and tests only (SEUIL_ENV=demo or test): production must have its own key.
    raise ImproperlyConfigured(
        f"SECRET_KEY n'est pas définie : {IN_PRODUCTION}, Seuil refuse de démarrer avec "
        "la clé de développement. Définissez SECRET_KEY (au moins 50 caractères "
        'aléatoires), par exemple avec : python -c "import secrets; '
        'print(secrets.token_urlsafe(50))". Pour une démonstration ou des essais sur ce '
        "poste : SEUIL_ENV=demo (ou DEBUG=1 pour le développement)."
    )

# Two-factor authentication (TOTP and recovery codes) for every account. Off for the demo
# only (`seuil demo` turns it off, and every page then says so): refused in production.
SEUIL_TWO_FACTOR = env_flag(os.environ, "SEUIL_TWO_FACTOR", default=True)
if PRODUCTION and not SEUIL_TWO_FACTOR:
    raise ImproperlyConfigured(
        f"SEUIL_TWO_FACTOR est désactivée : {IN_PRODUCTION}, Seuil refuse de démarrer "
        "sans double authentification. Retirez SEUIL_TWO_FACTOR de l'environnement (elle "
        "n'est désactivée que pour la démonstration)."
    )

# Keys of the encrypted free text (seuil.core.crypto), separate from SECRET_KEY: Fernet keys
# separated by commas, newest first; else the file encryption.keys in DATA_DIR (created on
# first use outside production only). Production refuses to start without either.
SEUIL_ENCRYPTION_KEYS = os.environ.get("SEUIL_ENCRYPTION_KEYS", "")
if (
    PRODUCTION
    and not SEUIL_ENCRYPTION_KEYS.strip()
    and not (DATA_DIR / "encryption.keys").is_file()
):
    raise ImproperlyConfigured(
        f"SEUIL_ENCRYPTION_KEYS n'est pas définie : {IN_PRODUCTION}, Seuil refuse de "
        "démarrer sans clé de chiffrement des notes sensibles (ni variable, ni fichier "
        "encryption.keys dans SEUIL_DATA_DIR). Générez-en une avec : "
        'python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())" / No encryption key in production: set '
        "SEUIL_ENCRYPTION_KEYS."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The trigram lookups of the search (`households.search`) on PostgreSQL.
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "seuil.core",
    "seuil.accounts",
    "seuil.notifications",
    "seuil.households",
    "seuil.housing",
    "seuil.exchange",
    "seuil.reports",
    "seuil.matching",
    "seuil.orientation",
    "seuil.tenancy",
    "seuil.support",
    "seuil.outcomes",
    "seuil.privacy",
    "seuil.home",
    # After seuil.core, whose `db_worker` (with a heartbeat) replaces django_tasks_db's.
    "django_tasks",
    "django_tasks_db",
    "seuil.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "seuil.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "seuil.core.middleware.SessionLifetimeMiddleware",
    "seuil.accounts.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "seuil.core.middleware.CurrentOrganisationMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seuil.urls"
CSRF_FAILURE_VIEW = "seuil.core.error_views.csrf_failure"
WSGI_APPLICATION = "seuil.wsgi.application"

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
                "seuil.accounts.twofactor.two_factor_context",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'seuil.sqlite3'}",
        # A kept connection is checked before each request: after a database restart, the
        # first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# With PostgreSQL, a server process keeps its connection for a minute: opening one for each
# request started a PostgreSQL process that read the catalogue again before the first query.
# Under 20 concurrent users (benchmarks/pages.py, national data), the database's processor
# time went from 104 s to 66 s for the same pages.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", 60 if _POSTGRESQL else 0))
if _POSTGRESQL:
    # A request answers one person among many at once: its queries run in its own process.
    # PostgreSQL's parallel plans (two more processes for a large scan or count) took a
    # fifth more of the database's time for the same pages and, under 20 concurrent users
    # on two cores, raised the 95th percentile of most pages by a quarter to a half
    # (benchmarks/pages.py).
    # Its tables live in memory on a database server of today (RAM, SSD): reading a row by
    # an index costs little more than reading the next one (random_page_cost 1.1 instead
    # of 4, the cost of a spinning disk). With 4, PostgreSQL scanned the whole national
    # table of memberships to count a small operator's 2,600 linked persons (42 ms instead
    # of 14, best of 5); its home page's queries took 119 ms instead of 54.
    # No compilation of a statement (JIT): Seuil's queries run in milliseconds, and a
    # large estimate that switched it on made a small operator's household list take
    # 319 ms of SQL instead of 19 (national data), and the arrears of 100,000 sub-leases
    # seconds more.
    # Options given in DATABASE_URL come after these and override them.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(
            None,
            [
                "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1 -c jit=off",
                _options.get("options"),
            ],
        )
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The database holds every file: readable by its owner only, like its folder (its WAL
    # and shared-memory files take the database file's mode).
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        make_private_dir(Path(_sqlite_name).parent)
        create_private(_sqlite_name)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username from a locked-out address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (below): answers nothing unless it is configured.
    "seuil.accounts.sso.Backend",
]

# Single sign-on with OpenID Connect (seuil.accounts.sso, mozilla-django-oidc), optional:
# on when SEUIL_OIDC_CLIENT_ID is set. The provider's endpoints follow from its issuer
# (ProConnect: <issuer>/authorize, /token, /userinfo, /jwks, /session/end) unless given one
# by one. A
# person signs in to an existing active account with the same e-mail address (no account is
# created) and the provider checks their second factor.
SEUIL_OIDC_ISSUER = os.environ.get("SEUIL_OIDC_ISSUER", "").strip().rstrip("/")


def _oidc_endpoint(name, path):
    given = os.environ.get(f"SEUIL_OIDC_{name}_ENDPOINT", "").strip()
    return given or (f"{SEUIL_OIDC_ISSUER}/{path}" if SEUIL_OIDC_ISSUER else "")


OIDC_RP_CLIENT_ID = os.environ.get("SEUIL_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("SEUIL_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc_endpoint("AUTHORIZATION", "authorize")
OIDC_OP_TOKEN_ENDPOINT = _oidc_endpoint("TOKEN", "token")
OIDC_OP_USER_ENDPOINT = _oidc_endpoint("USERINFO", "userinfo")
OIDC_OP_JWKS_ENDPOINT = _oidc_endpoint("JWKS", "jwks")
# The provider's end_session_endpoint: signing out of Seuil after signing in through the
# provider ends the provider's session too (seuil.accounts.sso.provider_logout_url, which
# needs the id token kept in the session, server-side, until the sign-out).
OIDC_OP_LOGOUT_ENDPOINT = _oidc_endpoint("LOGOUT", "session/end")
OIDC_OP_LOGOUT_URL_METHOD = "seuil.accounts.sso.provider_logout_url"
OIDC_STORE_ID_TOKEN = True
OIDC_RP_SIGN_ALGO = os.environ.get("SEUIL_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("SEUIL_OIDC_SCOPES", "openid email given_name usual_name")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = (
    {"acr_values": os.environ["SEUIL_OIDC_ACR_VALUES"]}
    if os.environ.get("SEUIL_OIDC_ACR_VALUES")
    else {}
)
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
SEUIL_SSO_NAME = os.environ.get("SEUIL_OIDC_NAME", "").strip() or "ProConnect"
SEUIL_SSO = bool(OIDC_RP_CLIENT_ID)
_oidc_missing = [
    variable
    for variable, value in (
        ("SEUIL_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        (
            "SEUIL_OIDC_AUTHORIZATION_ENDPOINT (ou SEUIL_OIDC_ISSUER)",
            OIDC_OP_AUTHORIZATION_ENDPOINT,
        ),  # noqa: E501
        ("SEUIL_OIDC_TOKEN_ENDPOINT (ou SEUIL_OIDC_ISSUER)", OIDC_OP_TOKEN_ENDPOINT),
        ("SEUIL_OIDC_USERINFO_ENDPOINT (ou SEUIL_OIDC_ISSUER)", OIDC_OP_USER_ENDPOINT),
        ("SEUIL_OIDC_JWKS_ENDPOINT (ou SEUIL_OIDC_ISSUER)", OIDC_OP_JWKS_ENDPOINT),
    )
    if not value
]
_oidc_plain = [
    url
    for url in (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_LOGOUT_ENDPOINT,
    )
    if url and not url.startswith("https://")
]
if SEUIL_SSO and PRODUCTION and _oidc_plain:
    raise ImproperlyConfigured(
        f"Connexion unique : {IN_PRODUCTION}, les adresses du fournisseur d'identité doivent "
        f"commencer par https:// ({', '.join(_oidc_plain)})."
    )
if SEUIL_SSO and _oidc_missing:
    raise ImproperlyConfigured(
        "Connexion unique (OpenID Connect) incomplète : SEUIL_OIDC_CLIENT_ID est définie, "
        f"mais pas {', '.join(_oidc_missing)}. Complétez la configuration, ou retirez "
        "SEUIL_OIDC_CLIENT_ID pour s'en passer."
    )

# Second factor (django-otp): a TOTP application, and single-use recovery codes. A wrong
# code makes the next try wait 1, 2, 4, 8… seconds (per device).
OTP_TOTP_ISSUER = "Seuil"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Brute-force lock (django-axes, ASVS V2.2.1): 5 failures of one username (normalised:
# spaces trimmed, case folded) from one address lock that pair for 15 minutes, so a
# shelter's shared address does not lock everyone out. A success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "seuil.accounts.lockout.normalised_username"
AXES_CLIENT_IP_CALLABLE = "seuil.accounts.lockout.client_ip_address"
AXES_LOCKOUT_CALLABLE = "seuil.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# X-Forwarded-For is read only behind a proxy (production), from the right: the address
# the last SEUIL_PROXY_COUNT proxies saw; the left part of the header can be forged.
SEUIL_PROXY_COUNT = int(os.environ.get("SEUIL_PROXY_COUNT", "1" if HTTPS else "0"))

# API v1: requests one account may send (SEUIL_API_RATE, "N/second|minute|hour|day"),
# counted per server process; beyond it, 429 with the wait.
SEUIL_API_RATE = os.environ.get("SEUIL_API_RATE", "600/minute")

# RGPD retention: a household whose last exit is older than this many days is anonymised
# (`seuil anonymise`, among the daily tasks); SEUIL_RETENTION_DAYS, default two years.
SEUIL_RETENTION_DAYS = int(os.environ.get("SEUIL_RETENTION_DAYS", "730"))

# Outcomes: days a household's one-time follow-up link stays valid. SEUIL_FOLLOW_UP_LINK_DAYS.
SEUIL_FOLLOW_UP_LINK_DAYS = int(os.environ.get("SEUIL_FOLLOW_UP_LINK_DAYS", "30"))

# Orientation: days a household (and the landlord) have to answer a housing proposal; without
# an answer, the proposal expires the day after (`seuil daily`). SEUIL_PROPOSAL_DELAY_DAYS.
SEUIL_PROPOSAL_DELAY_DAYS = int(os.environ.get("SEUIL_PROPOSAL_DELAY_DAYS", "10"))

# Matching: a run with more (households × units) than this is computed in the background by
# `seuil db_worker`, the page showing its progress; smaller ones at once.
SEUIL_MATCHING_INLINE_MAX = int(os.environ.get("SEUIL_MATCHING_INLINE_MAX", "250000"))

# Spreadsheet import: a workbook larger than this (bytes) is checked and imported in the
# background by `seuil db_worker`, the page showing that it runs; smaller ones at once
# (benchmarks/xlsx_import.py: 300 KB is about 10,000 rows, checked in about 3 s of CPU).
SEUIL_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("SEUIL_IMPORT_INLINE_MAX_BYTES", "300000"))

# Activity report: an organisation with more stays than this in the two years a report reads
# has its report computed in the background by `seuil db_worker`, the page showing its
# progress; smaller ones at once. Either way the report is kept, and shown again while the
# data it reads is unchanged (`reports.stored`).
SEUIL_REPORT_INLINE_MAX_STAYS = int(os.environ.get("SEUIL_REPORT_INLINE_MAX_STAYS", "300"))

# Exports: the waiting lists of more households than this, the workbook of an organisation
# of more households than this, are prepared in the background by `seuil db_worker`
# (`core.downloads`), the page showing the progress, then giving the file; smaller ones are
# sent at once.
SEUIL_EXPORT_INLINE_MAX_ROWS = int(os.environ.get("SEUIL_EXPORT_INLINE_MAX_ROWS", "2000"))

# Orientation's reminders (notifications and « Mes tâches »): a proposal's parties are reminded
# this many days before its last day of answer; a request is to be assessed within this many
# days of its receipt; a vacancy open this many days without a proposal is flagged.
SEUIL_PROPOSAL_REMINDER_DAYS = int(os.environ.get("SEUIL_PROPOSAL_REMINDER_DAYS", "2"))
SEUIL_ASSESSMENT_DELAY_DAYS = int(os.environ.get("SEUIL_ASSESSMENT_DELAY_DAYS", "15"))
SEUIL_VACANCY_ALERT_DAYS = int(os.environ.get("SEUIL_VACANCY_ALERT_DAYS", "30"))

# Households: a residence permit filed in a file is due (notification, « Mes tâches ») this
# many days before its last day. SEUIL_RESIDENCE_PERMIT_REMINDER_DAYS, 90 by default.
SEUIL_RESIDENCE_PERMIT_REMINDER_DAYS = int(
    os.environ.get("SEUIL_RESIDENCE_PERMIT_REMINDER_DAYS", "90")
)

# E-mails of the notifications, sent by `seuil db_worker`: through the SMTP server EMAIL_HOST
# when it is set, else printed on the worker's console (the demo). They carry no personal
# data; their links start with SEUIL_BASE_URL (by default https:// and the first of
# ALLOWED_HOSTS in production).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag(os.environ, "EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag(os.environ, "EMAIL_USE_SSL")
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Seuil <seuil@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SEUIL_BASE_URL = os.environ.get("SEUIL_BASE_URL", "") or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000"
)

# Background work (django-tasks, database backend): `seuil db_worker` runs what is queued.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker that gave no sign of life for this long is dead: its tasks are taken back
# (`core.workers`).
SEUIL_WORKER_DEAD_AFTER_SECONDS = int(os.environ.get("SEUIL_WORKER_DEAD_AFTER_SECONDS", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# The operator's copies of the printed documents' templates (`seuil.core.documents`).
SEUIL_DOCUMENT_TEMPLATES = Path(os.environ.get("SEUIL_DOCUMENT_TEMPLATES", DATA_DIR / "modeles"))
make_private_dir(DATA_DIR)  # the SQLite database, the encryption keys
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # static files served without collectstatic in the demo
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Attached documents (core/documents.py), encrypted: a private folder of the data
    # directory, outside the web root, served by no URL. SEUIL_DOCUMENTS_S3_BUCKET puts them
    # in an S3-compatible bucket instead (django-storages, installed apart: see
    # docs/installation.md), still encrypted by Seuil before they leave.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DATA_DIR / "documents",
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
if os.environ.get("SEUIL_DOCUMENTS_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SEUIL_DOCUMENTS_S3_BUCKET"],
            "endpoint_url": os.environ.get("SEUIL_DOCUMENTS_S3_ENDPOINT") or None,
            "region_name": os.environ.get("SEUIL_DOCUMENTS_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# The largest attached document, in MB (SEUIL_DOCUMENT_MAX_MB, 10 by default; at most 20).
SEUIL_DOCUMENT_MAX_MB = min(20, int(os.environ.get("SEUIL_DOCUMENT_MAX_MB", "10")))
# Uploads stay in memory, never in a temporary file in clear (core/uploads.py).
FILE_UPLOAD_HANDLERS = ["seuil.core.uploads.BoundedMemoryUploadHandler"]

# Sessions (ASVS V3.3): 30 minutes of inactivity, 12 hours in all
# (the absolute limit is SessionLifetimeMiddleware's, in seuil.core.middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (ASVS V14.4/V50): no inline script or style, no plugin,
# no framing. htmx is served from static files ({% htmx_script %} is a src script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload is a near-irreversible commitment for the whole domain: the operator's call.
    SECURE_HSTS_PRELOAD = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # security.W021 only says preload is off, which is deliberate (see above).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "seuil.accounts.api_auth.PersonalTokenAuthentication",
        # A browser session counts only once its second factor is verified.
        "seuil.accounts.twofactor.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # French answers for every error (seuil.core.api_errors).
    "EXCEPTION_HANDLER": "seuil.core.api_errors.exception_handler",
    # Bodies in JSON only (a form cannot say null, a number or a list): 415 otherwise.
    "DEFAULT_PARSER_CLASSES": ["seuil.core.api_errors.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": ["seuil.core.api_errors.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": SEUIL_API_RATE},
    "DEFAULT_SCHEMA_CLASS": "seuil.core.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "seuil.core.pagination.Pagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Seuil",
    "DESCRIPTION": "API v1 de Seuil : ménages, logements, séjours.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies have schemas of their own (a required text: at least one character).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "seuil.core.api_schema.document_errors",
    ],
    # One name for a choice set that several fields use.
    "ENUM_NAME_OVERRIDES": {"MobilityStatusEnum": "seuil.outcomes.enums.MobilityStatus"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
