"""Settings for bench/web.py: the project's own, with URLs that add one bare Django view (web_urls).

Used as DJANGO_SETTINGS_MODULE=web_site with bench/ on the path (not part of the application).
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "web_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
