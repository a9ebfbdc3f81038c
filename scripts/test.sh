#!/usr/bin/env bash
# The whole suite, as CI runs it: set-up, lint, then every test against PostgreSQL and SQLite.
# Extra arguments go to pytest (e.g. scripts/test.sh -k timeline).
set -euo pipefail
cd "$(dirname "$0")/.."
DEBIAN_PACKAGES="postgresql redis-server nodejs chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0" scripts/bootstrap.sh

echo "==> 浏览器端工具 / browser-side test tools (axe-core, from package-lock.json)"
npm ci --no-audit --no-fund --silent

echo "==> 代码检查 / lint"
.venv/bin/ruff check .
importlog="$(mktemp)"
.venv/bin/lint-imports --no-cache >"$importlog" 2>&1 || { tail -n 40 "$importlog"; exit 1; }
.venv/bin/mypy suyuan config
# Supply chain (R10, docs/reliability.md): no HIGH bandit finding, no known vulnerability in uv.lock.
.venv/bin/bandit -q -c config/security-exceptions.toml -r suyuan --severity-level high
.venv/bin/python scripts/audit_deps.py

pgdir="$(mktemp -d /tmp/suyuan-pg.XXXXXX)"
port="${SUYUAN_TEST_PG_PORT:-$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
redisdir="$(mktemp -d /tmp/suyuan-redis.XXXXXX)"
redisport="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
trap 'scripts/pg.sh stop "$pgdir"; scripts/redis.sh stop "$redisdir"' EXIT
scripts/pg.sh start "$pgdir" "$port"
# The RQ task backend's broker: the worker and notification tests run on it and on the database queue.
scripts/redis.sh start "$redisdir" "$redisport"
export SUYUAN_TEST_REDIS_URL="redis://127.0.0.1:$redisport/0"

export DJANGO_ALLOW_ASYNC_UNSAFE=true
mkdir -p test-artifacts
status=0
echo "==> PostgreSQL"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/suyuan" SUYUAN_TEST_DB_LABEL=postgresql \
  .venv/bin/pytest -p no:cacheprovider "$@" || status=$?
echo "==> SQLite"
DATABASE_URL="sqlite:///$pgdir/suyuan-test.sqlite3" SUYUAN_TEST_DB_LABEL=sqlite \
  .venv/bin/pytest -p no:cacheprovider "$@" || status=$?
exit $status
