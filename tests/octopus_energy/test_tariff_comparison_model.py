"""Tariff-comparison arithmetic and storage."""

from __future__ import annotations

from datetime import date, timedelta

from custom_components.octopus_energy.features.consumption.model import (
    Charge,
    PreviousDay,
)
from custom_components.octopus_energy.features.tariff_comparison.model import (
    HISTORY_DAYS,
    DayTotals,
    compare,
    from_stored,
    to_stored,
)
from custom_components.octopus_energy.models import RateSlot
from custom_components.octopus_energy.timeutil import SLOT, slot_starts

DAY = date(2026, 10, 25)  # 50 half hours


def _previous(day: date = DAY) -> PreviousDay:
    charges = tuple(
        Charge(
            start=start,
            end=start + SLOT,
            consumption_kwh=0.5,
            consumption_m3=None,
            rate=0.2,
            cost=0.1,
        )
        for start in slot_starts(day)
    )
    return PreviousDay(
        day=day,
        tariff_code="E-1R-AGILE-24-10-01-C",
        charges=charges,
        rates=(),
        standing_charge=0.5,
        calorific_value=None,
    )


def _rates(day: date, value: float) -> list[RateSlot]:
    return [
        RateSlot(start=start, end=start + SLOT, value=value, tariff_code="T")
        for start in slot_starts(day)
    ]


def test_clock_change_day_and_missing_prices() -> None:
    """All 50 half hours are priced; a missing price leaves the total unknown."""
    previous = _previous()
    day = compare(
        previous,
        product_code="P",
        tariff_code="T",
        rates=_rates(DAY, 0.3),
        standing_charge=0.4,
        history={},
    )
    assert len(day.charges) == 50
    assert day.total_without_standing_charge == 7.5
    assert day.total == 7.9
    assert day.period(7) == {
        "days": 1,
        "cost": 7.9,
        "actual_cost": 5.5,
        "difference": 2.4,
    }
    partial = compare(
        previous,
        product_code="P",
        tariff_code="T",
        rates=_rates(DAY, 0.3)[1:],
        standing_charge=0.4,
        history={},
    )
    assert partial.total is None
    assert partial.period(7)["days"] == 0


def test_history_keeps_thirty_days_and_round_trips() -> None:
    """Older days drop out; the stored comparison reads back the same."""
    history = {
        DAY - timedelta(days=n): DayTotals(compared=1.0, actual=2.0)
        for n in range(1, 40)
    }
    day = compare(
        _previous(),
        product_code="P",
        tariff_code="T",
        rates=_rates(DAY, 0.3),
        standing_charge=None,
        history=history,
    )
    assert len(day.history) == HISTORY_DAYS
    assert max(day.history) == DAY
    assert day.period(7)["days"] == 7
    restored = from_stored(to_stored(day))
    assert restored == day
    assert from_stored({"day": "x"}) is None
