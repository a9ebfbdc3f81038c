"""The asset search and control facts (suyuan.assets) that the enforcement case reads and records.

Registered from ``EnforcementConfig.ready``: the assets app cannot import this one, so it calls
the callbacks of ``suyuan.assets.hooks`` (measure placed, deducted) and the after-steps of its
search lifecycle, inside its own transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.assets import hooks as asset_hooks
from suyuan.assets.choices import MeasureStatus, SearchStatus
from suyuan.assets.lifecycle import ASSET_SEARCH
from suyuan.assets.models import Asset, AssetSearch, Measure
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import Transition

from . import conclusion, conditions, tracks
from .models import EnforcementCase

PREFIX = "enforcement:"


def case_id_of(holder: str) -> int | None:
    kind, _, pk = holder.partition(":")
    return int(pk) if kind + ":" == PREFIX and pk.isdigit() else None


def _debtor_searches(case: EnforcementCase) -> Any:
    return AssetSearch.objects.filter(holder=case.holder, party_id=case.respondent_id)


def first_search_found(case: EnforcementCase) -> bool | None:
    """Did the first completed network search of the debtor find anything? None: none completed yet."""
    first = _debtor_searches(case).filter(status=SearchStatus.COMPLETED).order_by("completed_at", "pk").first()
    if first is None:
        return None
    return Asset.objects.filter(search=first).exists()


def on_measure_placed(measure: Measure, origin: Origin) -> None:
    case_id = case_id_of(measure.holder)
    if case_id is not None:
        conclusion.record_first_measure(case_id=case_id, at=measure.placed_at or timezone.now())


def on_measure_deducted(measure: Measure, paid: Decimal) -> None:
    """扣划 pays the applicant: the case's 执行到位 rises by what the institution paid out."""
    case_id = case_id_of(measure.holder)
    if case_id is None:
        return
    case = EnforcementCase.objects.select_for_update().select_related("dispute").filter(pk=case_id).first()
    if case is None:
        return
    # What exceeds the claim is not the applicant's (it goes back to the debtor): never count it.
    counted = min(paid, case.outstanding)
    case.recovered += counted
    case.version += 1
    case.save(update_fields=["recovered", "version"])
    summary = (f"扣划{measure.asset.institution} {measure.asset.masked_identifier} {paid} 元，"
               f"累计执行到位 {case.recovered} 元，尚欠 {case.outstanding} 元")
    if counted < paid:
        summary += f"；超出执行标的的 {paid - counted} 元应退还被执行人"
    append_event(dispute=case.dispute, kind="enforcement.recovered", title="执行款到位", actor=None, origin=WORKER,
                 summary=summary, data={"case": case.pk, "measure": measure.pk, "amount": str(counted),
                                        "paid": str(paid), "recovered": str(case.recovered)})


def on_search_step(search: AssetSearch, row: Transition, actor: User | None, origin: Origin,
                   payload: dict[str, Any]) -> None:
    """The first completed search of the debtor re-runs the triage (简案快执 needs found assets)."""
    if row.target != SearchStatus.COMPLETED:
        return
    case_id = case_id_of(search.holder)
    if case_id is None:
        return
    case = EnforcementCase.objects.filter(pk=case_id).first()
    if case is None or search.party_id != case.respondent_id or case.status not in tracks.OPEN_STATES:
        return
    earlier = _debtor_searches(case).filter(status=SearchStatus.COMPLETED).exclude(pk=search.pk).exists()
    if not earlier:
        tracks.suggest_track(case=case, origin=origin)


def _assets_exhausted(case: EnforcementCase, on: date) -> conditions.Verdict:
    """法〔2016〕373号 第一条第三项, read from the debtor's network searches and the measures."""
    searches = _debtor_searches(case)
    if not searches.filter(status=SearchStatus.COMPLETED).exists():
        # A search may have been made outside the platform (点对点 by paper): the officer says so.
        return conditions.Verdict(conditions.UNKNOWN, "本平台没有已完成的网络查控记录；如已通过其他途径穷尽财产调查，"
                                  "请写明查询途径及结果。")
    if searches.filter(status__in=[SearchStatus.QUEUED, SearchStatus.RUNNING, SearchStatus.PARTIAL]).exists():
        return conditions.Verdict(conditions.UNMET, "仍有财产查询尚未完成，请待查询结果返回。")
    last = searches.filter(status=SearchStatus.COMPLETED).order_by("-completed_at", "-pk").first()
    assert last is not None
    assets = Asset.objects.filter(holder=case.holder, party_id=case.respondent_id)
    active = Measure.objects.filter(asset__in=assets, status=MeasureStatus.ACTIVE).count()
    uncontrolled = assets.filter(measures__isnull=True).count()
    when = f"{timezone.localtime(last.completed_at):%Y-%m-%d}" if last.completed_at else ""
    if not assets.exists():
        return conditions.Verdict(conditions.MET, f"网络查控（{when}）未发现被执行人可供执行的财产。")
    if active or uncontrolled:
        return conditions.Verdict(conditions.UNKNOWN, f"已发现财产 {assets.count()} 项，其中 {active} 项仍在控制中、"
                                  f"{uncontrolled} 项未采取措施：请执行员确认发现的财产不能处置。")
    return conditions.Verdict(conditions.MET,
                              f"网络查控（{when}）发现的财产已全部扣划或解除，未发现其他可供执行的财产。")


def connect() -> None:
    tracks.first_search_found = first_search_found
    asset_hooks.on_measure_placed(on_measure_placed)
    asset_hooks.on_measure_deducted(on_measure_deducted)
    if on_search_step not in ASSET_SEARCH.after:
        ASSET_SEARCH.after.append(on_search_step)
    conditions.register(conditions.Condition(
        "assets_exhausted", "已穷尽财产调查措施，未发现可供执行的财产或发现的财产不能处置",
        f"{conditions.CITATION}第三项", _assets_exhausted))

