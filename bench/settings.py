"""The real settings, on the benchmark's own SQLite file (never the developer's database).

The file comes from DANVAN_BENCH_DB, set by the benchmark before Django starts, which also
drops DATABASE_URL: the SQLite options stay those of a real installation (WAL, cache size).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, DATABASES, SECRET_KEY, STORAGES

DEBUG = False
SECRET_KEY = SECRET_KEY or "bench-only-secret-key"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    raise RuntimeError("the benchmark runs on its own SQLite file; unset DATABASE_URL")
DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["DANVAN_BENCH_DB"]}}
# Hashed names would need `collectstatic` first; looking a name up costs the same without.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
