"""Rates follow dispatches on Intelligent Octopus Go (import only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import Event, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.features.intelligent.adjust import (
    adjust_slots,
    is_intelligent_tariff,
    rate_windows,
)
from custom_components.octopus_energy.features.intelligent.model import (
    RATE_MODE_STARTED_ONLY,
    DeviceData,
    Dispatch,
    DispatchRules,
)
from custom_components.octopus_energy.models import RateSlot
from custom_components.octopus_energy.timeutil import SLOT, slot_starts
from scripts.simulator.faults import Fault

from ..builders import rates_of
from ..conftest import OctopusSim
from .conftest import STATE_OPERATION, async_setup
from .test_intelligent_entities import advance, device, state_of, uk

E = "octopus_energy_electricity_22l0000001_1200000000001"
EXPORT = "octopus_energy_electricity_22l0000001_1200000000002_export"
CURRENT_RATE = f"sensor.{E}_current_rate"
OFF_PEAK = f"binary_sensor.{E}_off_peak"
IOG = "E-1R-INTELLI-VAR-24-10-29-C"
PEAK, NIGHT = 0.2805, 0.0714


def capture(hass: HomeAssistant, event_type: str) -> list[dict[str, Any]]:
    """The payloads of an event type fired from now on."""
    fired: list[dict[str, Any]] = []

    @callback
    def listen(event: Event) -> None:
        fired.append(dict(event.data))

    hass.bus.async_listen(event_type, listen)
    return fired


def attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """An entity's attributes (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None
    return dict(state.attributes)


async def test_dispatch_half_hours_get_the_off_peak_price(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """13:00-14:30 is at the night price and off peak; export is not adjusted."""
    freezer.move_to(uk(12, 50))
    await async_setup(hass, mock_config_entry)
    assert float(state_of(hass, CURRENT_RATE)) == PEAK
    assert attributes(hass, CURRENT_RATE)["is_intelligent_adjusted"] is False
    await advance(hass, freezer, uk(13, 1))
    assert float(state_of(hass, CURRENT_RATE)) == NIGHT
    current = attributes(hass, CURRENT_RATE)
    assert current["is_intelligent_adjusted"] is True
    assert (current["start"], current["end"]) == (uk(13), uk(14, 30))
    assert state_of(hass, OFF_PEAK) == STATE_ON
    assert attributes(hass, OFF_PEAK)["current_end"] == uk(14, 30)
    export = attributes(hass, f"sensor.{EXPORT}_current_rate")
    assert export["is_intelligent_adjusted"] is False
    assert float(state_of(hass, f"sensor.{EXPORT}_current_rate")) == 0.153


async def test_new_dispatch_readjusts_without_a_rates_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A dispatch planned later re-prices the day and fires the day's event."""
    device(octopus_sim.sim)["day_dispatch"] = None
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    fired = capture(hass, "octopus_energy_electricity_current_day_rates")
    rates_requests = octopus_sim.count("octopus.rest.rates")
    device(octopus_sim.sim)["day_dispatch"] = {
        "every_days": 1,
        "start_local": "16:00",
        "end_local": "17:00",
        "energy_kwh": 7.0,
    }
    await advance(hass, freezer, uk(12, 5))
    assert octopus_sim.count("octopus.rest.rates") == rates_requests
    assert len(fired) == 1
    assert fired[0]["intelligent_dispatches_updated"] is True
    adjusted = [r for r in fired[0]["rates"] if r["is_intelligent_adjusted"]]
    assert [r["start"] for r in adjusted] == [uk(16), uk(16, 30)]
    assert {r["value_inc_vat"] for r in adjusted} == {NIGHT}
    assert attributes(hass, CURRENT_RATE)["is_intelligent_adjusted"] is False
    # the next poll with the same dispatches fires nothing
    await advance(hass, freezer, uk(12, 11))
    assert len(fired) == 1


async def test_restart_while_down_keeps_the_adjusted_rate(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A reload with the dispatches unreachable: same price, no event fired."""
    freezer.move_to(uk(13, 10))
    await async_setup(hass, mock_config_entry)
    assert float(state_of(hass, CURRENT_RATE)) == NIGHT
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    fired = capture(hass, "octopus_energy_electricity_current_day_rates")
    prices: list[str] = []

    @callback
    def changed(event: Event) -> None:
        if event.data["entity_id"] == CURRENT_RATE and event.data["new_state"]:
            prices.append(event.data["new_state"].state)

    hass.bus.async_listen("state_changed", changed)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(state_of(hass, CURRENT_RATE)) == NIGHT
    assert str(PEAK) not in prices
    assert fired == []


async def test_yesterday_is_priced_with_the_completed_dispatches(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Yesterday's afternoon dispatch (completed) is at the night price."""
    freezer.move_to(uk(10, 0, day=21))
    await async_setup(hass, mock_config_entry)
    rates = next(
        c
        for c in rates_of(mock_config_entry.runtime_data).values()
        if c.meter.tariff_code == IOG
    )
    yesterday = [s for s in rates.data.slots if uk(13) <= s.start < uk(14, 30)]
    assert len(yesterday) == 3
    assert all(s.is_intelligent_adjusted and s.value == NIGHT for s in yesterday)
    assert all(not s.is_intelligent_adjusted for s in rates.raw_slots)


def _day(day: datetime, value: float = PEAK) -> list[RateSlot]:
    starts = slot_starts(day.date())
    return [
        RateSlot(
            start=start,
            end=start + SLOT,
            value=NIGHT if start.hour < 5 else value,
            tariff_code=IOG,
        )
        for start in starts
    ]


def test_clock_change_nights() -> None:
    """46- and 50-slot days: each half hour of a window, the day's own lowest."""
    autumn = _day(datetime(2026, 10, 25, tzinfo=UTC))
    spring = _day(datetime(2026, 3, 29, tzinfo=UTC))
    assert (len(autumn), len(spring)) == (50, 46)
    windows = [
        (
            datetime(2026, 10, 25, 12, tzinfo=UTC),
            datetime(2026, 10, 25, 13, tzinfo=UTC),
        ),
        (
            datetime(2026, 3, 29, 12, tzinfo=UTC),
            datetime(2026, 3, 29, 12, 30, tzinfo=UTC),
        ),
    ]
    adjusted = adjust_slots([*autumn, *spring], windows)
    changed = [s for s in adjusted if s.is_intelligent_adjusted]
    assert [s.start.hour for s in changed] == [12, 12, 12]
    assert {s.value for s in changed} == {NIGHT}
    assert len(adjusted) == 96


def test_adjust_rules() -> None:
    """Other tariffs and lowest-price slots stay; no windows: unchanged."""
    day = _day(datetime(2026, 11, 20, tzinfo=UTC))
    agile = [
        RateSlot(
            start=s.start, end=s.end, value=0.3, tariff_code="E-1R-AGILE-24-10-01-C"
        )
        for s in day
    ]
    window = [(day[0].start, day[-1].end)]
    assert adjust_slots(agile, window) == tuple(agile)
    assert adjust_slots(day, []) == tuple(day)
    assert all(s.value == NIGHT for s in adjust_slots(day, window))
    assert is_intelligent_tariff(IOG)
    assert not is_intelligent_tariff("E-1R-AGILE-24-10-01-C")
    assert not is_intelligent_tariff("nonsense")


def test_rate_windows() -> None:
    """Planned smart, started and completed smart dispatches; never bump charges."""
    at = datetime(2026, 11, 20, 12, tzinfo=UTC)
    device_data = DeviceData(
        device_id="ev",
        planned=(
            Dispatch(start=at, end=at + timedelta(hours=1), source="smart-charge"),
            Dispatch(
                start=at + timedelta(hours=3),
                end=at + timedelta(hours=4),
                source="bump-charge",
            ),
        ),
        completed=(
            Dispatch(
                start=at - timedelta(hours=5),
                end=at - timedelta(hours=4),
                source="smart-charge",
            ),
            Dispatch(
                start=at - timedelta(hours=3),
                end=at - timedelta(hours=2),
                source="bump-charge",
            ),
        ),
        started=(
            Dispatch(
                start=at + timedelta(hours=1), end=at + timedelta(hours=1, minutes=30)
            ),
        ),
    )
    assert rate_windows([device_data], DispatchRules()) == [
        (at - timedelta(hours=5), at - timedelta(hours=4)),
        (at, at + timedelta(hours=1, minutes=30)),
    ]
    assert rate_windows(
        [device_data], DispatchRules(rate_mode=RATE_MODE_STARTED_ONLY)
    ) == [
        (at + timedelta(hours=1), at + timedelta(hours=1, minutes=30)),
    ]
    assert rate_windows([device_data], DispatchRules(minimum_minutes=45)) == [
        (at - timedelta(hours=5), at - timedelta(hours=4)),
        (at, at + timedelta(hours=1, minutes=30)),
    ]
