"""Disputes over the JSON API (v1): record, list, read, timeline. Thin: parse, call, render."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Header, Path, Query, Router, Status

from suyuan.accounts.api import ErrorOut
from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict
from suyuan.common.idempotency import HEADER, run_idempotent
from suyuan.common.paging import capped_count

from . import permissions, selectors
from .models import DisputeParty
from .schemas import (
    DisputeCreate,
    DisputeDetail,
    DisputePage,
    DisputeQuery,
    EventOut,
    dispute_detail,
    dispute_summary,
    event_out,
)
from .services import record_dispute

router = Router(tags=["纠纷"])

NumberPath = Annotated[str, Path(..., description="纠纷编号，如 SY-2026-000123")]
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.post(
    "",
    response={201: DisputeDetail, 200: DisputeDetail, 409: ErrorOut, **ERRORS},
    summary="登记纠纷",
    description=(
        "登记一件新纠纷并返回其终身编号（201）。当事人信息在返回中脱敏。"
        "带 `Idempotency-Key` 请求头重试时，返回首次请求的结果而不重复登记；同一键用于不同内容返回 422。"
        "`source_ref` 已登记过时返回已登记的纠纷（200）。"
    ),
)
def create_dispute(
    request: HttpRequest,
    payload: DisputeCreate,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None, alias=HEADER, description="幂等键（不超过 200 个字符）：同一用户以同一键重试，不会重复登记"
    ),
) -> Any:
    actor = _actor(request)
    origin = Origin.from_request(request, via="api")

    def work() -> tuple[int, Any]:
        recorded = record_dispute(actor=actor, origin=origin, data=payload.to_input())
        dispute = recorded.dispute
        if not recorded.created and not selectors.visible_disputes(actor).filter(pk=dispute.pk).exists():
            # The source reference is someone else's: do not hand their dispute over.
            raise Conflict("该来源编号已被使用，请核对来源编号。", errors={"source_ref": ["来源编号已被使用。"]})
        # The creator typed these details; the answer (which may be stored for replays) is masked.
        body = dispute_detail(
            dispute, selectors.parties_of(dispute), list(dispute.claims.all()), full=False
        ).model_dump(mode="json")
        return (201 if recorded.created else 200), body

    outcome = run_idempotent(
        user=actor, key=idempotency_key, endpoint="POST /disputes", payload=payload.model_dump(mode="json"), work=work
    )
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(outcome.status_code, outcome.body)


@router.get(
    "",
    response={200: DisputePage, **ERRORS},
    summary="纠纷列表",
    description="按关键词、状态、类别、渠道、发生地和登记日期筛选您有权查看的纠纷；分页返回，个人信息一律脱敏。",
)
def list_disputes(request: HttpRequest, filters: Query[DisputeQuery]) -> Any:
    qs = selectors.dispute_list(_actor(request), filters.to_filters())
    # Counted up to the cap or one row past the requested page, whichever is further (a court's
    # 300,000 disputes are not counted on every call): exact below it, a lower bound above it.
    total, capped = capped_count(qs, past=filters.offset + filters.limit)
    page = qs.prefetch_related(
        Prefetch("dispute_parties", queryset=DisputeParty.objects.select_related("party"))
    )[filters.offset : filters.offset + filters.limit]
    return DisputePage(
        total=total, total_capped=capped, limit=filters.limit,
        offset=filters.offset, items=[dispute_summary(d) for d in page],
    )


@router.get(
    "/{number}",
    response={200: DisputeDetail, **ERRORS},
    summary="纠纷详情",
    description=(
        "返回纠纷的全部信息。立案、审判、执行和调解人员可见当事人完整个人信息（每次查看记入审计日志），"
        "其他角色看到脱敏信息；当事人可见本人完整信息。无权查看或不存在时均返回 404。"
    ),
)
def read_dispute(request: HttpRequest, number: NumberPath) -> Any:
    actor = _actor(request)
    dispute = selectors.get_visible_dispute(actor, number)
    full = permissions.sees_full_personal_data(actor)
    parties = selectors.parties_of(dispute)
    body = dispute_detail(
        dispute, parties, list(dispute.claims.all()), full=full,
        own_party_id=actor.party_id if actor.role == Role.PARTY else None,
    )
    if full:
        record_audit(
            actor=actor, action=AuditAction.READ_PERSONAL_DATA, origin=Origin.from_request(request, via="api"),
            target_type="dispute", target_id=dispute.number, detail={"parties": len(parties)},
        )
    return body


@router.get(
    "/{number}/timeline",
    response={200: list[EventOut], **ERRORS},
    summary="纠纷时间线",
    description="按顺序返回纠纷的全部节点事件：谁、何时、通过何种途径、做了什么。",
)
def dispute_timeline(request: HttpRequest, number: NumberPath) -> Any:
    dispute = selectors.get_visible_dispute(_actor(request), number)
    return [event_out(e) for e in selectors.timeline(dispute)]
