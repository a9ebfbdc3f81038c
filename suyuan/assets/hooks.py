"""Callbacks for the stage apps that own a holder (enforcement, preservation).

The assets app may not import them (import-linter layers); they register here from their
``AppConfig.ready``. Each callback runs inside the writing transaction, so a failing callback
undoes the measure too (no half-recorded fact).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from suyuan.accounts.context import Origin

from .models import Measure

# (measure, origin) -> None: a new measure was placed (or transferred in) for ``measure.holder``; a
# callback may refuse it by raising a domain error (the whole step is then rolled back).
MeasurePlaced = Callable[[Measure, Origin], None]
# (measure, paid) -> None: ``paid`` yuan were deducted to the applicant from ``measure``.
MeasureDeducted = Callable[[Measure, Decimal], None]

measure_placed: list[MeasurePlaced] = []
measure_deducted: list[MeasureDeducted] = []


def on_measure_placed(callback: MeasurePlaced) -> None:
    if callback not in measure_placed:
        measure_placed.append(callback)


def on_measure_deducted(callback: MeasureDeducted) -> None:
    if callback not in measure_deducted:
        measure_deducted.append(callback)


def placed(measure: Measure, origin: Origin) -> None:
    for callback in list(measure_placed):
        callback(measure, origin)


def deducted(measure: Measure, paid: Decimal) -> None:
    if paid <= 0:
        return
    for callback in list(measure_deducted):
        callback(measure, paid)
