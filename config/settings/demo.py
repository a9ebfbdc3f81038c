"""The one-command demo: embedded SQLite under var/, debug pages on, local adapters."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("SUYUAN_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "outbox-mail"  # noqa: F405
