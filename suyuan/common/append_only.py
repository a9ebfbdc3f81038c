"""Database triggers that make a table append-only (no UPDATE, no DELETE), on PostgreSQL and SQLite.

Used from migrations. The application never updates these rows; the trigger turns a bug or a
hand-edit into an error, and the hash chain (audit) detects what a superuser does around it.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Every append-only table, for tools that must know them (the SQLite test flush, see conftest.py).
APPEND_ONLY_TABLES = ("accounts_auditentry", "disputes_disputeevent", "mediation_consentrecord")


def create_triggers(connection: BaseDatabaseWrapper, table: str) -> None:
    message = f"{table} 为只追加表，禁止修改或删除"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS {table}_no_update ON {table};
                CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
                """
            )
        elif connection.vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
                )


def drop_triggers(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
            cursor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
        elif connection.vendor == "sqlite":
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")


def append_only(table: str) -> migrations.RunPython:
    """Create the triggers (idempotent). Add it again after any migration that rebuilds the table:
    SQLite's ALTER is a copy-and-rename, which drops the table's triggers."""
    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        create_triggers(schema_editor.connection, table)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        drop_triggers(schema_editor.connection, table)

    return migrations.RunPython(forwards, backwards, elidable=False)
