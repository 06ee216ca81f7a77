"""All settings, from environment variables. Production is just a different environment."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DANVAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "danvan.accounts.apps.DanVanAdminConfig",  # django.contrib.admin, auditors too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "danvan.ops.apps.BackgroundTasksConfig",  # django_tasks_db, named in Vietnamese
    "danvan.accounts.apps.SignInAttemptsConfig",  # axes, named in Vietnamese
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # officials' recovery codes (stored as digests)
    "ninja",  # its Swagger UI files, served by us: the API docs page needs no CDN
    "danvan.core",
    "danvan.places",
    "danvan.rulebook",
    "danvan.audit",
    "danvan.accounts",
    "danvan.documents",
    "danvan.language",
    "danvan.cases",
    "danvan.reception",
    "danvan.dialogues",
    "danvan.evaluation",
    "danvan.insights",
    "danvan.portal",
    "danvan.privacy",
    "danvan.api",
    "danvan.ops",
    "danvan.demo",
]

MIDDLEWARE = [
    "danvan.ops.middleware.RequestMiddleware",  # first: request id, latency, access log
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "danvan.audit.middleware.AuditActorMiddleware",  # the signed-in person acts in the audit log
    "django_otp.middleware.OTPMiddleware",
    "danvan.accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "danvan.core.middleware.UnavailableMiddleware",  # storage or database away: 503, not 500
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "danvan.core.context_processors.site",
                "danvan.accounts.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, anything else through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "danvan.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the
                # busy timeout instead of failing half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "danvan.accounts.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes): a wrong password five times for one account from one
# address locks that pair for 15 minutes; the account stays open from elsewhere, so an
# attacker cannot lock a citizen out of their own account.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "danvan.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "danvan.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front of the web processes that append to X-Forwarded-For (nginx in the
# production layout: 1). Login throttling and the API's per-address limit count the client
# they name, not the proxy (danvan.core.clients).
DANVAN_PROXY_COUNT = env_int("DANVAN_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
AXES_IPWARE_PROXY_COUNT = DANVAN_PROXY_COUNT

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "danvan_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env_str("DANVAN_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": media_storage(str(MEDIA_ROOT)),  # a directory, or DANVAN_S3_BUCKET
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MAILERS = {
    "default": {
        # Development prints mail with phones and addresses masked (danvan.ops.mail).
        "BACKEND": env_str("EMAIL_BACKEND", "danvan.ops.mail.ConsoleEmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dân Vận <no-reply@danvan.local>")

# HTTPS (docs/security.md). DJANGO_HTTPS=true when the site is served over TLS: secure
# cookies, HSTS and the redirect to https follow, each overridable. Behind a proxy that ends
# TLS, DJANGO_SECURE_PROXY_SSL_HEADER=true trusts its X-Forwarded-Proto: set it only when
# the proxy always sets (or strips) that header.
HTTPS = env_bool("DJANGO_HTTPS", default=env_bool("DJANGO_SECURE_COOKIES", default=False))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy: scripts and styles only from our own files, never inline (no
# template has a <script> body, an on*= handler or a style attribute; a test crawls them).
# data: images are the icons inside Swagger UI's and the admin's style sheets.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Two-factor authentication (TOTP) of officials and administrators: danvan.accounts.twofactor.
OTP_TOTP_ISSUER = env_str("DANVAN_SITE_NAME", "Dân Vận")
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) seconds
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an official's key or QR code
OTP_STATIC_THROTTLE_FACTOR = 1  # the same growing waits after wrong recovery codes
# An official sets up the authenticator app only with a one-time enrolment code that another
# administrator issued: it lapses after this many hours, or after this many wrong entries.
DANVAN_ENROLMENT_CODE_HOURS = env_int("DANVAN_ENROLMENT_CODE_HOURS", 72)
DANVAN_ENROLMENT_CODE_ATTEMPTS = env_int("DANVAN_ENROLMENT_CODE_ATTEMPTS", 5)

# Codes sent by SMS or e-mail to confirm a sign-up or reset a password: valid this many
# minutes and this many tries; a new one after this many seconds; at most this many messages
# an hour to one phone or address, and this many requests an hour from one client address.
DANVAN_CONTACT_CODE_MINUTES = env_int("DANVAN_CONTACT_CODE_MINUTES", 10)
DANVAN_CONTACT_CODE_ATTEMPTS = env_int("DANVAN_CONTACT_CODE_ATTEMPTS", 5)
DANVAN_CONTACT_CODE_RESEND_SECONDS = env_int("DANVAN_CONTACT_CODE_RESEND_SECONDS", 60)
DANVAN_CONTACT_CODES_PER_HOUR = env_int("DANVAN_CONTACT_CODES_PER_HOUR", 5)
DANVAN_CONTACT_CODES_PER_CLIENT_HOUR = env_int("DANVAN_CONTACT_CODES_PER_CLIENT_HOUR", 20)

# The province a single-province installation serves; the demo loads Hưng Yên.
DANVAN_PROVINCE_CODE = env_str("DANVAN_PROVINCE_CODE", "33")
DANVAN_SITE_NAME = env_str("DANVAN_SITE_NAME", "Dân Vận")
# The public address, for links in e-mails and SMS (no request is at hand in a task).
DANVAN_SITE_URL = env_str("DANVAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Fernet keys (comma-separated, newest first) that seal denouncers' identities and their
# scans (Luật Tố cáo Art. 47). Older keys only decrypt, so keys rotate without downtime:
# put the new key first, run `manage.py rotate_identity_keys`, then drop the old one.
DANVAN_IDENTITY_KEYS = [k.strip() for k in env_str("DANVAN_IDENTITY_KEYS").split(",") if k.strip()]

# Notifications: SMS goes through a backend class; the default writes to the log.
DANVAN_SMS_BACKEND = env_str("DANVAN_SMS_BACKEND", "danvan.core.sms.LogBackend")
# Notifications a delivery task sends at once (threads): the gateways' latency, not the CPU,
# bounds the rate, which is about this many divided by one send's seconds.
DANVAN_NOTIFY_CONCURRENCY = env_int("DANVAN_NOTIFY_CONCURRENCY", 16)
# Kinds of letter an officer may answer in one step (classified, accepted, answered at
# once): feedback needs no acceptance decision, unlike a complaint (Luật Khiếu nại Art. 27)
# or a denunciation (Luật Tố cáo Art. 29). A province that wants petitions too adds them.
DANVAN_ONE_STEP_ANSWER_KINDS = env_list("DANVAN_ONE_STEP_ANSWER_KINDS", ["feedback"])
# Reminders to officers this many days before a deadline (0: on the day), once each.
DANVAN_REMINDER_DAYS = [int(d) for d in env_list("DANVAN_REMINDER_DAYS", ["3", "1", "0"])]

# Reminders to a commitment's owner agency this many days before its due date, once each.
DANVAN_COMMITMENT_REMINDER_DAYS = [
    int(d) for d in env_list("DANVAN_COMMITMENT_REMINDER_DAYS", ["7", "1", "0"])
]

# Reminders of an evaluation round's deadlines this many working days before, once each.
DANVAN_EVALUATION_REMINDER_DAYS = [
    int(d) for d in env_list("DANVAN_EVALUATION_REMINDER_DAYS", ["5", "1", "0"])
]

# Reception sessions are planned and published this many days ahead (extended daily).
DANVAN_RECEPTION_PLAN_DAYS = env_int("DANVAN_RECEPTION_PLAN_DAYS", 92)

# Calls to the public API endpoints without a key, per client address (keys have their own
# rate, set in the admin). Counted in Django's cache: per process unless CACHES is shared.
DANVAN_API_RATE_ANONYMOUS = env_str("DANVAN_API_RATE_ANONYMOUS", "120/min")

# Votes for a dialogue question without an account, from one client address (as
# danvan.core.clients names it): past this, a visitor is asked to sign in. Many households
# share an address (mobile networks, an office), so it is not 1; a script that throws its
# cookies away gets no more than this. Such votes are shown apart from account votes.
DANVAN_VOTES_PER_ADDRESS = env_int("DANVAN_VOTES_PER_ADDRESS", 10)

# Scale-out (docs/scale-out.md): one Redis for the task queue and a cache shared by every
# process (rate limits count across machines). Without a URL the cache is per process.
DANVAN_REDIS_URL = env_str("DANVAN_REDIS_URL") or env_str("REDIS_URL")
DANVAN_CACHE_URL = env_str("DANVAN_CACHE_URL") or DANVAN_REDIS_URL
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DANVAN_CACHE_URL}
        if DANVAN_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With TASKS_BACKEND=danvan.core.tasks_redis.RedisBackend: runs of a job a dead worker left
# unfinished that are retried, and the longest a job may run (seconds).
DANVAN_TASK_RETRIES = env_int("DANVAN_TASK_RETRIES", 3)
DANVAN_TASK_TIMEOUT = env_int("DANVAN_TASK_TIMEOUT", 3600)

# Reference data (topics, communes, rules, routing, API keys) is kept in memory per process;
# each process looks this often (seconds) whether another one changed it (danvan.core.refcache).
DANVAN_REFERENCE_CHECK_SECONDS = float(env_str("DANVAN_REFERENCE_CHECK_SECONDS", "1"))

# /metrics answers a Bearer token equal to this; without one, only loopback (docs/operations.md).
DANVAN_METRICS_TOKEN = env_str("DANVAN_METRICS_TOKEN")

# One JSON object per line (`json`) or a line of text (`plain`), each with its request id.
# Every handler carries `contacts` (danvan.ops.logs.ContactMaskFilter): no log line holds a
# phone, an e-mail address or an ID number. Django's own loggers lose the handlers Django
# gives them (a console one without the filter) and go through the root's.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "danvan.ops.logs.RequestIdFilter"},
        "contacts": {"()": "danvan.ops.logs.ContactMaskFilter"},
    },
    "formatters": {
        "json": {"()": "danvan.ops.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if env_str("DANVAN_LOG_FORMAT", "json") == "plain" else "json",
            "filters": ["request_id", "contacts"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}
DANVAN_DEMO_PASSWORD = env_str("DEMO_PASSWORD", "DanVan@2026")
# The demo officials' TOTP key (base32), published in README.md: not a secret. With
# DEMO_TOTP_HINT on, the verify page of an account holding exactly this key shows its code.
DANVAN_DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "DANVANDEMOTOTPSECRETHUNGYENTINHA")
DANVAN_DEMO_TOTP_HINT = env_bool("DEMO_TOTP_HINT", default=DEBUG)
