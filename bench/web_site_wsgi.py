"""WSGI entry for bench/web.py's server (settings: bench/web_site.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "web_site"
application = get_wsgi_application()
