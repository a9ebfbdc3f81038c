"""The one-command demo: embedded SQLite under var/, debug pages on, local adapters."""

from .base import *
from .base import env_bool

DEBUG = env_bool("SUYUAN_DEBUG", True)
# The local e-mail adapter: messages are written as files a tester can open.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "outbox-mail")},
    }
}
# Serve static files straight from the app folders: the demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
# Show the demo accounts' current second-factor code on the verification page (never in production).
SUYUAN_SECOND_FACTOR_DEMO_HINT = True
