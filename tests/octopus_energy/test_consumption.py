"""Tests of the pure previous-day consumption logic (days, costs, tiers, gas)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from custom_components.octopus_energy.api import Consumption, Fuel
from custom_components.octopus_energy.features.consumption.model import (
    SLOT,
    expected_starts,
    from_stored,
    is_complete,
    kwh_to_m3,
    m3_to_kwh,
    previous_day,
    readings_by_day,
    reports_m3,
    to_stored,
)
from custom_components.octopus_energy.features.rates.tariff import uk_day_bounds
from custom_components.octopus_energy.models import ActiveMeter, RateSlot

ELECTRICITY = ActiveMeter(
    fuel=Fuel.ELECTRICITY,
    mpxn="1200000000001",
    serial_number="22L0000001",
    is_export=False,
    is_smart=True,
    product_code="AGILE-24-10-01",
    tariff_code="E-1R-AGILE-24-10-01-C",
    home_mini_device_id=None,
    manufacturer=None,
    model=None,
    firmware_version=None,
    consumption_units="kWh",
)
EXPORT = replace(ELECTRICITY, mpxn="1200000000002", is_export=True)
GAS = replace(
    ELECTRICITY,
    fuel=Fuel.GAS,
    mpxn="3000000001",
    serial_number="G4A0000001",
    tariff_code="G-1R-VAR-22-11-01-C",
    consumption_units="m³",
)


def readings(day: date, value: float = 0.5) -> dict[datetime, float]:
    """Every half hour of a UK day at `value`."""
    return dict.fromkeys(sorted(expected_starts(day)), value)


def rates(day: date, value_of: object = None) -> list[RateSlot]:
    """Rates of a day: `value_of(start)` or 0.2 GBP/kWh."""
    return [
        RateSlot(
            start=start,
            end=start + SLOT,
            value=value_of(start) if callable(value_of) else 0.2,
        )
        for start in sorted(expected_starts(day))
    ]


@pytest.mark.parametrize(
    ("day", "slots"),
    [(date(2026, 3, 29), 46), (date(2026, 6, 1), 48), (date(2026, 10, 25), 50)],
)
def test_complete_days_of_every_length(day: date, slots: int) -> None:
    """46-, 48- and 50-slot UK days are complete when every half hour is there."""
    values = readings(day)
    assert len(values) == slots
    assert is_complete(day, values)
    del values[max(values)]
    assert not is_complete(day, values)


def test_readings_grouped_by_uk_day() -> None:
    """API records (UK local times with offsets) land on their UK day."""
    summer = datetime.fromisoformat("2026-06-01T00:00:00+01:00")
    records = [
        Consumption(
            consumption=1.0,
            interval_start=summer + SLOT * i,
            interval_end=summer + SLOT * (i + 1),
            raw={},
        )
        for i in range(48)
    ]
    odd = Consumption(
        consumption=9.0,
        interval_start=summer,
        interval_end=summer + timedelta(hours=1),
        raw={},
    )
    by_day = readings_by_day([*records, odd])
    assert list(by_day) == [date(2026, 6, 1)]
    assert is_complete(date(2026, 6, 1), by_day[date(2026, 6, 1)])
    assert min(by_day[date(2026, 6, 1)]) == datetime(2026, 5, 31, 23, tzinfo=UTC)


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_clock_change_day_costs(day: date) -> None:
    """Costs cover every half hour of a clock-change day, plus the standing charge."""
    values = readings(day, 1.0)
    result = previous_day(
        ELECTRICITY,
        day,
        values,
        rates(day),
        standing_charge=0.5,
        calorific_value=40.0,
    )
    assert len(result.charges) == len(values)
    assert result.total_kwh == len(values)
    assert result.total_without_standing_charge == pytest.approx(0.2 * len(values))
    assert result.total_cost == pytest.approx(0.2 * len(values) + 0.5)
    assert result.start == uk_day_bounds(day)[0]
    assert result.latest_consumption_timestamp == uk_day_bounds(day)[1]


def test_negative_prices_and_missing_rates() -> None:
    """Negative Agile prices give negative costs; a missing price gives no cost."""
    day = date(2026, 6, 1)
    night_end = uk_day_bounds(day)[0] + timedelta(hours=2)
    day_rates = rates(day, lambda start: -0.05 if start < night_end else 0.3)
    result = previous_day(
        ELECTRICITY,
        day,
        readings(day),
        day_rates,
        standing_charge=None,
        calorific_value=40.0,
    )
    assert result.charges[0].cost == pytest.approx(-0.025)
    assert result.total_cost == result.total_without_standing_charge
    partial = previous_day(
        ELECTRICITY,
        day,
        readings(day),
        day_rates[1:],
        standing_charge=0.4,
        calorific_value=40.0,
    )
    assert not partial.has_costs
    assert partial.total_cost is None
    assert partial.total_without_standing_charge is None


@pytest.mark.parametrize(
    ("values", "tiers"),
    [
        ((0.1, 0.3), {"off_peak": 14, "peak": 34}),
        ((0.1, 0.2, 0.3), {"off_peak": 14, "standard": 17, "peak": 17}),
        ((0.2,), {}),
    ],
)
def test_tiers(values: tuple[float, ...], tiers: dict[str, int]) -> None:
    """Days with 2 or 3 distinct rates split into off-peak/standard/peak."""
    day = date(2026, 6, 1)

    def value_of(start: datetime) -> float:
        index = int((start - uk_day_bounds(day)[0]) / SLOT)
        if index < 14:
            return values[0]
        return values[-1] if index >= 31 else values[len(values) // 2]

    result = previous_day(
        ELECTRICITY,
        day,
        readings(day),
        rates(day, value_of),
        standing_charge=0.1,
        calorific_value=40.0,
    )
    assert {name: len(items) for name, items in result.tiers().items()} == tiers


def test_gas_in_cubic_metres() -> None:
    """m³ meters: kWh = m³ x 1.02264 x CV / 3.6; the cost uses kWh."""
    day = date(2026, 6, 1)
    result = previous_day(
        GAS,
        day,
        readings(day, 1.0),
        rates(day),
        standing_charge=0.3,
        calorific_value=39.5,
    )
    kwh = 1.02264 * 39.5 / 3.6
    assert reports_m3(GAS)
    assert result.total_m3 == pytest.approx(48)
    assert result.total_kwh == pytest.approx(48 * kwh, abs=1e-4)
    assert result.total_cost == pytest.approx(48 * kwh * 0.2 + 0.3, abs=1e-4)
    assert result.calorific_value == 39.5


def test_gas_in_kwh() -> None:
    """Gas meters reporting kWh (SMETS1): m³ is derived."""
    meter = replace(GAS, consumption_units="kWh")
    day = date(2026, 6, 1)
    result = previous_day(
        meter,
        day,
        readings(day, 11.0),
        rates(day),
        standing_charge=None,
        calorific_value=40.0,
    )
    assert not reports_m3(meter)
    assert result.total_kwh == pytest.approx(48 * 11)
    assert result.total_m3 == pytest.approx(48 * kwh_to_m3(11.0, 40.0), abs=1e-4)
    assert m3_to_kwh(kwh_to_m3(11.0, 40.0), 40.0) == pytest.approx(11.0)


def test_export_is_a_parameter() -> None:
    """Export meters: same arithmetic (income at the export rate), no m³."""
    day = date(2026, 6, 1)
    result = previous_day(
        EXPORT,
        day,
        readings(day, 2.0),
        rates(day, lambda _s: 0.15),
        standing_charge=None,
        calorific_value=40.0,
    )
    assert not reports_m3(EXPORT)
    assert result.total_m3 is None
    assert result.total_cost == pytest.approx(96 * 0.15)


def test_store_round_trip() -> None:
    """The stored form restores the same day; broken data gives None."""
    day = date(2026, 10, 25)
    result = previous_day(
        GAS, day, readings(day), rates(day), standing_charge=0.3, calorific_value=40.0
    )
    assert from_stored(to_stored(result)) == result
    assert from_stored({"day": "x"}) is None
    assert from_stored({**to_stored(result), "charges": []}) is None
