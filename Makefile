# The few commands a newcomer needs. `make demo` and `make test` do all set-up themselves.
.PHONY: demo test lint fmt migrate shell clean

PORT ?= 8000

demo:  ## start the seeded demo (SQLite, web server and worker) on http://127.0.0.1:$(PORT)/
	PORT=$(PORT) scripts/demo.sh

test:  ## the whole suite against PostgreSQL and SQLite, browser tests included
	scripts/test.sh

lint:  ## ruff, import contracts, mypy, bandit (no HIGH findings) and known vulnerabilities of the locked deps
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy suyuan config
	.venv/bin/bandit -q -c config/security-exceptions.toml -r suyuan --severity-level high
	.venv/bin/python scripts/audit_deps.py

fmt:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

shell:
	.venv/bin/python manage.py shell

clean:  ## forget the demo database and uploaded files
	rm -rf var/
