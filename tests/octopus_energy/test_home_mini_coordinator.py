"""Tests of the Home Mini coordinator against the simulator (one request per tick)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import UpdateFailed
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.api import TelemetryReading
from custom_components.octopus_energy.const import DOMAIN, UK_TZ
from custom_components.octopus_energy.coordinator import ELASTIC_LIMIT
from custom_components.octopus_energy.features.home_mini.coordinator import (
    STALE_AFTER,
    HomeMiniCoordinator,
)
from custom_components.octopus_energy.features.home_mini.model import (
    LiveConsumption,
    day_cost,
    from_store,
    gas_due,
    merge,
    slot_tiers,
    to_store,
)
from custom_components.octopus_energy.models import (
    AccountSettings,
    MeterRates,
    RateSlot,
    StandingCharge,
)
from scripts.simulator.faults import Fault

from .builders import home_mini_coordinator
from .conftest import OctopusSim
from .home_mini_helpers import (
    ELECTRIC_DEVICE,
    ELECTRICITY,
    EXPORT,
    GAS,
    GAS_DEVICE,
    SETTINGS,
    TELEMETRY,
    Calls,
    approx,
    sim_kwh,
    uk,
)

MakeHomeMini = Callable[..., tuple[HomeMiniCoordinator, Calls]]


async def test_no_coordinator_without_live_consumption_or_device(
    hass: HomeAssistant, home_mini_entry: MockConfigEntry
) -> None:
    """Live consumption off, or no Home Mini: no coordinator, no requests."""
    client: Any = object()
    off = AccountSettings(live_consumption=False)
    assert (
        home_mini_coordinator(hass, home_mini_entry, client, [ELECTRICITY], off, {})
        is None
    )
    assert (
        home_mini_coordinator(hass, home_mini_entry, client, [EXPORT], SETTINGS, {})
        is None
    )


async def test_first_refresh_asks_for_today_once_for_both_devices(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
) -> None:
    """One request for electricity and gas since UK midnight; export excluded."""
    now = uk(2026, 1, 15, 10, 40, 20)
    freezer.move_to(now)
    coordinator, calls = make_home_mini()
    assert [m.key for m in coordinator.meters] == [ELECTRICITY.key, GAS.key]
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert octopus_sim.count(TELEMETRY) == 1
    assert calls == [
        (
            [ELECTRIC_DEVICE, GAS_DEVICE],
            uk(2026, 1, 15).astimezone(UTC),
            uk(2026, 1, 15, 11, 0).astimezone(UTC),
        )
    ]
    electric = coordinator.data.devices[ELECTRICITY.key]
    gas = coordinator.data.devices[GAS.key]
    assert len(electric.slots) == 22  # 21 complete half hours and the current one
    midnight = uk(2026, 1, 15)
    assert electric.today_kwh == approx(
        sim_kwh(octopus_sim, ELECTRIC_DEVICE, midnight, now)
    )
    assert gas.today_kwh == approx(sim_kwh(octopus_sim, GAS_DEVICE, midnight, now))
    assert electric.interval_kwh == approx(
        sim_kwh(octopus_sim, ELECTRIC_DEVICE, uk(2026, 1, 15, 10, 30), now)
    )
    assert electric.demand_w is not None
    assert electric.demand_w > 0
    assert electric.total_kwh is not None
    assert electric.export_kwh is not None
    assert gas.demand_w is None
    assert gas.export_kwh is None
    assert electric.last_reset == midnight


async def test_one_request_per_minute_gas_twice_an_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1-minute electricity for an hour: 60 requests, gas in 2, small periods.

    (The request budget, which makes telemetry give way, is lifted here; see
    `test_polls_give_way_to_the_hourly_budget`.)
    """
    monkeypatch.setattr(
        "custom_components.octopus_energy.coordinator.ELASTIC_LIMIT", 1000
    )
    freezer.move_to(uk(2026, 1, 15, 9, 59, 30))
    coordinator, calls = make_home_mini()
    await coordinator.async_refresh()
    calls.clear()
    start = octopus_sim.count()
    unsubscribe = coordinator.async_add_listener(lambda: None)
    for _ in range(60):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    unsubscribe()
    assert coordinator.last_update_success
    assert len(calls) == 60
    # nothing but telemetry and (at most) one token renewal in the hour
    assert octopus_sim.count(TELEMETRY) == 61
    assert octopus_sim.count() - start <= 61
    with_gas = [call for call in calls if GAS_DEVICE in call[0]]
    assert len(with_gas) == 2
    assert all(
        len(ids) == 1 for ids, _, _ in calls if ids not in [c[0] for c in with_gas]
    )
    spans = []
    for ids, period_from, period_to in calls:
        # the half hour in progress; also the one before on the first tick after a
        # boundary (to complete it) and when gas joins
        spans.append((period_to - period_from) / timedelta(minutes=30))
        assert ids[0] == ELECTRIC_DEVICE
    assert spans.count(2) == 4
    assert spans.count(1) == 56
    # gas joins just after each boundary (settle time), not before
    assert [call[1].astimezone(UK_TZ).strftime("%H:%M") for call in with_gas] == [
        "09:30",
        "10:00",
    ]


def test_gas_schedule() -> None:
    """Gas is due once per half hour, after the settle time and the set interval."""
    fetched = datetime(2026, 1, 15, 10, 1, tzinfo=UTC)
    live = LiveConsumption(day=fetched.date(), retrieved_at=fetched)
    two = timedelta(minutes=2)
    assert gas_due(None, fetched, two)
    assert gas_due(LiveConsumption(day=fetched.date()), fetched, two)
    assert not gas_due(live, fetched + timedelta(minutes=28), two)
    assert not gas_due(live, datetime(2026, 1, 15, 10, 30, 30, tzinfo=UTC), two)
    assert gas_due(live, datetime(2026, 1, 15, 10, 31, tzinfo=UTC), two)
    hour = timedelta(minutes=60)
    assert not gas_due(live, datetime(2026, 1, 15, 10, 31, tzinfo=UTC), hour)
    assert gas_due(live, datetime(2026, 1, 15, 11, 1, tzinfo=UTC), hour)


@pytest.mark.parametrize(
    ("day", "slots"),
    [
        ((2026, 3, 29), 46),  # clocks go forward
        ((2026, 10, 25), 50),  # clocks go back
        ((2026, 1, 15), 48),
    ],
)
async def test_uk_day_totals_and_midnight_reset(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
    day: tuple[int, int, int],
    slots: int,
) -> None:
    """Today's totals cover the UK day (46/48/50 half hours) and reset at midnight."""
    midnight = uk(*day)
    next_midnight = (midnight + timedelta(days=1, hours=3)).replace(hour=0)
    freezer.move_to(midnight - timedelta(minutes=5))
    coordinator, calls = make_home_mini()
    await coordinator.async_refresh()
    assert coordinator.data.devices[ELECTRICITY.key].day < midnight.date()

    freezer.move_to(midnight + timedelta(minutes=1, seconds=30))
    await coordinator.async_refresh()
    electric = coordinator.data.devices[ELECTRICITY.key]
    assert electric.day == midnight.date()
    assert electric.last_reset == midnight
    assert list(electric.slots) == [midnight.astimezone(UTC)]
    assert electric.today_kwh == approx(
        sim_kwh(
            octopus_sim, ELECTRIC_DEVICE, midnight, midnight + timedelta(seconds=90)
        )
    )

    end = next_midnight - timedelta(seconds=30)
    freezer.move_to(end)
    await coordinator.async_refresh()
    for key, device in ((ELECTRICITY.key, ELECTRIC_DEVICE), (GAS.key, GAS_DEVICE)):
        live = coordinator.data.devices[key]
        assert len(live.slots) == slots
        assert live.today_kwh == approx(sim_kwh(octopus_sim, device, midnight, end))

    freezer.move_to(next_midnight + timedelta(seconds=70))
    calls.clear()
    await coordinator.async_refresh()
    assert calls[0][0] == [ELECTRIC_DEVICE]  # gas not due before the settle time
    for key in (ELECTRICITY.key, GAS.key):
        live = coordinator.data.devices[key]
        assert live.day == next_midnight.date()
        assert live.last_reset == next_midnight
    assert coordinator.data.devices[GAS.key].today_kwh == 0
    assert coordinator.data.devices[ELECTRICITY.key].today_kwh == approx(
        sim_kwh(
            octopus_sim,
            ELECTRIC_DEVICE,
            next_midnight,
            next_midnight + timedelta(seconds=70),
        )
    )


async def test_restart_restores_today_without_refetching(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
) -> None:
    """A new coordinator (restart) starts from the Store and asks only for the gap."""
    freezer.move_to(uk(2026, 1, 15, 12, 10))
    first, _ = make_home_mini()
    await first.async_refresh()
    freezer.move_to(uk(2026, 1, 15, 12, 40))
    await first.async_refresh()
    await first.async_shutdown()  # writes the pending state

    freezer.move_to(uk(2026, 1, 15, 13, 5))
    second, calls = make_home_mini()
    await second.async_restore()
    assert second.data.devices[ELECTRICITY.key].today_kwh == approx(
        first.data.devices[ELECTRICITY.key].today_kwh
    )
    await second.async_refresh()
    assert calls == [
        (
            [ELECTRIC_DEVICE, GAS_DEVICE],
            uk(2026, 1, 15, 12, 30).astimezone(UTC),
            uk(2026, 1, 15, 13, 30).astimezone(UTC),
        )
    ]
    midnight = uk(2026, 1, 15)
    now = uk(2026, 1, 15, 13, 5)
    for key, device in ((ELECTRICITY.key, ELECTRIC_DEVICE), (GAS.key, GAS_DEVICE)):
        assert second.data.devices[key].today_kwh == approx(
            sim_kwh(octopus_sim, device, midnight, now)
        )


async def test_restore_of_an_earlier_day_keeps_registers_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    make_home_mini: MakeHomeMini,
) -> None:
    """Stored yesterday: today's half hours start empty and the day is requested."""
    freezer.move_to(uk(2026, 1, 15, 23, 40))
    first, _ = make_home_mini()
    await first.async_refresh()
    await first.async_shutdown()
    freezer.move_to(uk(2026, 1, 16, 8, 0, 30))
    second, calls = make_home_mini()
    await second.async_restore()
    restored = second.data.devices[ELECTRICITY.key]
    assert restored.slots == {}
    assert restored.total_kwh == first.data.devices[ELECTRICITY.key].total_kwh
    await second.async_refresh()
    assert calls[0][1] == uk(2026, 1, 16).astimezone(UTC)


async def test_restore_ignores_bad_storage(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    home_mini_entry: MockConfigEntry,
    make_home_mini: MakeHomeMini,
) -> None:
    """Unreadable stored state is ignored."""
    key = f"{DOMAIN}.{home_mini_entry.entry_id}_home_mini"
    hass_storage[key] = {"version": 1, "data": {"devices": "nonsense"}}
    coordinator, _ = make_home_mini()
    await coordinator.async_restore()
    assert coordinator.data is None
    hass_storage[key] = {
        "version": 1,
        "data": {"devices": {ELECTRICITY.key: {"day": 1}}},
    }
    await coordinator.async_restore()
    assert coordinator.data is None
    assert (
        from_store({"day": "2026-01-15", "slots": {"2026-01-15T10:00:00": 1}}) is None
    )
    live = LiveConsumption(day=datetime(2026, 1, 15, tzinfo=UTC).date())
    assert from_store(to_store(live)) == live


@pytest.mark.parametrize(
    ("kind", "translation_key"),
    [("server_error", "communication_error"), ("rate_limit", "rate_limited")],
)
async def test_failure_then_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
    kind: str,
    translation_key: str,
) -> None:
    """Failures keep the last data for 2 hours, then fail the update (translated).

    The next success recovers.
    """
    freezer.move_to(uk(2026, 1, 15, 10, 0, 30))
    coordinator, calls = make_home_mini()
    await coordinator.async_refresh()
    octopus_sim.sim.faults.add(Fault(kind=kind, operation=TELEMETRY))
    freezer.tick(timedelta(minutes=1))
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert coordinator.stale
    freezer.tick(STALE_AFTER)
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert isinstance(coordinator.last_exception, UpdateFailed)
    assert coordinator.last_exception.translation_key == translation_key
    if kind == "rate_limit":  # KT-CT-1199 carries no Retry-After: 5 minutes
        assert coordinator.last_exception.translation_placeholders == {"seconds": "300"}
    octopus_sim.sim.faults.clear()
    freezer.tick(timedelta(minutes=1))
    calls.clear()
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert coordinator.update_interval == timedelta(minutes=1)
    # the failed minute is caught up: same half hour requested again
    assert calls[0][1] == uk(2026, 1, 15, 10, 0).astimezone(UTC)


async def test_gas_only_polls_at_the_gas_interval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
) -> None:
    """Without an electricity Home Mini: ticks every gas interval, asks when due."""
    freezer.move_to(uk(2026, 1, 15, 10, 5))
    coordinator, calls = make_home_mini(meters=(GAS,))
    assert coordinator.update_interval == timedelta(minutes=2)
    await coordinator.async_refresh()
    for _ in range(14):
        freezer.tick(timedelta(minutes=2))
        await coordinator.async_refresh()
    assert [c[0] for c in calls] == [[GAS_DEVICE], [GAS_DEVICE]]
    assert coordinator.last_update_success


def test_merge_keeps_what_a_reading_lacks_and_drops_stale_demand() -> None:
    """Null fields keep the known registers; an old newest reading hides demand."""
    now = datetime(2026, 1, 15, 12, 10, tzinfo=UTC)
    live = LiveConsumption(day=now.date(), total_kwh=10.0, export_kwh=2.0)
    fresh = TelemetryReading(
        read_at=datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
        consumption_kwh=None,
        consumption_delta_kwh=None,
        demand_w=300.0,
        export_kwh=None,
        raw={},
    )
    merged = merge(live, [fresh], now)
    assert merged.total_kwh == 10.0
    assert merged.export_kwh == 2.0
    assert merged.demand_w == 300.0
    assert merged.slots == {}
    assert merged.delta_kwh == 0.0
    stale = replace(fresh, read_at=datetime(2026, 1, 15, 11, 0, tzinfo=UTC))
    assert merge(live, [stale], now).demand_w is None
    assert merge(merged, [], now + timedelta(hours=1)).demand_w is None


def test_cost_and_tiers_need_rates() -> None:
    """No rates, a missing half-hour price or no standing charge: cost unknown."""
    start = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    live = LiveConsumption(day=start.date(), slots={start: 1.0})
    slot = RateSlot(start=start, end=start + timedelta(minutes=30), value=0.2)
    charge = StandingCharge(value=0.5, start=None, end=None)
    rates = MeterRates(
        tariff_code="T", slots=(slot,), standing_charge=charge, standing_charge_day=None
    )
    cost = day_cost(live, rates)
    assert cost is not None
    assert cost.total == pytest.approx(0.7)
    assert day_cost(live, None) is None
    assert day_cost(live, replace(rates, standing_charge=None)) is None
    assert day_cost(live, replace(rates, slots=())) is None
    assert slot_tiers(None, start.date()) == {}
    assert slot_tiers(rates, start.date()) == {}


async def test_polls_give_way_to_the_hourly_budget(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: MakeHomeMini,
) -> None:
    """At the elastic limit of the hour, telemetry waits (keeping its data)."""
    freezer.move_to(uk(2026, 1, 15, 10, 40, 20))
    coordinator, calls = make_home_mini()
    await coordinator.async_refresh()
    data = coordinator.data
    counter = coordinator.client.request_counter
    for _ in range(ELASTIC_LIMIT - counter.requests_last_hour):
        counter.record("other")
    calls.clear()

    await coordinator.async_refresh()

    assert calls == []
    assert coordinator.last_update_success
    assert coordinator.data == data

    freezer.tick(timedelta(hours=1))
    await coordinator.async_refresh()

    assert len(calls) == 1
