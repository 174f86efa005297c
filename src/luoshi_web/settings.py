"""Settings for luoshi_web, read from the environment.

===================  ===========================================================================
variable             meaning
===================  ===========================================================================
LUOSHI_DATA_DIR      where the database, uploaded files, the secret key and the demo accounts
                     live; default ``var/`` under the current directory
DATABASE_URL         a PostgreSQL URL (``postgresql://user@host:port/name``, psycopg 3); unset:
                     SQLite in ``$LUOSHI_DATA_DIR/luoshi.sqlite3`` in WAL mode
SECRET_KEY           the secret key; unset: generated once into ``$LUOSHI_DATA_DIR/secret_key``
LUOSHI_DEBUG         ``1`` turns Django's debug mode on (never in production)
LUOSHI_HTTPS         ``1`` behind HTTPS: secure cookies, HSTS, redirect to https
ALLOWED_HOSTS        comma-separated host names; default ``127.0.0.1,localhost``
EMAIL_HOST           the SMTP server reminders (催办) are mailed through; unset: mails are printed
                     on the console. Also EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                     EMAIL_USE_TLS (``1``), DEFAULT_FROM_EMAIL
LUOSHI_NOTIFY_CHANNELS  comma-separated channels the digest uses: ``email`` (default), ``sms``,
                     ``dingtalk``
LUOSHI_SMS_URL, LUOSHI_SMS_SECRET            the SMS gateway's webhook and signing secret
LUOSHI_DINGTALK_URL, LUOSHI_DINGTALK_SECRET  a DingTalk robot's webhook and signing secret
LUOSHI_BASE_URL      the address users open luoshi at, for links in notifications
===================  ===========================================================================
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LUOSHI_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written once, readable only by its owner; every process of one installation shares it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("LUOSHI_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "luoshi_web.accounts",
    "luoshi_web.documents",
    "luoshi_web.tracking",
    "luoshi_web.operations",
    "luoshi_web.exports",
    # The REST API (/api/); "ninja" so that its Swagger UI is served from our static files.
    "ninja",
    "luoshi_web.api",
    # The supervision office's pages and the notification channels (e-mail, SMS, DingTalk).
    "luoshi_web.notify",
    "luoshi_web.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's profile with the user on every request
    "luoshi_web.accounts.backends.ProfileBackend",
]

ROOT_URLCONF = "luoshi_web.urls"
WSGI_APPLICATION = "luoshi_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi_web.accounts.context.profile",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # ``task__in=<queryset>`` with select_related joins nine tables or more; past the default
        # collapse limits (8) PostgreSQL leaves the subquery's semi-join for last and joins a
        # million rows first (bench/scale: the overview's overdue list, 8 s → 20 ms).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            "-c join_collapse_limit=12 -c from_collapse_limit=12"
        )
        # Parameters bound by the server and statements prepared once per connection: PostgreSQL
        # plans a query the first times it sees it, then reuses the plan (bench/scale: planning
        # was 2.3 of the 3.8 ms of PostgreSQL CPU per filing; the joins of the token and the task
        # take 0.5 ms each to plan). Behind a pooler in transaction mode (pgbouncer) prepared
        # statements do not follow the connection: LUOSHI_PG_PREPARE=0 turns them off.
        if os.environ.get("LUOSHI_PG_PREPARE", "1") != "0":
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "luoshi.sqlite3",
            "OPTIONS": {
                # WAL lets the two gunicorn workers read while one writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers wait (timeout) instead of failing half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The pages are Chinese whatever the browser asks for (an English chromium included): Django's
# own words too (这个字段是必填项。), so no LocaleMiddleware and one language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "task-list"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the package: `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True

# Uploaded notices and attachments. MEDIA_URL is deliberately not routed: files are only ever
# sent by the download view, as attachments (never rendered as HTML by the browser).
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files-not-served/"
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_ALLOWED_EXTENSIONS = (".pdf", ".docx", ".txt", ".md", ".html", ".htm")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# django-axes: five failed logins for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _env_flag("LUOSHI_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# The light (亮灯) rules' thresholds; the rules themselves are in luoshi_web/tracking/lights.py.
LIGHT_RULES = {
    # red when the reported percent complete is this many points behind the share of time gone
    "red_gap": 25,
    # yellow when it is this many points behind
    "yellow_gap": 10,
    # a target value is at risk when it is below the pro-rated target by more than this share
    "target_risk": 0.2,
    # days after a filing deadline before a missing report turns the light red
    "grace_days": 0,
}

# Periods of a document (monthly or quarterly) are due on this day of the following month.
FILING_DAY = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# E-mail (Django's own settings): SMTP when EMAIL_HOST is set, else printed on the console.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "luoshi@localhost")
EMAIL_TIMEOUT = 20

# Notification channels (luoshi_web/notify): which ones the reminder digest uses, and the
# webhooks of the HTTP ones. ``recipients`` maps a unit's registry id (or a user name) to its
# address on that channel: SMS a mobile number, DingTalk a mobile number to @ in the group.
# What luoshi-web serve runs by itself (operations/schedule.py): the lights each night at this
# local time, and on working days the reminder digest when a time is set.
LUOSHI_LIGHTS_AT = os.environ.get("LUOSHI_LIGHTS_AT", "00:30")
LUOSHI_DIGEST_AT = os.environ.get("LUOSHI_DIGEST_AT", "")

LUOSHI_NOTIFY = {
    "channels": [
        c.strip() for c in os.environ.get("LUOSHI_NOTIFY_CHANNELS", "email").split(",") if c.strip()
    ],
    "sms": {
        "url": os.environ.get("LUOSHI_SMS_URL", ""),
        "secret": os.environ.get("LUOSHI_SMS_SECRET", ""),
        "recipients": {},
    },
    "dingtalk": {
        "url": os.environ.get("LUOSHI_DINGTALK_URL", ""),
        "secret": os.environ.get("LUOSHI_DINGTALK_SECRET", ""),
        "recipients": {},
    },
    "timeout": 10,
}
LUOSHI_BASE_URL = os.environ.get("LUOSHI_BASE_URL", "")
