"""Writes of the assets app: searches and clues here; measures in ``measures.py`` (re-exported)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes.events import append_event
from suyuan.disputes.models import DisputeParty

from .choices import AssetKind, AssetSource
from .common import locked_dispute, money
from .measures import (  # noqa: F401 - the interface: one import path for every write
    deduct_measure,
    expire_measure,
    place_measure,
    release_measure,
    renew_measure,
    substitute_asset,
    transfer_measures,
)
from .models import Asset, AssetSearch
from .scope import check_may_act, holder_kind


def _check_party(dispute_id: int, party_id: int) -> None:
    if not DisputeParty.objects.filter(dispute_id=dispute_id, party_id=party_id).exists():
        raise InvalidInput("被查询人必须是本纠纷的当事人。", errors={"party_id": ["被查询人必须是本纠纷的当事人。"]})


def request_search(*, actor: User, origin: Origin, dispute_id: int, holder: str, party_id: int,
                   kinds: Sequence[str]) -> AssetSearch:
    """Queue a network search; the worker (``tasks.run_asset_search``) asks the registry."""
    holder_kind(holder)
    wanted = list(dict.fromkeys(kinds))
    bad = [k for k in wanted if k not in AssetKind.values or k == AssetKind.OTHER]
    if not wanted or bad:
        message = "请选择银行存款、不动产、机动车、证券、网络支付账户或股权。"
        raise InvalidInput("请选择要查询的财产类型。", errors={"kinds": [message]})
    with transaction.atomic():
        dispute = locked_dispute(dispute_id)
        check_may_act(actor, holder, dispute)
        _check_party(dispute_id, party_id)
        if AssetSearch.objects.filter(holder=holder, party_id=party_id, status__in=["queued", "running"]).exists():
            raise Conflict("该当事人已有正在进行的财产查询，请等待结果。")
        search = AssetSearch.objects.create(dispute=dispute, holder=holder, party_id=party_id, kinds=wanted,
                                            requested_by=actor)
        labels = "、".join(str(AssetKind(k).label) for k in wanted)
        append_event(dispute=dispute, kind="asset_search.requested", title="提交财产查询", actor=actor, origin=origin,
                     summary=f"通过查控网络查询{search.party.name}的{labels}",
                     data={"search": search.pk, "holder": holder, "kinds": wanted})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="asset_search",
                     target_id=search.pk, detail={"dispute": dispute.number, "holder": holder})
        transaction.on_commit(lambda: enqueue_search(search.pk))
    return search


def enqueue_search(search_id: int, *, delay_seconds: int = 0) -> None:
    from .tasks import run_asset_search

    task = run_asset_search
    if delay_seconds:
        from datetime import timedelta

        from django.utils import timezone

        task = task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    task.enqueue(search_id)


def add_clue(*, actor: User, origin: Origin, dispute_id: int, holder: str, party_id: int, kind: str,
             institution: str, identifier: str, description: str = "", value: Any = None) -> Asset:
    """Record a property clue (财产线索) the applicant gave (财产保全规定 第十一条; 执行中 申请执行人提供)."""
    holder_kind(holder)
    errors: dict[str, list[str]] = {}
    if kind not in AssetKind.values:
        errors["kind"] = ["请选择财产类型。"]
    institution, identifier, description = institution.strip(), identifier.strip(), description.strip()
    if not institution or len(institution) > 100:
        errors["institution"] = ["请填写开户行、登记机关或车管所等机构名称（100 字以内）。"]
    if not identifier or len(identifier) > 80:
        errors["identifier"] = ["请填写账号、不动产权证号或号牌号码（80 字以内）。"]
    if len(description) > 300:
        errors["description"] = ["财产描述不得超过 300 字。"]
    amount: Decimal | None = None
    if value not in (None, ""):
        try:
            amount = money(value, "value", allow_zero=True)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput("财产线索有误，请修改后重新提交。", errors=errors)
    with transaction.atomic():
        dispute = locked_dispute(dispute_id)
        check_may_act(actor, holder, dispute)
        _check_party(dispute_id, party_id)
        try:
            with transaction.atomic():
                asset = Asset.objects.create(dispute=dispute, holder=holder, party_id=party_id, kind=kind,
                                             institution=institution, identifier=identifier,
                                             description=description, value=amount, source=AssetSource.CLUE)
        except IntegrityError:
            raise Conflict("该财产已登记，无需重复提交。") from None
        append_event(dispute=dispute, kind="asset.clue", title="登记财产线索", actor=actor, origin=origin,
                     summary=f"{AssetKind(kind).label}：{institution} {asset.masked_identifier}",
                     data={"asset": asset.pk, "holder": holder, "kind": kind})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="asset",
                     target_id=asset.pk, detail={"dispute": dispute.number, "holder": holder})
    return asset
