"""Production: every value that matters must come from the environment; HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
if SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("请设置 SUYUAN_SECRET_KEY 环境变量（生产环境不得使用默认密钥）。")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("请设置 DATABASE_URL 环境变量（生产环境使用 PostgreSQL）。")

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": default_storage_from_env(),  # SUYUAN_STORAGE=s3 for several hosts (base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SUYUAN_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("SUYUAN_SMTP_PORT", "25")),
            "username": os.environ.get("SUYUAN_SMTP_USER", ""),
            "password": os.environ.get("SUYUAN_SMTP_PASSWORD", ""),
            "use_tls": os.environ.get("SUYUAN_SMTP_TLS", "") == "1",
        },
    }
}
