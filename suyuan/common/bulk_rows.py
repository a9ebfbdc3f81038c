"""Writing many new rows of a model at once: on PostgreSQL by ``COPY`` of tuples, elsewhere by
``bulk_create``.

``bulk_create`` spends most of a batch import's write stage in Python, not in the database: it
prepares every value of every object through its field (``get_db_prep_save``, ~90 values per
dispute), compiles them into one long multi-row INSERT, and psycopg then quotes every value into
the statement (Django's client-side binding). Here each value goes straight to psycopg's ``COPY``
dumpers unless its field needs Django's own preparation (JSON, IP addresses, custom fields).

* ``copy_new(objs)``: model instances built as usual (``Model.__init__`` fills the defaults; the
  ``auto_now``/``auto_now_add`` fields are set as ``pre_save`` sets them); their keys come from
  one ``nextval`` call for the whole batch, so the objects get their primary keys, in order, as
  ``bulk_create`` gives them. For rows the caller goes on using (disputes, events).
* ``reserve_keys([(model, n), …])``: the keys of several models' new rows in one statement, for
  ``copy_new(objs, keys=…)`` (a batch chunk writes parties, disputes, party rows and events).
* ``copy_values(model, rows)``: rows as ``{attname: value}``, no instances (building one costs
  more than writing it: a foreign key set through its descriptor, every default looked up); the
  fields left out take their defaults, evaluated once per call (``auto_now``/``auto_now_add``:
  the time of the call). For rows nobody reads back in the transaction (claims, notices).
* ``new_instance(model, values, related)``: an unsaved instance built without ``Model.__init__``
  (the attributes written straight into its ``__dict__``, the related objects into its cache):
  what ``Model(**kwargs)`` gives for these values, at a fraction of the cost (``__init__`` sets
  each foreign key through its descriptor and looks every default up). For the rows a batch
  builds by the thousand (disputes, their party rows, events).

The values of a plain field (``_PLAIN_FIELDS``) go to psycopg as they are, without a check per
value (a ``TextChoices`` member is dumped as its value; a value psycopg cannot adapt raises); a
column whose first value is not of a plain type goes through its field, as the other fields do.

Triggers and constraints run as for an INSERT (``COPY`` fires row triggers and checks every
index); the rows are in the caller's transaction and roll back with it; a failing index raises
Django's ``IntegrityError``. ``ignore_conflicts`` copies into a per-session staging table and
moves the rows on with ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (keys from the column
default). Fewer than ``COPY_MIN_ROWS`` rows, or another database: ``bulk_create``.
See docs/decisions/0014-bulk-rows-by-copy.md.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.base import ModelState
from django.utils import timezone

# Fields whose value of a plain type is what the column stores as it is (psycopg adapts it).
_PLAIN_FIELDS = (
    models.AutoField, models.BigAutoField, models.SmallAutoField,
    models.CharField, models.TextField, models.SlugField, models.EmailField,
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
    models.BooleanField, models.DecimalField, models.DateField, models.DateTimeField,
    models.ForeignKey, models.OneToOneField,
)
_PLAIN_VALUES = (str, int, bool, Decimal, datetime, date, type(None))

# Below this many rows one INSERT is as quick as COPY's two statements (keys, then rows), and the
# outbox rows of a single event (every write of a dispute: a few recipients) keep their one statement.
COPY_MIN_ROWS = 10

Column = tuple[str, str, Any, bool]  # (attname, quoted column, field, whether a plain value goes as it is)


def copy_new[M: models.Model](objs: Sequence[M], *, ignore_conflicts: bool = False,
                               keys: Sequence[int] | None = None) -> Sequence[M]:
    """Insert the new ``objs`` (all of one model, keys unset) and return them, marked saved with
    their keys set (unless ``ignore_conflicts``, as ``bulk_create``). ``keys``: the keys
    ``reserve_keys`` gave for them (else they are drawn here, one statement more)."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(objs) < COPY_MIN_ROWS:
        return model._default_manager.using(alias).bulk_create(list(objs), ignore_conflicts=ignore_conflicts)
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    auto = [f for f in opts.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in auto:
            field.pre_save(obj, add=True)
    columns = _columns(model)
    if ignore_conflicts:
        without_pk = [c for c in columns if c[0] != pk.attname]
        getter = _getter([c[0] for c in without_pk])
        _write(connection, model, without_pk, [getter(o.__dict__) for o in objs], ignore_conflicts=True)
    elif keys is not None:
        assert len(keys) == len(objs), "one reserved key per object"
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, key)
        getter = _getter([c[0] for c in columns])
        _write(connection, model, columns, [getter(o.__dict__) for o in objs], ignore_conflicts=False)
    else:
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.cursor.execute(
                # The sequence looked up once (a materialised CTE): in the select list the lookup,
                # a catalogue search by name, ran for every key and cost more than the keys.
                "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq)"
                " SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
                [opts.db_table, pk.column, len(objs)],
            )
            keys = sorted(row[0] for row in cursor.cursor.fetchall())
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, pk.attname, key)
        getter = _getter([c[0] for c in columns])
        _write(connection, model, columns, [getter(o.__dict__) for o in objs], ignore_conflicts=False)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def reserve_keys(wanted: Sequence[tuple[type[models.Model], int]]) -> list[list[int] | None]:
    """Keys, in order, for the new rows of several models that ``copy_new`` will copy, drawn from
    their sequences in one statement (instead of one per model). ``None`` for a model whose rows
    will not be copied (another database, fewer than ``COPY_MIN_ROWS``): ``copy_new`` then goes
    by ``bulk_create``, whose keys come from the INSERT."""
    reserved: list[list[int] | None] = [None] * len(wanted)
    drawn = [(i, model, n) for i, (model, n) in enumerate(wanted)
             if n >= COPY_MIN_ROWS and connections[router.db_for_write(model)].vendor == "postgresql"]
    if not drawn:
        return reserved
    connection = connections[router.db_for_write(drawn[0][1])]
    sequences: list[str] = []
    params: list[object] = []
    for i, model, _ in drawn:
        pk = model._meta.pk
        assert pk is not None
        sequences.append(f"pg_get_serial_sequence(%s, %s)::regclass AS q{i}")
        params += [model._meta.db_table, pk.column]
    # Each sequence looked up once (the materialised CTE), each model's keys from its own.
    selects = []
    for i, _, n in drawn:
        selects.append(f"SELECT {i}, nextval(s.q{i}) FROM s, generate_series(1, %s)")  # noqa: S608 (indexes only)
        params.append(n)
    sql = f"WITH s AS MATERIALIZED (SELECT {', '.join(sequences)}) {' UNION ALL '.join(selects)}"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.execute(sql, params)
        rows = cursor.cursor.fetchall()
    for i, _, _ in drawn:
        reserved[i] = sorted(key for which, key in rows if which == i)
    return reserved


def copy_values(model: type[models.Model], rows: Sequence[Mapping[str, Any]], *,
                ignore_conflicts: bool = False) -> int:
    """Insert new rows of ``model`` given as ``{attname: value}`` (keys from the column default);
    return how many were handed to the database (with ``ignore_conflicts``, some may be skipped)."""
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(rows) < COPY_MIN_ROWS:
        model._default_manager.using(alias).bulk_create([model(**row) for row in rows],
                                                        ignore_conflicts=ignore_conflicts)
        return len(rows)
    pk = model._meta.pk
    assert pk is not None
    columns = [c for c in _columns(model) if c[0] != pk.attname]
    now = timezone.now()
    defaults = {}
    for attname, _, field, _ in columns:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[attname] = now
        else:
            defaults[attname] = field.get_default()
    given = list(rows[0])
    unknown = set(given) - set(defaults)
    if unknown:
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)[0]!r}")
    # Every row has the first row's keys (a row without one raises KeyError); the columns left
    # out follow them with their defaults, the same on every row.
    by_name = {c[0]: c for c in columns}
    rest = [c for c in columns if c[0] not in rows[0]]
    ordered = [by_name[name] for name in given] + rest
    tail = tuple(defaults[c[0]] for c in rest)
    getter = _getter(given)
    _write(connection, model, ordered, [getter(row) + tail for row in rows], ignore_conflicts=ignore_conflicts)
    return len(rows)


def _write(connection: BaseDatabaseWrapper, model: type[models.Model], columns: list[Column],
           records: list[tuple[Any, ...]], *, ignore_conflicts: bool) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(c[1] for c in columns)
    started = time.perf_counter()
    # The driver's cursor, under Django's translation of its errors (a unique index that fails
    # raises ``django.db.IntegrityError``, which the batch import's fallback catches).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if ignore_conflicts:
            staging = connection.ops.quote_name(f"copy_new_{model._meta.db_table}")
            # A per-session table of the columns, without constraints: created once, emptied after use.
            raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
            _copy(raw, f"COPY {staging} ({names}) FROM STDIN", records, columns, connection)
            raw.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} ON CONFLICT DO NOTHING")  # noqa: S608
            raw.execute(f"DELETE FROM {staging}")  # noqa: S608
            sql = f"COPY {table} ({names}) … ON CONFLICT DO NOTHING"
        else:
            sql = f"COPY {table} ({names}) FROM STDIN"
            _copy(raw, sql, records, columns, connection)
    if connection.queries_logged:  # as the debug cursor logs a statement
        elapsed = time.perf_counter() - started
        connection.queries_log.append({"sql": f"{sql} -- {len(records)} rows", "time": f"{elapsed:.3f}"})


def _copy(raw: Any, statement: str, records: Sequence[tuple[Any, ...]], columns: list[Column],
          connection: BaseDatabaseWrapper) -> None:
    """``records``: tuples in the order of ``columns``. A plain field's value goes as it is; the
    other fields' values through their field's ``get_db_prep_save``, and so do a plain field's
    when the first row's is not of a plain type."""
    first = records[0] if records else ()
    prepared = [(i, field) for i, ((_, _, field, plain), value) in enumerate(zip(columns, first, strict=True))
                if not (plain and isinstance(value, _PLAIN_VALUES))]
    with raw.copy(statement) as copy:
        write = copy.write_row
        if not prepared:
            for values in records:
                write(values)
            return
        for values in records:
            row = list(values)
            for i, field in prepared:
                row[i] = field.get_db_prep_save(row[i], connection)
            write(row)


def _getter(names: Sequence[str]) -> Any:
    """A tuple of these keys' values (one key: a tuple of one)."""
    if len(names) == 1:
        only = names[0]
        return lambda record: (record[only],)
    return itemgetter(*names)


def new_instance[M: models.Model](model: type[M], values: Mapping[str, Any],
                                  related: Mapping[str, models.Model | None] = {}) -> M:
    """An unsaved ``model`` instance with ``values`` (by attname) and the other fields' defaults,
    as ``Model.__init__`` builds it, without its cost: the values go straight into the
    instance's ``__dict__``. ``related``: field name → related object (or None), set as the
    foreign key's descriptor sets it (its key in the attname, the object cached)."""
    obj = model.__new__(model)
    obj._state = ModelState()
    static, dynamic, fks = _blank(model)
    attrs = obj.__dict__
    attrs.update(static)
    for attname, field in dynamic:
        attrs[attname] = field.get_default()
    attrs.update(values)
    if related:
        state = obj._state
        cache = state.fields_cache
        for name, other in related.items():
            attname, target = fks[name]
            cache[name] = other
            if other is None:
                attrs[attname] = None
                continue
            attrs[attname] = getattr(other, target)
            # The databases, as the descriptor sets them (the first related object routes the new one).
            if state.db is None:
                state.db = router.db_for_write(model, instance=other)
            if other._state.db is None:
                other._state.db = router.db_for_write(type(other), instance=obj)
    return obj


@functools.cache
def _blank(model: type[models.Model]) -> tuple[dict[str, Any], list[tuple[str, Any]], dict[str, tuple[str, str]]]:
    """Per model: the defaults that are the same object on every instance (as ``get_default``
    gives them), the fields whose default is called per instance, and per foreign key its attname
    and the related model's attribute it holds."""
    static: dict[str, Any] = {}
    dynamic: list[tuple[str, Any]] = []
    fks: dict[str, tuple[str, str]] = {}
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            dynamic.append((field.attname, field))
        else:
            static[field.attname] = field.get_default()
        if field.is_relation and field.many_to_one:
            fks[field.name] = (field.attname, field.target_field.attname)  # type: ignore[attr-defined]
    return static, dynamic, fks


@functools.cache
def _columns(model: type[models.Model]) -> list[Column]:
    """Per concrete field: its attribute, its quoted column, the field (whose ``get_db_prep_save``
    prepares a value) and whether a value of a plain type is stored as it is."""
    return [(f.attname, f'"{f.column}"', f, type(f) in _PLAIN_FIELDS) for f in model._meta.concrete_fields]
