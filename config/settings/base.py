"""Settings shared by every environment; values come from environment variables.

Split by concern: this module holds what is the same everywhere, ``demo`` the one-command
embedded set-up, ``test`` the suite, ``production`` the hardened deployment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SUYUAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SUYUAN_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("SUYUAN_DEBUG", False)
ALLOWED_HOSTS = env_list("SUYUAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SUYUAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "django_tasks_db",
    # Domain apps, in the order of the business process.
    "suyuan.common",
    "suyuan.rules",
    "suyuan.accounts",
    "suyuan.network",
    "suyuan.parties",
    "suyuan.disputes",
    "suyuan.notices",
    "suyuan.triage",
    "suyuan.integrity",
    "suyuan.assets",
    "suyuan.assistance",
    "suyuan.documents",
    "suyuan.mediation",
    "suyuan.litigation",
    "suyuan.preservation",
    "suyuan.enforcement",
    "suyuan.voice",
    "suyuan.governance",
    "suyuan.portal",
    "suyuan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "suyuan.accounts.middleware.SessionActivityMiddleware",
    # The second factor (TOTP): OTPMiddleware tells a verified session apart, ours sends the
    # roles that need one to enrol or verify before anything else (accounts/second_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "suyuan.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "suyuan.common.middleware.DomainErrorMiddleware",
    # Axes must come last: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "suyuan.accounts.context_processors.navigation",
                "suyuan.portal.context_processors.party_navigation",
            ],
        },
    }
]


def database_from_env(default_url: str) -> dict[str, object]:
    config: dict[str, object] = dict(
        dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=60)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing with "database is locked" mid-transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'suyuan.sqlite3'}")}


# --- Leaders' reads on a replica (issue 16; docs/decisions/0013-read-replica.md) ------------------
# SUYUAN_REPLICA_DATABASE_URL: a PostgreSQL hot standby of DATABASE_URL. When set, the governance
# dashboard, report, exports and public statistics read there (suyuan.common.replica); every write
# and every other read stays on "default". Unset (the SQLite demo, the tests): no replica, no change.
# The connection is read-only on its own too, so a misrouted write fails even if the URL names
# the primary by mistake. A replica more than SUYUAN_REPLICA_MAX_LAG_SECONDS behind is skipped.
def replica_from_env(url: str) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] != "django.db.backends.postgresql":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SUYUAN_REPLICA_DATABASE_URL 须为 PostgreSQL 只读副本（postgres://…）。")
    config["OPTIONS"] = {"options": "-c default_transaction_read_only=on",
                         "application_name": "suyuan-replica-reads"}
    # Tests see the replica as the primary's test database (never created, flushed or migrated).
    config["TEST"] = {"MIRROR": "default"}
    return config


SUYUAN_REPLICA_DATABASE_URL = os.environ.get("SUYUAN_REPLICA_DATABASE_URL", "")
if SUYUAN_REPLICA_DATABASE_URL:
    DATABASES["replica"] = replica_from_env(SUYUAN_REPLICA_DATABASE_URL)
SUYUAN_REPLICA_MAX_LAG_SECONDS = int(os.environ.get("SUYUAN_REPLICA_MAX_LAG_SECONDS", 30))
# Inert unless a block of code asks for the replica and one is configured.
DATABASE_ROUTERS = ["suyuan.common.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "disputes:workbench"
LOGOUT_REDIRECT_URL = "home"

# Idle sessions expire: the session row's expiry is SESSION_COOKIE_AGE after its last renewal, and
# activity renews it (accounts.middleware.SessionActivityMiddleware) at most once every
# SUYUAN_SESSION_RENEW_SECONDS, not with a write on every request. So an idle session ends between
# AGE - RENEW and AGE after its last request (product settings, issue 15 R8; issue 16 P5).
SESSION_COOKIE_AGE = int(os.environ.get("SUYUAN_SESSION_IDLE_SECONDS", 30 * 60))
SUYUAN_SESSION_RENEW_SECONDS = int(os.environ.get("SUYUAN_SESSION_RENEW_SECONDS", 60))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login lockout (django-axes): five failures per user name lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("SUYUAN_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("SUYUAN_LOGIN_COOLOFF_HOURS", 0.5))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lockout is per user name, not per address: a court's staff reach us through one NAT address,
# and locking that address would lock out the whole court (axes.W006 is about exactly this).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Second factor (TOTP, django-otp) for the roles that decide cases or hold the keys of the system
# (docs/decisions/0006-second-factor.md). Enrolment at first sign-in; a security admin resets it.
SUYUAN_SECOND_FACTOR_ROLES = env_list("SUYUAN_SECOND_FACTOR_ROLES", "judge,sysadmin,security_admin,auditor")
OTP_TOTP_ISSUER = "诉源"
# The demo shows the current code of its published demo accounts on the verification page.
SUYUAN_SECOND_FACTOR_DEMO_HINT = False

# Security headers on every response (HSTS and HTTPS-only cookies are in production.py).
# Scripts and styles only from our own static files, or inline with the per-response nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SUYUAN_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence is never served as public media: it is streamed by a view that checks scope.
MEDIA_ROOT = Path(os.environ.get("SUYUAN_MEDIA_ROOT", VAR_DIR / "files"))
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024


# --- Shared files (issue 16; docs/decisions/0005-shared-files.md) --------------------------------
# Uploaded and generated files go through Django's storage API. SUYUAN_STORAGE=local (default):
# MEDIA_ROOT on this host's disk. SUYUAN_STORAGE=s3: an S3-compatible object store shared by every
# web host and worker (django-storages): bucket, endpoint and keys from the environment. Objects are
# private (no ACL, signed URLs off): files are streamed by views that check scope, never linked.
def default_storage_from_env() -> dict[str, Any]:
    if os.environ.get("SUYUAN_STORAGE", "local") != "s3":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("SUYUAN_S3_BUCKET", "suyuan-files"),
            "endpoint_url": os.environ.get("SUYUAN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SUYUAN_S3_REGION", "cn-northwest-1"),
            "access_key": os.environ.get("SUYUAN_S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("SUYUAN_S3_SECRET_KEY", ""),
            "location": os.environ.get("SUYUAN_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


# --- Task broker (issue 16; docs/decisions/0004-task-broker.md) ---------------------------------
# SUYUAN_TASKS_BACKEND=db (default): the queue is the database (django-tasks-db, ``db_worker``).
# SUYUAN_TASKS_BACKEND=rq: RQ on Redis/Valkey at SUYUAN_REDIS_URL (django-tasks-rq, ``rqworker``),
# the same @task functions through Django's tasks interface.
def rq_task_settings(redis_url: str) -> dict[str, Any]:
    """The settings that put the task queue on RQ (also used by the tests of both backends)."""
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}},
        # The worker must load jobs as Django tasks (django-tasks-rq's job class).
        "RQ": {"JOB_CLASS": "django_tasks_rq.backend.Job"},
    }


SUYUAN_TASKS_BACKEND = os.environ.get("SUYUAN_TASKS_BACKEND", "db")
SUYUAN_REDIS_URL = os.environ.get("SUYUAN_REDIS_URL", "redis://127.0.0.1:6379/0")
INSTALLED_APPS.append("django_rq")  # its commands (rqworker) and checks; no tables
if SUYUAN_TASKS_BACKEND == "rq":
    globals().update(rq_task_settings(SUYUAN_REDIS_URL))
else:
    RQ_QUEUES = {"default": {"URL": SUYUAN_REDIS_URL}}
# Long periodic jobs: (task path, every N seconds); ``manage.py periodic`` schedules them on the
# configured engine (RQ's cron scheduler, or a loop that enqueues for the database queue). Each
# takes a single-runner lock (suyuan.common.locks), so two schedulers never run one job twice.
SUYUAN_PERIODIC_TASKS = [
    ("suyuan.notices.tasks.deliver_catch_up", int(os.environ.get("SUYUAN_DELIVER_EVERY_SECONDS", 30))),
    ("suyuan.disputes.tasks.sweep_periods", int(os.environ.get("SUYUAN_SWEEP_EVERY_SECONDS", 300))),
    ("suyuan.integrity.tasks.merge_index", int(os.environ.get("SUYUAN_INDEX_MERGE_EVERY_SECONDS", 900))),
    # Catch-ups of the arrival queues (common.pending) whose wake-up was lost or set aside.
    ("suyuan.triage.tasks.propose_pending", int(os.environ.get("SUYUAN_PENDING_EVERY_SECONDS", 60))),
    ("suyuan.integrity.tasks.check_pending", int(os.environ.get("SUYUAN_PENDING_EVERY_SECONDS", 60))),
]

# The asset registry (财产查控网络) behind suyuan.assets.adapters.get_registry: the local stand-in by
# default; LATENCY_MS / FAILURE_RATE / TIMEOUT_RATE make it slow or flaky. Retries of a search.
SUYUAN_ASSET_REGISTRY = {
    "BACKEND": os.environ.get("SUYUAN_ASSET_REGISTRY", "suyuan.assets.local_registry.LocalRegistry"),
    "LATENCY_MS": int(os.environ.get("SUYUAN_ASSET_REGISTRY_LATENCY_MS", 0)),
    "FAILURE_RATE": float(os.environ.get("SUYUAN_ASSET_REGISTRY_FAILURE_RATE", 0)),
}
SUYUAN_ASSET_SEARCH_MAX_ATTEMPTS = int(os.environ.get("SUYUAN_ASSET_SEARCH_MAX_ATTEMPTS", 4))
SUYUAN_ASSET_SEARCH_BACKOFF_SECONDS = int(os.environ.get("SUYUAN_ASSET_SEARCH_BACKOFF_SECONDS", 30))
# A search attempt still running after this long is taken over (its worker died).
SUYUAN_ASSET_SEARCH_LEASE_SECONDS = int(os.environ.get("SUYUAN_ASSET_SEARCH_LEASE_SECONDS", 300))

# Evidence files: what a party may upload and how large (product limits, not legal rules).
SUYUAN_EVIDENCE_MAX_BYTES = int(os.environ.get("SUYUAN_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
# Panels the stage apps add to the dispute page: (context builder, template). A builder returns
# None when its stage has nothing to show for that dispute.
SUYUAN_DISPUTE_PANELS = [
    ("suyuan.mediation.views.panel_context", "mediation/_dispute_panel.html"),
    ("suyuan.litigation.views.panel_context", "litigation/_dispute_panel.html"),
    ("suyuan.preservation.views.panel_context", "preservation/_dispute_panel.html"),
    ("suyuan.enforcement.views.panel_context", "enforcement/_dispute_panel.html"),
    ("suyuan.documents.views.panel_context", "documents/_dispute_panel.html"),
    ("suyuan.triage.views.panel_context", "triage/_dispute_panel.html"),
    ("suyuan.voice.views.panel_context", "voice/_dispute_panel.html"),
]
# Columns the stage apps add to the workbench queue: (cells builder, heading, cell template). The
# template is rendered with ``cell`` alone; None: the builder returns each cell's HTML (SafeString),
# as triage's does (50 includes a page were a third of the queue's template time; issue 16, P5).
SUYUAN_QUEUE_COLUMNS = [
    ("suyuan.triage.views.queue_cells", "系统分流建议", None),
]

# The party's portal (suyuan/portal, docs/portal.md): the home page of a role other than the workbench,
# and the guessing limits of the public process page (product settings, not legal rules).
SUYUAN_ROLE_HOMES = {"party": "portal:home", "deputy": "voice:deputy_home"}
# The page a notification links to, by the recipient's role (URL name taking the dispute number).
SUYUAN_ROLE_DISPUTE_PAGES = {"party": "portal:dispute"}
SUYUAN_PUBLIC_LOOKUP_WINDOW_MINUTES = int(os.environ.get("SUYUAN_PUBLIC_LOOKUP_WINDOW_MINUTES", 60))
SUYUAN_PUBLIC_LOOKUP_MAX_PER_ADDRESS = int(os.environ.get("SUYUAN_PUBLIC_LOOKUP_MAX_PER_ADDRESS", 20))
SUYUAN_PUBLIC_LOOKUP_MAX_PER_NUMBER = int(os.environ.get("SUYUAN_PUBLIC_LOOKUP_MAX_PER_NUMBER", 5))

# Long lists (the workbench queue, the dispute list) count their rows up to this many, then say
# "1000+" (suyuan/common/paging.py): a full COUNT(*) of a court's 300,000 disputes costs ~100 ms a page.
SUYUAN_LIST_COUNT_CAP = int(os.environ.get("SUYUAN_LIST_COUNT_CAP", 1000))
# The workbench's filter choices (townships, causes of the actor's disputes) are cached per process
# for this long (disputes.queue._facet): distinct values over a court's whole set cost ~200 ms.
SUYUAN_QUEUE_FACET_CACHE_SECONDS = int(os.environ.get("SUYUAN_QUEUE_FACET_CACHE_SECONDS", 300))
# How many days before a legal deadline the sweep reminds (a product setting, not a legal period).
SUYUAN_REMINDER_DAYS = int(os.environ.get("SUYUAN_REMINDER_DAYS", 2))
# Grid-worker assistance tasks (网格协助): default days to report back and photo limits (product settings).
SUYUAN_ASSIST_DUE_DAYS = int(os.environ.get("SUYUAN_ASSIST_DUE_DAYS", 7))
SUYUAN_ASSIST_PHOTO_MAX_BYTES = int(os.environ.get("SUYUAN_ASSIST_PHOTO_MAX_BYTES", 8 * 1024 * 1024))
SUYUAN_ASSIST_MAX_PHOTOS = int(os.environ.get("SUYUAN_ASSIST_MAX_PHOTOS", 6))
SUYUAN_IMPORT_MAX_BYTES = int(os.environ.get("SUYUAN_IMPORT_MAX_BYTES", 25 * 1024 * 1024))
# Retention of personal data kept only for a technical purpose (product rules; disputes/retention.py):
# an uploaded import file after its job ended, an Idempotency-Key record after the client's retries.
SUYUAN_IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("SUYUAN_IMPORT_FILE_RETENTION_DAYS", 30))
SUYUAN_IDEMPOTENCY_RETENTION_HOURS = int(os.environ.get("SUYUAN_IDEMPOTENCY_RETENTION_HOURS", 24))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "suyuan.common.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SUYUAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- voice (issue 13): satisfaction surveys, complaints, deputies ---
# Where a party's phone reaches the site: survey links in SMS are absolute.
SUYUAN_PUBLIC_URL = os.environ.get("SUYUAN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
