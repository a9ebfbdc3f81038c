"""The asset registry adapter: the one door to the outside networks (总对总/点对点 查控系统).

A real connection (the Supreme People's Court's 总对总 network, or a local 点对点 link with a bank
or the real-estate register) implements ``AssetRegistry``; ``LocalRegistry`` (local_registry.py)
is the working local implementation used in development, tests and the demo. docs/assets.md
describes the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class RegistryError(Exception):
    """Base class of the registry's failures (never shown to users as is)."""


class RegistryTimeout(RegistryError):
    """The registry did not answer in time; the request may be retried."""


class RegistryUnavailable(RegistryError):
    """The registry (or the institution) refused or is down; the request may be retried later."""


@dataclass(frozen=True)
class Subject:
    """Whose assets: a natural person by ID number, an organisation by unified credit code."""

    name: str
    kind: str  # parties.PartyKind value
    identity: str  # 公民身份号码 or 统一社会信用代码


@dataclass(frozen=True)
class AssetRecord:
    kind: str
    institution: str
    identifier: str
    description: str = ""
    value: Decimal | None = None


@dataclass(frozen=True)
class SearchResponse:
    records: list[AssetRecord]
    # Institutions that did not answer (yet): the result is partial, ask them again later.
    pending_sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AssetRef:
    kind: str
    institution: str
    identifier: str
    owner: Subject


@dataclass(frozen=True)
class ControlResponse:
    """What the institution did: ``amount`` may be less than asked (a bank freezes what is there)."""

    accepted: bool
    amount: Decimal
    reference: str  # the institution's receipt number (协助执行回执)
    message: str = ""


class AssetRegistry(Protocol):
    def sources(self, kinds: Sequence[str]) -> list[str]:
        """The institutions a search of these kinds asks."""
        ...

    def search(self, *, party: Subject, kinds: Sequence[str], only: Sequence[str] | None = None) -> SearchResponse:
        """Ask the institutions (``only``: just these, for a retry of a partial result)."""
        ...

    def control(self, *, asset: AssetRef, kind: str, amount: Decimal, until: date) -> ControlResponse:
        """Freeze / seize / distrain / deduct / release (kind ``release``) one asset."""
        ...


def registry_settings() -> dict[str, Any]:
    return dict(getattr(settings, "SUYUAN_ASSET_REGISTRY", {}) or {})


def get_registry() -> AssetRegistry:
    """The backend named in ``SUYUAN_ASSET_REGISTRY["BACKEND"]`` (default: the local registry)."""
    options = registry_settings()
    backend = options.pop("BACKEND", "suyuan.assets.local_registry.LocalRegistry")
    cls = import_string(backend)
    return cls(**{k.lower(): v for k, v in options.items()})  # type: ignore[no-any-return]
