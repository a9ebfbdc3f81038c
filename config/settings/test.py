"""The test suite: fast hashing, database from DATABASE_URL (PostgreSQL or SQLite)."""

import os
import tempfile
from pathlib import Path

from .base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("SUYUAN_MEDIA_ROOT") or tempfile.mkdtemp(prefix="suyuan-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="suyuan-test-static-"))
WHITENOISE_USE_FINDERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: concurrency tests open one connection per thread, and
    # SQLite's WAL + BEGIN IMMEDIATE then serialise writers the way the demo does.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="suyuan-test-db-")) / "test.sqlite3")}
