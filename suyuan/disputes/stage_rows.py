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

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, Model, OuterRef

if TYPE_CHECKING:
    from .models import Dispute

_TABLES: dict[str, type[Model]] = {}
_ATTR = "_suyuan_stage_rows"


def register_stage_rows(name: str, model: type[Model]) -> None:
    """``model``: a stage table with a ``dispute`` key; its rows are asked without any scope."""
    _TABLES[name] = model


def load_stage_rows(disputes: Iterable[Dispute]) -> None:
    """Answer ``has_rows`` for every dispute given, in one query (nothing when no table is registered)."""
    pending = {d.pk: d for d in disputes if getattr(d, _ATTR, None) is None}
    if not pending:
        return
    if not _TABLES:
        for d in pending.values():
            setattr(d, _ATTR, frozenset())
        return
    from .models import Dispute

    names = list(_TABLES)
    flags = {f"s{i}": Exists(_TABLES[name]._default_manager.filter(dispute_id=OuterRef("pk")))
             for i, name in enumerate(names)}
    rows = Dispute.objects.filter(pk__in=list(pending)).annotate(**flags).values_list("pk", *flags)
    for pk, *present in rows:
        setattr(pending[pk], _ATTR, frozenset(name for name, yes in zip(names, present, strict=True) if yes))
    for d in pending.values():  # a dispute deleted meanwhile: nothing on it
        if getattr(d, _ATTR, None) is None:
            setattr(d, _ATTR, frozenset())


def has_rows(dispute: Dispute, name: str) -> bool:
    """False only when ``load_stage_rows`` was asked for this dispute instance and the table ``name``
    has no row on it; otherwise True (the reader asks its table as it always did)."""
    loaded: frozenset[str] | None = getattr(dispute, _ATTR, None)
    return loaded is None or name not in _TABLES or name in loaded
