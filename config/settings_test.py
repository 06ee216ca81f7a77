"""Test settings: the real settings with fast, isolated overrides.

The database is SQLite in memory, or the PostgreSQL server named by DANVAN_TEST_DATABASE_URL
(`make pytest-postgres` starts a throwaway one: `testsupport.postgres_server`).
"""

import os

import dj_database_url

from config.settings import *  # noqa: F403
from config.settings import STORAGES

SECRET_KEY = "test-only-secret-key"  # noqa: S105
TEST_DATABASE_URL = os.environ.get("DANVAN_TEST_DATABASE_URL", "")
if TEST_DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(TEST_DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": ":memory:"},
        }
    }
DANVAN_IDENTITY_KEYS = ["dGVzdC1vbmx5LWlkZW50aXR5LWtleS0zMi1ieXRlcyE="]
DANVAN_SMS_BACKEND = "danvan.core.sms.MemoryBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# One process: its own changes drop what it keeps at once (danvan.core.refcache).
DANVAN_REFERENCE_CHECK_SECONDS = float("inf")
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files are not served to the test client; the browser tests run the real settings.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
