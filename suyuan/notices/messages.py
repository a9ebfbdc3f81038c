"""Chinese message templates per event kind, as data.

Keys are event kinds: intake kinds (``recorded`` …), ``<lifecycle>.<action>`` for workflow steps,
``<lifecycle>.*`` for any step of a lifecycle, ``clock.*`` for deadlines. The most specific key
wins; ``GENERIC`` is the fallback. Placeholders: {number} (dispute number), {title} (event title),
{summary} (event summary, with ID numbers and phone numbers masked), {dispute} (dispute name),
{actor} (who acted). SMS texts start with the platform's signature, as gateways require.
"""

from __future__ import annotations

GENERIC = "您的纠纷 {number} 有新进展：{title}"
SMS_SIGNATURE = "【诉源】"

TEMPLATES: dict[str, str] = {
    "recorded": "纠纷 {number}（{dispute}）已登记。您可以用手机号和身份证号登录诉源，随时查看进度和需要您办理的事项。",
    "evidence_added": "纠纷 {number} 有新提交的证据：{summary}",
    "details_updated": "纠纷 {number} 的信息已更新：{summary}",
    "duplicate_suspected": "您登记的纠纷 {number} 与已有纠纷疑似重复，请核查。",
    "triage_decided": "纠纷 {number} 已完成繁简分流：{summary}",
    "dispute.refer_to_mediation": "纠纷 {number} 已交给调解组织调解，调解员将与您联系。是否调解由您自愿决定。",
    "dispute.refer_again": "纠纷 {number} 已重新委派调解。",
    "dispute.settle": "纠纷 {number} 调解成功，双方已达成调解协议。双方可在法定期限内共同申请司法确认"
                      "（法院确认后，对方不履行可直接申请强制执行），截止日期请登录查看。",
    "dispute.fail_mediation": "纠纷 {number} 调解未成：{summary}",
    "dispute.withdraw": "纠纷 {number} 已撤回。",
    "dispute.apply_confirmation": "纠纷 {number} 已申请司法确认，法院将审查调解协议并作出裁定。",
    "dispute.confirm": "纠纷 {number} 的调解协议已经法院裁定确认有效，请按协议履行。",
    "dispute.reject_confirmation": "纠纷 {number} 的司法确认申请被裁定驳回：{summary}",
    "dispute.file_suit": "纠纷 {number} 已向法院起诉。",
    "dispute.judge": "纠纷 {number} 已作出判决。请按判决书和履行告知书按期履行；不服判决的，可在上诉期内提起上诉。",
    "dispute.confirm_performance": "纠纷 {number} 已确认履行完毕。",
    "dispute.apply_enforcement": "纠纷 {number} 已申请强制执行。",
    "dispute.conclude_enforcement": "纠纷 {number} 的强制执行已结束（执行完毕或依法终结），详情请登录查看。",
    "clock.reminder": "纠纷 {number} 期限提醒：{summary}",
    "clock.overdue": "纠纷 {number} 期限已届满：{summary}",
    "clock.extend": "纠纷 {number} 的期限已依法延长：{summary}",
}


def template_for(kind: str) -> tuple[str, str]:
    """(template key, template text) for an event kind: exact, then ``<lifecycle>.*``, then generic."""
    if kind in TEMPLATES:
        return kind, TEMPLATES[kind]
    prefix = kind.split(".", 1)[0] + ".*"
    if "." in kind and prefix in TEMPLATES:
        return prefix, TEMPLATES[prefix]
    return "generic", GENERIC
