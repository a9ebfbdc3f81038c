"""A working local asset registry over a Shizuishan demo data set.

Deterministic per party: every figure is drawn from a hash of the party's ID number or credit
code, so the same debtor always has the same accounts, flats and cars, and some have none.
Latency and failures are configurable (``SUYUAN_ASSET_REGISTRY``) and also deterministic: an
institution "does not answer" for a given party and attempt when a hash falls below the failure
rate, so a retry can succeed and tests never depend on chance.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .adapters import (
    AssetRecord,
    AssetRef,
    ControlResponse,
    RegistryTimeout,
    RegistryUnavailable,
    SearchResponse,
    Subject,
)
from .choices import AssetKind

# The institutions a Shizuishan court's network search reaches, by asset kind.
BANKS = [
    ("中国工商银行石嘴山分行", "6222 0229"),
    ("中国农业银行石嘴山分行", "6228 4829"),
    ("中国银行石嘴山分行", "6217 8531"),
    ("中国建设银行石嘴山分行", "6217 0029"),
    ("宁夏银行石嘴山分行", "6231 9201"),
    ("石嘴山银行", "6231 6820"),
    ("中国邮政储蓄银行石嘴山市分行", "6221 8829"),
    ("宁夏黄河农村商业银行平罗支行", "6229 5328"),
]
REAL_ESTATE = [
    ("石嘴山市大武口区不动产登记中心", "宁（2021）大武口区不动产权第", "大武口区朝阳东街", "大武口区"),
    ("石嘴山市惠农区不动产登记中心", "宁（2020）惠农区不动产权第", "惠农区南街", "惠农区"),
    ("平罗县不动产登记中心", "宁（2022）平罗县不动产权第", "平罗县城关镇鼓楼南街", "平罗县"),
]
VEHICLES = [("石嘴山市公安局交通警察支队车辆管理所", "宁B")]
SECURITIES = [("中国证券登记结算有限责任公司", "A")]
PAYMENTS = [("支付宝（中国）网络技术有限公司", "支付宝账户"), ("财付通支付科技有限公司", "微信支付账户")]
EQUITY = [("石嘴山市市场监督管理局", "股权")]
CARS = ["大众朗逸", "丰田卡罗拉", "长城哈弗H6", "五菱宏光", "比亚迪秦PLUS", "东风天龙重型半挂牵引车"]


def _sources_for(kind: str) -> list[str]:
    table: dict[str, list[str]] = {
        AssetKind.BANK: [b[0] for b in BANKS],
        AssetKind.REAL_ESTATE: [r[0] for r in REAL_ESTATE],
        AssetKind.VEHICLE: [v[0] for v in VEHICLES],
        AssetKind.SECURITIES: [s[0] for s in SECURITIES],
        AssetKind.ONLINE_PAYMENT: [p[0] for p in PAYMENTS],
        AssetKind.EQUITY: [e[0] for e in EQUITY],
    }
    return table.get(kind, [])


def _draw(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:12], 16)


def _fraction(*parts: object) -> float:
    return _draw(*parts) / float(16**12)


class LocalRegistry:
    """The local stand-in; see the module docstring. Options come from ``SUYUAN_ASSET_REGISTRY``."""

    # Calls per party in this process: the n-th retry draws differently from the first call, so a
    # "not answering" institution answers on a later attempt (as real ones do).
    _calls: dict[str, int] = {}

    def __init__(self, *, latency_ms: int = 0, failure_rate: float = 0.0, timeout_rate: float = 0.0,
                 seed: str = "shizuishan", **_: object) -> None:
        self.latency_ms = int(latency_ms)
        self.failure_rate = float(failure_rate)
        self.timeout_rate = float(timeout_rate)
        self.seed = seed

    # -- the protocol ---------------------------------------------------------------------------
    def sources(self, kinds: Sequence[str]) -> list[str]:
        return [s for kind in kinds for s in _sources_for(kind)]

    def search(self, *, party: Subject, kinds: Sequence[str], only: Sequence[str] | None = None) -> SearchResponse:
        self._sleep()
        call = self._bump(f"search:{party.identity}")
        if self.timeout_rate and _fraction(self.seed, "timeout", party.identity, call) < self.timeout_rate:
            raise RegistryTimeout("查控网络响应超时")
        records: list[AssetRecord] = []
        pending: list[str] = []
        for kind in kinds:
            for source in _sources_for(kind):
                if only is not None and source not in only:
                    continue
                if self.failure_rate and _fraction(self.seed, "fail", party.identity, source, call) < self.failure_rate:
                    pending.append(source)
                    continue
                records.extend(self.holdings(party, kind, source))
        return SearchResponse(records=records, pending_sources=pending)

    def control(self, *, asset: AssetRef, kind: str, amount: Decimal, until: date) -> ControlResponse:
        self._sleep()
        if self.failure_rate and _fraction(self.seed, "control", asset.identifier, kind,
                                           self._bump(f"control:{asset.identifier}")) < self.failure_rate:
            raise RegistryUnavailable(f"{asset.institution}暂未反馈")
        reference = f"XZ{_draw(self.seed, asset.identifier, kind, until) % 10**10:010d}"
        if kind == "release":
            return ControlResponse(True, amount, reference, "已解除")
        balance = self.balance_of(asset)
        if asset.kind in {AssetKind.BANK, AssetKind.ONLINE_PAYMENT} and balance is not None:
            # A bank freezes (or pays out) what is in the account, not what the court asked.
            done = min(amount, balance)
            if done <= 0:
                return ControlResponse(False, Decimal("0.00"), reference, "账户余额为零，未能冻结")
            note = "足额" if done == amount else f"余额不足，实际{'扣划' if kind == 'deduct' else '冻结'} {done} 元"
            return ControlResponse(True, done, reference, note)
        return ControlResponse(True, amount, reference, "已办理")

    # -- the data set ---------------------------------------------------------------------------
    def holdings(self, party: Subject, kind: str, source: str) -> list[AssetRecord]:
        """What ``source`` holds for ``party`` (deterministic; empty for many)."""
        h = _draw(self.seed, party.identity, kind, source)
        maker = getattr(self, f"_{kind}", None)
        return maker(party, source, h, party.kind != "natural") if maker is not None else []

    def _bank(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        prefix = dict(BANKS)[source]
        if h % 100 >= (55 if organisation else 35):
            return []
        out = []
        for n in range(1 + (h // 100) % 2):
            g = _draw(party.identity, source, n)
            number = f"{prefix.replace(' ', '')}{g % 10**11:011d}"
            balance = Decimal(g % (800_000 if organisation else 60_000)) + Decimal(g % 100) / 100
            label = "对公基本存款账户" if organisation and n == 0 else "活期储蓄账户"
            out.append(AssetRecord(AssetKind.BANK, source, number, f"{label}，余额 {balance:.2f} 元", balance))
        return out

    def _real_estate(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        _, cert, street, district = next(r for r in REAL_ESTATE if r[0] == source)
        if h % 100 >= (20 if organisation else 28):
            return []
        area = 60 + h % 90
        value = Decimal(area * (3200 + h % 1800))
        use = "商业服务" if organisation else "住宅"
        where = f"{district}{street}{h % 200 + 1}号 {h % 6 + 1}-{h % 30 + 101} 室"
        return [AssetRecord(AssetKind.REAL_ESTATE, source, f"{cert}{h % 10**7:07d}号",
                            f"{where}，{use}，建筑面积 {area} 平方米", value)]

    def _vehicle(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        if h % 100 >= 30:
            return []
        plate = f"宁B{'ABCDEFGHJK'[h % 10]}{h % 10**4:04d}"
        car = CARS[-1] if organisation else CARS[h % (len(CARS) - 1)]
        return [AssetRecord(AssetKind.VEHICLE, source, plate, f"{car}，号牌 {plate}", Decimal(20_000 + h % 150_000))]

    def _securities(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        if h % 100 >= 12:
            return []
        return [AssetRecord(AssetKind.SECURITIES, source, f"A{h % 10**9:09d}", "沪深A股证券账户",
                            Decimal(h % 200_000) + Decimal("0.50"))]

    def _online_payment(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        if organisation or h % 100 >= 60:
            return []
        label = dict(PAYMENTS)[source]
        balance = Decimal(h % 8_000) + Decimal(h % 100) / 100
        return [AssetRecord(AssetKind.ONLINE_PAYMENT, source, f"{label[:2]}{h % 10**10:010d}",
                            f"{label}余额 {balance:.2f} 元", balance)]

    def _equity(self, party: Subject, source: str, h: int, organisation: bool) -> list[AssetRecord]:
        if h % 100 >= 10:
            return []
        return [AssetRecord(AssetKind.EQUITY, source, f"9164{h % 10**14:014d}",
                            f"持有石嘴山市某有限责任公司 {h % 60 + 5}% 股权", Decimal(100_000 + h % 900_000))]

    def balance_of(self, asset: AssetRef) -> Decimal | None:
        for record in self.holdings(asset.owner, asset.kind, asset.institution):
            if record.identifier == asset.identifier:
                return record.value
        return None

    # -- helpers --------------------------------------------------------------------------------
    def _sleep(self) -> None:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)

    @classmethod
    def _bump(cls, key: str) -> int:
        cls._calls[key] = cls._calls.get(key, 0) + 1
        return cls._calls[key]
