"""Which stage apps hold rows on a dispute, asked in one query (issue 16, P5; hook point).

The dispute page shows a panel per stage app and the party's portal asks every stage app for a
card's actions; most disputes have not reached most stages, yet each app asked its own tables for
each dispute (12 of the dispute page's 23 queries, most of the portal's 87). A stage app registers
its tables from its ``AppConfig.ready()``:

    register_stage_rows("mediation.referral", Referral)

and its readers skip a look-up whose table has no row on the dispute (``has_rows``). A read-only
page asks first, for its disputes, ``load_stage_rows``: one ``SELECT EXISTS(…), EXISTS(…) …`` for all
of them and all the tables, over every row of each table (no scope: a reader that finds rows still
applies its own scope, so what it shows is unchanged; a table without a row on the dispute would
have given it nothing to show).

The answer is kept on the dispute instances the page loaded (they live for one request), and only
those: ``has_rows`` on any other instance is True, so a service, a test or a page that did not ask
reads its tables as before and never sees a stale answer. Only read-only pages ask (the dispute
page's panels, the party's portal page of cards).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model

if TYPE_CHECKING:
    from .models import Dispute

_TABLES: dict[str, type[Model]] = {}
_ATTR = "_suyuan_stage_rows"


def register_stage_rows(name: str, model: type[Model]) -> None:
    """``model``: a stage table with a ``dispute`` key; its rows are asked without any scope."""
    _TABLES[name] = model
    _probe_sql.cache_clear()


def load_stage_rows(disputes: Iterable[Dispute]) -> None:
    """Answer ``has_rows`` for every dispute given, in one query (nothing when no table is registered)."""
    pending = {d.pk: d for d in disputes if getattr(d, _ATTR, None) is None}
    if not pending:
        return
    if not _TABLES:
        for d in pending.values():
            setattr(d, _ATTR, frozenset())
        return
    names = list(_TABLES)
    with connections[_alias()].cursor() as cursor:
        cursor.execute(_probe_sql(_alias(), tuple(names), len(pending)), list(pending))
        rows = cursor.fetchall()
    for pk, *present in rows:
        setattr(pending[pk], _ATTR, frozenset(name for name, yes in zip(names, present, strict=True) if yes))
    for d in pending.values():  # a dispute deleted meanwhile: nothing on it
        if getattr(d, _ATTR, None) is None:
            setattr(d, _ATTR, frozenset())


def _alias() -> str:
    from .models import Dispute

    return Dispute.objects.all().db


@functools.lru_cache(maxsize=64)
def _probe_sql(alias: str, names: tuple[str, ...], n: int) -> str:
    """``SELECT id, EXISTS(…), … FROM disputes_dispute WHERE id IN (…)`` for ``n`` disputes, written
    once per process and shape: as an ORM query its thirteen ``Exists`` cost ~1.5 ms of Python a page
    to build and compile (issue 16, P5). Only the table and column names come from the models; the
    dispute ids are parameters."""
    from .models import Dispute

    quote = connections[alias].ops.quote_name
    outer, pk = quote(Dispute._meta.db_table), quote(str(Dispute._meta.pk.column))
    flags = []
    for i, name in enumerate(names):
        model = _TABLES[name]
        if model._default_manager.get_queryset().query.has_filters():  # pragma: no cover  (none does)
            raise ImproperlyConfigured(f"{name}: a stage table's default manager must not filter its rows")
        column = quote(str(getattr(model._meta.get_field("dispute"), "column", "dispute_id")))
        inner = f"t{i}"
        flags.append(f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} {inner} "  # noqa: S608  (names, no values)
                     f"WHERE {inner}.{column} = {outer}.{pk})")
    marks = ", ".join(["%s"] * n)
    return f"SELECT {outer}.{pk}, {', '.join(flags)} FROM {outer} WHERE {outer}.{pk} IN ({marks})"  # noqa: S608


def has_rows(dispute: Dispute, name: str) -> bool:
    """False only when ``load_stage_rows`` was asked for this dispute instance and the table ``name``
    has no row on it; otherwise True (the reader asks its table as it always did)."""
    loaded: frozenset[str] | None = getattr(dispute, _ATTR, None)
    return loaded is None or name not in _TABLES or name in loaded
