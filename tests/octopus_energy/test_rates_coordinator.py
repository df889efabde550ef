"""The rates coordinator: request frugality, half-hour ticks, events, Store, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.api import (
    OctopusEnergyClient,
    OctopusEnergyRateLimitError,
    OctopusEnergyServerError,
)
from custom_components.octopus_energy.features.rates.coordinator import (
    RatesCoordinator,
)
from custom_components.octopus_energy.models import (
    AccountSettings,
    ActiveMeter,
    RateSlot,
)
from scripts.simulator.faults import Fault

from .builders import rates_coordinators
from .conftest import API_KEY, OctopusSim
from .rates_helpers import AGILE, FIXED_EXPORT, GAS, utc

RATES = "octopus.rest.rates"
CHARGES = "octopus.rest.standing_charges"
FLEX = "E-1R-VAR-22-11-01-C"


@pytest.fixture
async def entry(hass: HomeAssistant) -> MockConfigEntry:
    """A loaded-looking entry in Europe/London."""
    await hass.config.async_set_time_zone("Europe/London")
    entry = MockConfigEntry(domain="octopus_energy", version=9, data={})
    entry.add_to_hass(hass)
    entry.mock_state(hass, ConfigEntryState.SETUP_IN_PROGRESS)
    return entry


@pytest.fixture
async def make_coordinator(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> AsyncIterator[Callable[[ActiveMeter], RatesCoordinator]]:
    """Build coordinators of meters against the simulator (shut down at the end)."""
    client = OctopusEnergyClient(
        api_key=API_KEY,
        session=async_get_clientsession(hass),
        base_url=str(octopus_sim.server.make_url("/octopus")),
    )

    made: list[RatesCoordinator] = []

    def _make(meter: ActiveMeter) -> RatesCoordinator:
        coordinators = rates_coordinators(
            hass,
            entry,
            client,
            [meter],
            AccountSettings(),  # type: ignore[arg-type]
        )
        made.append(coordinators[meter.key])
        return coordinators[meter.key]

    yield _make
    for coordinator in made:
        await coordinator.async_shutdown()


def capture(hass: HomeAssistant, event_type: str) -> list[dict[str, Any]]:
    """Collect the payloads of a bus event."""
    seen: list[dict[str, Any]] = []

    @callback
    def _listener(event: Event[dict[str, Any]]) -> None:
        seen.append(event.data)

    hass.bus.async_listen(event_type, _listener)
    return seen


async def step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass in 5-minute steps, firing timers as they come due."""
    end = dt_util.utcnow() + delta
    while (now := dt_util.utcnow()) < end:
        grid = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % 5)
        freezer.move_to(min(grid + timedelta(minutes=5), end))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


async def test_fixed_export_once_a_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """A fixed tariff: one unit-rate and one standing-charge request per day."""
    freezer.move_to(utc(2026, 11, 23, 10))
    coordinator = make_coordinator(FIXED_EXPORT)
    await coordinator.async_config_entry_first_refresh()
    assert len(coordinator.data.slots) == 144
    assert coordinator.data.standing_charge is not None
    assert (octopus_sim.count(RATES), octopus_sim.count(CHARGES)) == (1, 1)
    assert coordinator.next_retrieval == utc(2026, 11, 24)
    await step(hass, freezer, timedelta(hours=24))
    assert (octopus_sim.count(RATES), octopus_sim.count(CHARGES)) == (2, 2)
    assert octopus_sim.count("octopus.rest.products") == 0
    assert coordinator.data.slots[0].start == utc(2026, 11, 23)
    assert coordinator.data.slots[-1].end == utc(2026, 11, 26)
    await coordinator.async_shutdown()


async def test_agile_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Agile: prices up to 23:00 UK are complete; one unit-rate request a day.

    Octopus publishes at about 16:00 the prices up to 23:00 UK of the next day.
    """
    freezer.move_to(utc(2026, 11, 23, 10))
    coordinator = make_coordinator(AGILE)
    current = capture(hass, "octopus_energy_electricity_current_day_rates")
    following = capture(hass, "octopus_energy_electricity_next_day_rates")
    timeframes = capture(hass, "target_timeframe_update_data_source")
    await coordinator.async_config_entry_first_refresh()
    assert len(coordinator.data.slots) == 48 + 46
    assert coordinator.next_retrieval == utc(2026, 11, 23, 16)
    assert len(current) == len(following) == len(timeframes) == 1
    assert len(current[0]["rates"]) == 46
    assert following[0]["rates"] == []
    assert current[0]["mpan"] == AGILE.mpxn
    assert current[0]["tariff_code"] == AGILE.tariff_code

    await step(hass, freezer, timedelta(hours=5, minutes=59))
    assert octopus_sim.count(RATES) == 1
    await step(hass, freezer, timedelta(minutes=1))
    assert octopus_sim.count(RATES) == 2  # the rest of today and tomorrow at once
    assert len(coordinator.data.slots) == 48 + 48 + 46
    assert coordinator.next_retrieval == utc(2026, 11, 24)  # standing charge
    assert len(following) == 2
    assert len(following[1]["rates"]) == 46
    assert len(current) == 2
    assert len(current[1]["rates"]) == 48
    assert len(timeframes) == 2

    await step(hass, freezer, timedelta(hours=8))  # 00:00 → standing charge only
    assert (octopus_sim.count(RATES), octopus_sim.count(CHARGES)) == (2, 2)
    assert len(current) == 3  # the day rolled over
    assert current[2]["rates"] == following[1]["rates"]
    assert following[2]["rates"] == []
    await step(hass, freezer, timedelta(hours=15, minutes=55))
    assert octopus_sim.count(RATES) == 2
    await step(hass, freezer, timedelta(minutes=5))
    assert octopus_sim.count(RATES) == 3
    await coordinator.async_shutdown()


async def test_stopping_short_learns_day_ahead(
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Prices that stop before the end asked for mark the tariff as day-ahead."""
    coordinator = make_coordinator(FIXED_EXPORT)
    tariff = FIXED_EXPORT.tariff_code
    slot = RateSlot(start=utc(2026, 11, 23, 22), end=utc(2026, 11, 23, 23), value=1)
    coordinator._learn(FIXED_EXPORT, [], utc(2026, 11, 24))
    assert tariff not in coordinator.day_ahead_tariffs  # nothing says anything
    coordinator._learn(FIXED_EXPORT, [slot], utc(2026, 11, 23, 23))
    assert tariff not in coordinator.day_ahead_tariffs
    coordinator._learn(FIXED_EXPORT, [slot], utc(2026, 11, 24))
    assert tariff in coordinator.day_ahead_tariffs
    coordinator._learn(AGILE, [slot], utc(2026, 11, 24))
    assert AGILE.tariff_code not in coordinator.day_ahead_tariffs  # presumed


async def test_listeners_on_half_hours(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Listeners are told exactly at each half-hour boundary, not every minute."""
    freezer.move_to(utc(2026, 11, 23, 10, 7))
    coordinator = make_coordinator(GAS)
    await coordinator.async_config_entry_first_refresh()
    told: list[datetime] = []
    unsub = coordinator.async_add_listener(lambda: told.append(dt_util.utcnow()))
    await step(hass, freezer, timedelta(minutes=60))
    assert told == [utc(2026, 11, 23, 10, 30), utc(2026, 11, 23, 11)]
    unsub()
    await coordinator.async_shutdown()


async def test_offline_start_from_store(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """A restart with the API down starts from the stored rates."""
    freezer.move_to(utc(2026, 11, 23, 17))
    first = make_coordinator(AGILE)
    await first.async_config_entry_first_refresh()
    await hass.async_block_till_done()
    await first.async_shutdown()

    requests = octopus_sim.count()
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    freezer.move_to(utc(2026, 11, 23, 20))
    second = make_coordinator(AGILE)
    await second.async_config_entry_first_refresh()
    assert second.last_update_success
    assert second.data.slots == first.data.slots
    assert second.data.standing_charge == first.data.standing_charge
    assert octopus_sim.count() == requests  # nothing was missing
    await second.async_shutdown()


async def test_failure_unavailable_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Without rates for now a failure is a failure; retried after 1 minute."""
    freezer.move_to(utc(2026, 11, 23, 10))
    octopus_sim.sim.faults.add(
        Fault(kind="server_error", operation="octopus.rest", remaining=1)
    )
    coordinator = make_coordinator(GAS)
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert coordinator.next_retrieval == utc(2026, 11, 23, 10, 1)
    await step(hass, freezer, timedelta(minutes=1))
    assert coordinator.last_update_success
    assert len(coordinator.data.slots) == 144
    await coordinator.async_shutdown()


async def test_failure_with_rates_known_keeps_them(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Prices known for now stay available while tomorrow's retrieval fails."""
    freezer.move_to(utc(2026, 11, 23, 10))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    octopus_sim.sim.faults.add(
        Fault(kind="rate_limit", operation="octopus.rest", retry_after=3600)
    )
    await step(hass, freezer, timedelta(hours=6))
    assert coordinator.last_update_success
    assert coordinator.next_retrieval == utc(2026, 11, 23, 17)  # Retry-After: 60 min
    await step(hass, freezer, timedelta(hours=1))
    assert caplog.text.count("keeping the last data") == 1
    assert coordinator.last_error is not None
    assert coordinator.stale
    octopus_sim.sim.faults.clear()
    await step(hass, freezer, timedelta(hours=1))
    assert len(coordinator.data.slots) == 142
    assert "Octopus Energy answers again" in caplog.text
    assert coordinator.last_error is None
    assert not coordinator.stale
    await coordinator.async_shutdown()


async def test_tariff_change_followed_per_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Agile today, Flexible from tomorrow: each day is priced at its tariff."""
    freezer.move_to(utc(2026, 11, 23, 10))
    flexible = replace(AGILE, product_code="VAR-22-11-01", tariff_code=FLEX)
    coordinator = make_coordinator(AGILE)
    monkeypatch.setattr(
        coordinator,
        "meter_on",
        lambda moment: flexible if moment >= utc(2026, 11, 24) else AGILE,
    )
    await coordinator.async_config_entry_first_refresh()
    tomorrow = [s for s in coordinator.data.slots if s.start >= utc(2026, 11, 24)]
    assert len(tomorrow) == 48
    assert {s.tariff_code for s in tomorrow} == {FLEX}
    assert coordinator.data.tariff_code == AGILE.tariff_code
    assert octopus_sim.count(RATES) == 2  # one request per tariff

    # Midnight: the entities follow the new tariff without a restart
    await step(hass, freezer, timedelta(hours=14))
    assert coordinator.data.tariff_code == FLEX
    today = [s for s in coordinator.data.slots if s.start >= utc(2026, 11, 24)]
    assert {s.tariff_code for s in today} == {FLEX}
    assert octopus_sim.count(CHARGES) == 2  # the new tariff's standing charge
    await coordinator.async_shutdown()


async def test_changed_settings_not_hidden_by_the_store(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    entry: MockConfigEntry,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Stored prices of other settings (price cap) are not restored."""
    freezer.move_to(utc(2026, 11, 23, 10))
    first = make_coordinator(AGILE)
    await first.async_config_entry_first_refresh()
    await hass.async_block_till_done()
    await first.async_shutdown()
    capped = AccountSettings(electricity_price_cap=10.0)
    second = rates_coordinators(hass, entry, first.client, [AGILE], capped)[AGILE.key]
    await second.async_restore()
    await second.async_restore()  # once only
    assert second.data is None
    await second.async_refresh()
    assert max(slot.value for slot in second.data.slots) <= 0.1
    assert any(slot.is_capped for slot in second.data.slots)
    await second.async_shutdown()


async def test_tariff_without_rates_retried_hourly(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No rates at all: unavailable data is asked for again after an hour."""

    async def no_rates(*_args: Any) -> list[Any]:
        return []

    monkeypatch.setattr(
        "custom_components.octopus_energy.features.rates.coordinator.async_fetch_rates",
        no_rates,
    )
    freezer.move_to(utc(2026, 11, 23, 10))
    coordinator = make_coordinator(GAS)
    await coordinator.async_refresh()
    assert coordinator.data.slots == ()
    assert coordinator.next_retrieval == utc(2026, 11, 23, 11)
    await coordinator.async_refresh()  # a manual refresh replaces the timer
    assert coordinator.next_retrieval == utc(2026, 11, 23, 11)


async def test_late_publication_every_10_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the usual time without tomorrow's prices: every 10 minutes until 16:00."""
    monkeypatch.setattr(
        "custom_components.octopus_energy.features.rates.coordinator.PUBLISH_TIME",
        time(15, 0),
    )
    freezer.move_to(utc(2026, 11, 23, 15, 20))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    assert coordinator.next_retrieval == utc(2026, 11, 23, 15, 30)
    await step(hass, freezer, timedelta(minutes=40))
    assert octopus_sim.count(RATES) == 5  # 15:20, 15:30, 15:40, 15:50, 16:00
    assert len(coordinator.data.slots) == 142
    assert coordinator.next_retrieval == utc(2026, 11, 24)


async def test_day_change_events_without_retrieval(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Rate limited past midnight: the new day's events still come at 00:00."""
    freezer.move_to(utc(2026, 11, 23, 23))
    coordinator = make_coordinator(GAS)
    await coordinator.async_config_entry_first_refresh()
    previous = capture(hass, "octopus_energy_gas_previous_day_rates")
    octopus_sim.sim.faults.add(
        Fault(kind="rate_limit", operation="octopus.rest", retry_after=7200)
    )
    tomorrow = utc(2026, 11, 24)
    coordinator.data = replace(
        coordinator.data,
        slots=tuple(s for s in coordinator.data.slots if s.start < tomorrow),
    )
    await coordinator.async_refresh()  # fails: next attempt in 2 hours
    assert coordinator.next_retrieval == utc(2026, 11, 24, 1)
    await step(hass, freezer, timedelta(minutes=30))  # 23:30: nothing new
    assert previous == []
    await step(hass, freezer, timedelta(minutes=30))
    assert len(previous) == 1
    assert previous[0]["rates"][0]["start"] == dt_util.as_local(utc(2026, 11, 23))
    assert previous[0]["mprn"] == GAS.mpxn


async def test_retry_not_realigned_once_published_or_rate_limited(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Callable[[ActiveMeter], RatesCoordinator],
) -> None:
    """Tomorrow's prices known, or a rate limit: the back-off is kept as it is."""
    freezer.move_to(utc(2026, 11, 23, 16, 5))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    now = dt_util.utcnow()
    later = now + timedelta(minutes=30)
    assert coordinator._realigned(later, now, OctopusEnergyServerError("x")) == later
    freezer.move_to(utc(2026, 11, 24, 15, 0))
    now = dt_util.utcnow()
    later = now + timedelta(hours=2)
    limit = OctopusEnergyRateLimitError("slow down", retry_after=7200)
    assert coordinator._realigned(later, now, limit) == later
    # tomorrow's prices awaited: a server error is retried at 16:00
    error = OctopusEnergyServerError("x")
    assert coordinator._realigned(later, now, error) == utc(2026, 11, 24, 16)
