"""Django settings. Everything an installation changes comes from the environment (see README)."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url

from xuncha.config import (
    ConfigError,
    data_dir,
    env_bool,
    env_database_url,
    env_int,
    env_list,
    env_str,
    env_url,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

try:
    DATA_DIR = data_dir("XUNCHA_DATA_DIR", PROJECT_DIR / "var")
    DEBUG = env_bool("XUNCHA_DEBUG", False)
    ALLOWED_HOSTS = env_list("XUNCHA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    DATABASE_URL = env_database_url("DATABASE_URL")
    SECRET_KEY = secret_key(DATA_DIR)
    NODE_MODULES = Path(env_str("XUNCHA_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
    UPLOAD_MAX_BYTES = env_int("XUNCHA_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
    # E-mail reminders (`xuncha remind`): off while no SMTP host is given.
    EMAIL_HOST = env_str("XUNCHA_SMTP_HOST", "")
    EMAIL_PORT = env_int("XUNCHA_SMTP_PORT", 25, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("XUNCHA_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = env_str("XUNCHA_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("XUNCHA_SMTP_TLS", False)
    DEFAULT_FROM_EMAIL = env_str("XUNCHA_SMTP_FROM", "xuncha@localhost")
    # The address users open xuncha at, for links in e-mails.
    XUNCHA_BASE_URL = env_url("XUNCHA_BASE_URL", "http://127.0.0.1:8000")
    # Informants' identities and complaint attachments are encrypted with a key kept outside
    # the database: XUNCHA_INTAKE_KEY (Fernet keys, newest first, comma-separated) or this file.
    XUNCHA_INTAKE_KEY = env_str("XUNCHA_INTAKE_KEY", "")
    XUNCHA_INTAKE_KEY_FILE = Path(env_str("XUNCHA_INTAKE_KEY_FILE", str(DATA_DIR / "keys" / "intake.key")))
    # Near-duplicate problems: the defaults a committee's detection settings start from.
    XUNCHA_MATCH_THRESHOLD = env_int("XUNCHA_MATCH_THRESHOLD_PERCENT", 60, minimum=1, maximum=100) / 100
    XUNCHA_COMMON_MIN_ORGANIZATIONS = env_int("XUNCHA_COMMON_MIN_ORGANIZATIONS", 3, minimum=2)
    # The public portal's limits: complaints per address per hour, receipt lookups per address
    # and per receipt per hour.
    XUNCHA_PUBLIC_COMPLAINTS_PER_HOUR = env_int("XUNCHA_PUBLIC_COMPLAINTS_PER_HOUR", 5, minimum=1)
    XUNCHA_PUBLIC_LOOKUPS_PER_HOUR = env_int("XUNCHA_PUBLIC_LOOKUPS_PER_HOUR", 20, minimum=1)
except ConfigError as exc:
    sys.stderr.write(f"xuncha: configuration error: {exc}\n")
    raise SystemExit(2) from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "xuncha.access",
    "xuncha.registry",
    "xuncha.rounds",
    "xuncha.checklist",
    "xuncha.findings",
    "xuncha.reports",
    "xuncha.rectification",
    "xuncha.regulations",
    "xuncha.analytics",
    "xuncha.intake",
    "xuncha.workbench",
    "xuncha.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xuncha.workbench.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xuncha.access.middleware.RequestContextMiddleware",
    "xuncha.access.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
WSGI_APPLICATION = "xuncha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.workbench.context.shell",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "xuncha.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one worker writes; IMMEDIATE takes the write
                # lock at BEGIN so two workers never deadlock upgrading a read lock.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = ["xuncha.access.backends.LockoutBackend"]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "access:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name")}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Accounts policy (DESIGN §1): lockout and idle expiry.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCKOUT_MINUTES = 15
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["xuncha.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",  # xuncha/app.css: the package is not an app, so no finder saw it
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": DATA_DIR / "uploads"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files are never under STATIC_ROOT: they are served through the access policy.
MEDIA_ROOT = DATA_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_TIMEOUT = 30
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
