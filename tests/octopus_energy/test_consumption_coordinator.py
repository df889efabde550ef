"""The previous-consumption coordinator: frugal polling, Store, events, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.features.consumption.coordinator import (
    PreviousConsumptionCoordinator,
    _days_to_import,
)
from custom_components.octopus_energy.features.consumption.model import expected_starts
from custom_components.octopus_energy.features.rates.tariff import uk_day_bounds
from custom_components.octopus_energy.models import (
    AccountSettings,
    ActiveMeter,
    MeterRates,
    StandingCharge,
)
from scripts.simulator.faults import Fault
from scripts.simulator.octopus import rows

from .builders import NO_ACCOUNT, FakeRates, consumption_coordinators
from .conftest import API_KEY, OctopusSim
from .rates_helpers import AGILE, FIXED_EXPORT, GAS, make_slots, utc

CONSUMPTION = "octopus.rest.consumption"
RATES = "octopus.rest.rates"
CHARGES = "octopus.rest.standing_charges"
type Factory = Callable[..., PreviousConsumptionCoordinator]


@pytest.fixture
async def entry(hass: HomeAssistant) -> MockConfigEntry:
    """An entry being set up, in Europe/London."""
    await hass.config.async_set_time_zone("Europe/London")
    entry = MockConfigEntry(domain="octopus_energy", version=9, data={})
    entry.add_to_hass(hass)
    entry.mock_state(hass, ConfigEntryState.SETUP_IN_PROGRESS)
    return entry


@pytest.fixture
async def make_coordinator(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> AsyncIterator[Factory]:
    """Build coordinators against the simulator (shut down at the end)."""
    client = OctopusEnergyClient(
        api_key=API_KEY,
        session=async_get_clientsession(hass),
        base_url=str(octopus_sim.server.make_url("/octopus")),
    )
    made: list[PreviousConsumptionCoordinator] = []

    def _make(
        meter: ActiveMeter, rates: Any = None, account: Any = NO_ACCOUNT
    ) -> PreviousConsumptionCoordinator:
        coordinators = consumption_coordinators(
            hass,
            entry,  # type: ignore[arg-type]
            client,
            [meter],
            AccountSettings(calorific_value=39.2),
            {meter.key: rates} if rates is not None else {},
            account,
        )
        coordinator = coordinators[meter.key]
        coordinator.async_add_listener(lambda: None)  # entities would listen
        made.append(coordinator)
        return coordinator

    yield _make
    for coordinator in made:
        await coordinator.async_shutdown()


async def step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass in 5-minute steps, firing timers as they come due."""
    end = dt_util.utcnow() + delta
    while dt_util.utcnow() < end:
        freezer.move_to(min(dt_util.utcnow() + timedelta(minutes=5), end))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def events(hass: HomeAssistant, event_type: str) -> list[Event]:
    """Collect the events of one type."""
    seen: list[Event] = []

    @callback
    def _listener(event: Event) -> None:
        seen.append(event)

    hass.bus.async_listen(event_type, _listener)
    return seen


async def test_requests_stop_once_the_day_is_complete(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Factory,
) -> None:
    """One request after midnight, none for the rest of the day, one the next."""
    freezer.move_to(utc(2026, 6, 1, 23, 10))  # 00:10 BST on 2 June
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()

    data = coordinator.data
    assert data is not None
    assert data.day == date(2026, 6, 1)
    assert len(data.charges) == 48
    assert data.has_costs
    assert data.standing_charge is not None
    assert data.total_cost == pytest.approx(
        data.total_without_standing_charge + data.standing_charge
    )
    assert octopus_sim.count(CONSUMPTION) == 1
    requests = octopus_sim.count()

    await step(hass, freezer, timedelta(hours=23, minutes=50))
    assert octopus_sim.count() == requests
    await step(hass, freezer, timedelta(minutes=10))
    assert octopus_sim.count(CONSUMPTION) == 2
    assert coordinator.data is not None
    assert coordinator.data.day == date(2026, 6, 2)


@pytest.mark.parametrize(
    ("now", "day", "slots"),
    [
        (utc(2026, 3, 30, 0, 10), date(2026, 3, 29), 46),
        (utc(2026, 10, 26, 0, 10), date(2026, 10, 25), 50),
    ],
)
async def test_clock_change_days_are_published(
    freezer: FrozenDateTimeFactory,
    make_coordinator: Factory,
    now: datetime,
    day: date,
    slots: int,
) -> None:
    """Both 2026 clock-change days are complete days with every half hour priced."""
    freezer.move_to(now)
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    assert coordinator.data is not None
    assert coordinator.data.day == day
    assert len(coordinator.data.charges) == slots
    assert len(coordinator.data.rates) == slots
    assert coordinator.data.has_costs


async def test_retries_until_the_day_is_complete(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Missing half hours: retried after 30, 30, 60 … minutes, then never again."""
    late = {"hours": 3}

    def available_until(now: datetime) -> datetime:
        return uk_day_bounds(dt_util.as_local(now).date())[0] - timedelta(**late)

    monkeypatch.setattr(rows, "consumption_available_until", available_until)
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    coordinator = make_coordinator(FIXED_EXPORT)
    await coordinator.async_config_entry_first_refresh()
    assert coordinator.data is None
    assert octopus_sim.count(CONSUMPTION) == 1

    await step(hass, freezer, timedelta(minutes=30))
    assert octopus_sim.count(CONSUMPTION) == 2
    await step(hass, freezer, timedelta(minutes=30))
    assert octopus_sim.count(CONSUMPTION) == 3
    await step(hass, freezer, timedelta(minutes=30))
    assert octopus_sim.count(CONSUMPTION) == 3  # now hourly
    late["hours"] = 0
    await step(hass, freezer, timedelta(minutes=30))
    assert octopus_sim.count(CONSUMPTION) == 4
    assert coordinator.data is not None
    assert coordinator.data.day == date(2026, 11, 22)
    await step(hass, freezer, timedelta(hours=20))
    assert octopus_sim.count(CONSUMPTION) == 4


async def test_event_payload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """A new day fires the community event with the day's rates."""
    seen = events(hass, "octopus_energy_electricity_previous_consumption_rates")
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    await hass.async_block_till_done()

    [event] = seen
    assert set(event.data) == {
        "rates",
        "min_rate",
        "max_rate",
        "average_rate",
        "mpan",
        "serial_number",
        "tariff_code",
    }
    assert event.data["mpan"] == AGILE.mpxn
    assert event.data["tariff_code"] == AGILE.tariff_code
    assert len(event.data["rates"]) == 48
    assert set(event.data["rates"][0]) == {
        "start",
        "end",
        "value_inc_vat",
        "is_capped",
        "is_intelligent_adjusted",
    }


async def test_gas_in_m3_and_kwh(
    freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """The simulator's gas meter reports m³; kWh uses the calorific value."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    coordinator = make_coordinator(GAS)
    await coordinator.async_config_entry_first_refresh()
    data = coordinator.data
    assert data is not None
    assert data.total_m3 is not None
    assert data.calorific_value == 39.2
    assert data.total_kwh == pytest.approx(
        data.total_m3 * 1.02264 * 39.2 / 3.6, rel=1e-4
    )


async def test_rates_coordinator_cache_is_reused(
    freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim, make_coordinator: Factory
) -> None:
    """When the rates coordinator holds yesterday, no rate request is made."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    start, _ = uk_day_bounds(date(2026, 11, 22))
    cached = MeterRates(
        tariff_code=AGILE.tariff_code,
        slots=tuple(make_slots(start, start + timedelta(days=3), lambda _s: 0.25)),
        standing_charge=StandingCharge(value=0.6, start=None, end=None),
        standing_charge_day=date(2026, 11, 23),
    )
    coordinator = make_coordinator(AGILE, FakeRates(cached))
    await coordinator.async_config_entry_first_refresh()
    assert octopus_sim.count(RATES) == 0
    assert octopus_sim.count(CHARGES) == 0
    assert coordinator.data is not None
    assert coordinator.data.standing_charge == 0.6
    assert {charge.rate for charge in coordinator.data.charges} == {0.25}


async def test_rates_coordinator_restored_or_ignored(
    freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim, make_coordinator: Factory
) -> None:
    """A rates coordinator not refreshed yet is restored; another tariff is ignored."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    start, _ = uk_day_bounds(date(2026, 11, 22))
    cached = MeterRates(
        tariff_code=AGILE.tariff_code,
        slots=tuple(make_slots(start, start + timedelta(days=2), lambda _s: 0.25)),
        standing_charge=None,
        standing_charge_day=None,
    )
    coordinator = make_coordinator(AGILE, FakeRates(None, restored=cached))
    await coordinator.async_config_entry_first_refresh()
    assert octopus_sim.count(RATES) == 0
    assert octopus_sim.count(CHARGES) == 1

    other = make_coordinator(FIXED_EXPORT, FakeRates(cached))
    await other.async_config_entry_first_refresh()
    assert octopus_sim.count(RATES) == 1


async def test_offline_start_from_the_store(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Factory,
) -> None:
    """A restart on the same day makes no request; the API down still starts."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    first = make_coordinator(AGILE)
    await first.async_config_entry_first_refresh()
    stored = first.data
    requests = octopus_sim.count()

    again = make_coordinator(AGILE)
    await again.async_config_entry_first_refresh()
    assert again.data == stored
    assert octopus_sim.count() == requests

    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    freezer.move_to(utc(2026, 11, 24, 0, 10))
    offline = make_coordinator(AGILE)
    await offline.async_config_entry_first_refresh()
    assert offline.data == stored
    assert offline.last_update_success
    assert offline.last_error is not None


async def test_failure_unavailable_then_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Factory,
) -> None:
    """A failing retrieval marks the data unavailable; the next success recovers."""
    freezer.move_to(utc(2026, 11, 22, 0, 10))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=CONSUMPTION))

    await step(hass, freezer, timedelta(days=1))
    assert not coordinator.last_update_success
    assert isinstance(coordinator.last_exception, UpdateFailed)

    octopus_sim.sim.faults.clear()
    await step(hass, freezer, timedelta(minutes=30))
    assert coordinator.last_update_success
    assert coordinator.data is not None
    assert coordinator.data.day == date(2026, 11, 22)


def test_days_to_import_waits_for_recent_gaps() -> None:
    """A recent incomplete day stops the import; an old one is imported as it is."""
    yesterday = date(2026, 11, 22)
    full = {
        day: dict.fromkeys(expected_starts(day), 0.1)
        for day in (date(2026, 11, 16), date(2026, 11, 18), yesterday)
    }
    partial = dict.fromkeys(list(expected_starts(date(2026, 11, 20)))[:10], 0.1)
    by_day = {**full, date(2026, 11, 20): partial}
    assert _days_to_import(by_day, date(2026, 11, 16), yesterday) == [
        date(2026, 11, 16),
        date(2026, 11, 18),
    ]
    assert _days_to_import(by_day, date(2026, 11, 16), date(2026, 11, 24)) == [
        date(2026, 11, 16),
        date(2026, 11, 18),
        date(2026, 11, 20),
        yesterday,
    ]


async def test_each_day_is_priced_with_its_own_tariff(
    entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    make_coordinator: Factory,
) -> None:
    """Days before a tariff change are priced with the tariff they had."""
    switch = uk_day_bounds(date(2024, 11, 1))[0]
    flexible = SimpleNamespace(
        product_code="VAR-22-11-01", tariff_code="E-1R-VAR-22-11-01-C"
    )
    agile = SimpleNamespace(
        product_code=AGILE.product_code, tariff_code=AGILE.tariff_code
    )
    point = SimpleNamespace(
        fuel=AGILE.fuel,
        mpxn=AGILE.mpxn,
        active_agreement=lambda moment: flexible if moment < switch else agile,
    )
    account = SimpleNamespace(
        data=SimpleNamespace(electricity_meter_points=[point], gas_meter_points=[])
    )
    asked: list[tuple[str, datetime, datetime]] = []

    async def fetch(
        _client: Any, meter: ActiveMeter, _settings: Any, start: datetime, end: datetime
    ) -> list[Any]:
        asked.append((meter.tariff_code, start, end))
        return []

    monkeypatch.setattr(
        "custom_components.octopus_energy.features.consumption.coordinator.async_fetch_rates",
        fetch,
    )
    coordinator = make_coordinator(AGILE, account=account)

    await coordinator._rates_for({date(2024, 10, 31), date(2024, 11, 1)})

    assert asked == [
        ("E-1R-VAR-22-11-01-C", *uk_day_bounds(date(2024, 10, 31))),
        (AGILE.tariff_code, *uk_day_bounds(date(2024, 11, 1))),
    ]


@pytest.mark.parametrize(
    ("first_missing", "start"),
    [
        (date(2026, 11, 18), date(2026, 11, 18)),  # a gap: start at its first day
        (date(2026, 11, 22), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 22)),  # statistics complete: yesterday
        (None, date(2026, 11, 22)),  # no statistics: yesterday
    ],
)
async def test_fetch_starts_at_first_missing_day_or_yesterday(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    make_coordinator: Factory,
    first_missing: date | None,
    start: date,
) -> None:
    """The request starts at min(first day the statistics miss, yesterday).

    Starting later would leave a gap in the statistics or, without a stored day,
    leave the previous-day sensors unknown.
    """
    freezer.move_to(utc(2026, 11, 23, 10))
    coordinator = make_coordinator(GAS, rates=FakeRates(None))
    asked: list[datetime] = []
    original = coordinator.client.get_consumption

    async def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["period_from"])
        return await original(*args, **kwargs)

    coordinator.client.get_consumption = spy  # type: ignore[method-assign]

    async def missing(_yesterday: date) -> date | None:
        return first_missing

    coordinator._first_missing_statistics_day = missing  # type: ignore[method-assign]
    await coordinator.async_refresh()
    assert asked == [uk_day_bounds(start)[0]]
    assert coordinator.data is not None
    assert coordinator.data.day == date(2026, 11, 22)
