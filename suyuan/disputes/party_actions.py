"""What a party must do on a dispute, contributed by the stage apps (hook point for the party's portal).

The portal (a higher layer) lists, per dispute, the actions its party can take now: sign, consent, upload,
pay, apply, answer a survey. Each stage app knows its own (a mediation consent awaiting the party, an
instalment due, a satisfaction survey); it registers a provider from its ``AppConfig.ready()``:

    register_party_actions(provider)   # provider(user, dispute) -> iterable of PartyAction

A provider reads only; it must return nothing the user may not do (its app's permission check decides).
``due`` comes from a ``disputes.Clock`` or another rules-computed date, never a literal; ``citation`` names
its legal source when there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from suyuan.accounts.models import User

    from .models import Dispute


@dataclass(frozen=True)
class PartyAction:
    kind: str  # one of KINDS: what the button does
    title: str  # plain Chinese, addressed to the party: "签署调解协议"
    url: str  # the page where the party does it
    due: date | None = None  # by when, if the law or the plan sets a date
    citation: str = ""  # legal source of ``due`` ("民事诉讼法 第一百七十一条")
    explanation: str = ""  # one plain sentence: why, and what happens if not done


KINDS = {
    "sign": "签署",
    "consent": "同意",
    "upload": "上传材料",
    "pay": "缴费/付款",
    "apply": "申请",
    "answer": "答复",
    "survey": "评价",
}

Provider = Callable[["User", "Dispute"], Iterable[PartyAction]]
_PROVIDERS: list[Provider] = []


def register_party_actions(provider: Provider) -> None:
    """Add ``provider(user, dispute)``; called from a stage app's ``AppConfig.ready()``."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def party_actions(user: User, dispute: Dispute) -> list[PartyAction]:
    """Every action the party ``user`` can take now on ``dispute``, soonest due first."""
    actions = [action for provider in _PROVIDERS for action in provider(user, dispute)]
    return sorted(actions, key=lambda a: (a.due is None, a.due or date.max, a.title))
