#!/usr/bin/env bash
# The one-command demo: embedded SQLite under var/, seeded Shizuishan data, web server + worker.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBIAN_PACKAGES="fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0" scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.demo
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py seed_demo
.venv/bin/python manage.py integrity_index
.venv/bin/python manage.py triage_propose
exec .venv/bin/python manage.py serve_demo --port "${PORT:-8000}"
