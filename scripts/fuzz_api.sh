#!/usr/bin/env bash
# R1, the longer drill: schemathesis over /api/v1/ with 5,000 generated cases (make test runs 1,000).
# SQLite by default; pass DATABASE_URL=postgres://... to fuzz against PostgreSQL. Prints the figure.
#   scripts/fuzz_api.sh                 # 5,000 cases
#   SUYUAN_FUZZ_CASES=20000 scripts/fuzz_api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export SUYUAN_FUZZ_CASES="${SUYUAN_FUZZ_CASES:-5000}"
export SUYUAN_FUZZ_RANDOM="${SUYUAN_FUZZ_RANDOM:-1}"  # new cases each run (the suite replays a fixed set)
exec .venv/bin/pytest -p no:cacheprovider tests/security/test_api_fuzz.py -q --durations=1 "$@"
