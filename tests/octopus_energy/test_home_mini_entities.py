"""Tests of the Home Mini sensors (states, attributes, costs, availability)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
import json
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockEntityPlatform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.const import DOMAIN, LOGGER, UK_TZ
from custom_components.octopus_energy.features.home_mini.coordinator import (
    HomeMiniCoordinator,
)
from custom_components.octopus_energy.features.home_mini.entities import (
    HomeMiniSensor,
    home_mini_entities,
)
from custom_components.octopus_energy.models import (
    AccountSettings,
    MeterRates,
    RateSlot,
    StandingCharge,
)
from scripts.simulator.faults import Fault

from .builders import home_mini_coordinator, make_client
from .conftest import OctopusSim
from .home_mini_helpers import (
    ELECTRICITY,
    GAS,
    TELEMETRY,
    Calls,
    uk,
)

SLOT = timedelta(minutes=30)
E = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
G = "sensor.octopus_energy_gas_g4a0000001_3000000001"


def day_slots(day: datetime, price: Callable[[datetime], float]) -> list[RateSlot]:
    """Slots from the UK day before `day` to the end of the day after."""
    start = (day - timedelta(days=1)).astimezone(UTC)
    end = (day + timedelta(days=2)).astimezone(UTC)
    slots, moment = [], start
    while moment < end:
        slots.append(RateSlot(start=moment, end=moment + SLOT, value=price(moment)))
        moment += SLOT
    return slots


def agile(moment: datetime) -> float:
    """Many prices a day (no tiers), some negative."""
    return round(0.05 * ((moment.hour * 2 + moment.minute // 30) % 9) - 0.05, 4)


def go(moment: datetime) -> float:
    """Two prices: off peak 00:30-05:30 UK."""
    local = moment.astimezone(UK_TZ)
    minutes = local.hour * 60 + local.minute
    return 0.085 if 30 <= minutes < 330 else 0.3


def meter_rates(tariff: str, slots: list[RateSlot], standing: float) -> MeterRates:
    """What a rates coordinator would hold."""
    return MeterRates(
        tariff_code=tariff,
        slots=tuple(slots),
        standing_charge=StandingCharge(value=standing, start=None, end=None),
        standing_charge_day=None,
    )


@dataclass
class Setup:
    """The pieces of a Home Mini set-up."""

    coordinator: HomeMiniCoordinator
    calls: Calls
    rates: dict[str, DataUpdateCoordinator[MeterRates]]
    platform: MockEntityPlatform
    entities: list[HomeMiniSensor]


def plain(value: Any) -> Any:
    """Version-stable, JSON-like values."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in sorted(value.items())}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def describe(hass: HomeAssistant, entity_registry: er.EntityRegistry) -> dict[str, Any]:
    """States and registry facts of the integration's sensors (stable across HA)."""
    result: dict[str, Any] = {}
    for entry in sorted(entity_registry.entities.values(), key=lambda e: e.entity_id):
        if entry.platform != DOMAIN:
            continue
        state = hass.states.get(entry.entity_id)
        result[entry.entity_id] = {
            "unique_id": entry.unique_id,
            "translation_key": entry.translation_key,
            "disabled_by": plain(entry.disabled_by),
            "state": state.state if state else None,
            "attributes": plain(dict(state.attributes)) if state else None,
        }
    return result


@pytest.fixture
async def setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_home_mini: Callable[..., tuple[HomeMiniCoordinator, Calls]],
    home_mini_entry: MockConfigEntry,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Setup]:
    """Coordinator refreshed at 10:40:20 UK, entities added to a sensor platform."""
    price = getattr(request, "param", agile)
    freezer.move_to(uk(2026, 1, 15, 10, 40, 20))
    coordinator, calls = make_home_mini()
    rates: dict[str, DataUpdateCoordinator[MeterRates]] = {}
    for meter, tariff_price, standing in (
        (ELECTRICITY, price, 0.5),
        (GAS, lambda _: 0.06, 0.3),
    ):
        rate = DataUpdateCoordinator[MeterRates](
            hass, LOGGER, config_entry=home_mini_entry, name="rates"
        )
        rate.data = meter_rates(
            meter.tariff_code, day_slots(uk(2026, 1, 15), tariff_price), standing
        )
        rates[meter.key] = rate
    coordinator.rates = rates
    await coordinator.async_refresh()
    entities = home_mini_entities(coordinator, coordinator.meters)
    platform = MockEntityPlatform(hass, domain="sensor", platform_name=DOMAIN)
    platform.config_entry = home_mini_entry
    # HA 2026 moved the translations to `platform_data`
    await getattr(platform, "platform_data", platform).async_load_translations()
    await platform.async_add_entities(entities)
    await hass.async_block_till_done()
    yield Setup(coordinator, calls, rates, platform, entities)  # type: ignore[arg-type]
    await coordinator.async_shutdown()


@pytest.fixture
def all_enabled() -> Iterator[None]:
    """Register every entity enabled (to see the disabled-by-default ones too)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.mark.usefixtures("all_enabled")
async def test_sensors(
    hass: HomeAssistant,
    setup: Setup,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every Home Mini sensor (all enabled): ids, states and small attributes."""
    described = describe(hass, entity_registry)
    assert described == snapshot
    assert not any("_export_" in entity_id for entity_id in described)
    for facts in described.values():
        assert len(json.dumps(facts["attributes"])) < 600


async def test_disabled_by_default(
    hass: HomeAssistant, setup: Setup, entity_registry: er.EntityRegistry
) -> None:
    """Legacy, interval, export and tier sensors start disabled."""
    described = describe(hass, entity_registry)
    disabled = {
        entity_id.removeprefix(E).removeprefix(G)
        for entity_id, facts in described.items()
        if facts["disabled_by"]
    }
    assert disabled == {
        "_current_consumption",
        "_current_interval_accumulative_consumption",
        "_current_total_export",
    }


async def test_cost_follows_the_rates_coordinator(
    hass: HomeAssistant, setup: Setup
) -> None:
    """Cost = today's half hours x their rates + today's standing charge."""
    live = setup.coordinator.data.devices[ELECTRICITY.key]
    rates = setup.rates[ELECTRICITY.key]
    prices = {slot.start: slot.value for slot in rates.data.slots}
    energy = sum(kwh * prices[start] for start, kwh in live.slots.items())
    state = hass.states.get(f"{E}_current_accumulative_cost")
    assert state is not None
    assert float(state.state) == pytest.approx(energy + 0.5)
    assert state.attributes["standing_charge"] == 0.5
    assert state.attributes["tariff_code"] == ELECTRICITY.tariff_code
    assert state.attributes["last_reset"] == uk(2026, 1, 15).isoformat()

    new = replace(
        rates.data,
        standing_charge=StandingCharge(value=0.6, start=None, end=None),
    )
    rates.async_set_updated_data(new)
    await hass.async_block_till_done()
    state = hass.states.get(f"{E}_current_accumulative_cost")
    assert state is not None
    assert float(state.state) == pytest.approx(energy + 0.6)

    rates.async_set_updated_data(replace(new, standing_charge=None))
    await hass.async_block_till_done()
    state = hass.states.get(f"{E}_current_accumulative_cost")
    assert state is not None
    assert state.state == "unknown"
    gas = hass.states.get(f"{G}_current_accumulative_cost")
    assert gas is not None
    assert gas.attributes["calorific_value"] == 40.0


async def test_gas_volumes(hass: HomeAssistant, setup: Setup) -> None:
    """m³ = kWh x 3.6 / (1.02264 x CV)."""
    kwh = hass.states.get(f"{G}_current_accumulative_consumption_kwh")
    m3 = hass.states.get(f"{G}_current_accumulative_consumption_m3")
    total_kwh = hass.states.get(f"{G}_current_total_consumption_kwh")
    total_m3 = hass.states.get(f"{G}_current_total_consumption_m3")
    assert kwh is not None
    assert m3 is not None
    assert total_kwh is not None
    assert total_m3 is not None
    factor = 3.6 / (1.02264 * 40.0)
    assert float(m3.state) == pytest.approx(float(kwh.state) * factor)
    assert float(total_m3.state) == pytest.approx(float(total_kwh.state) * factor)
    assert m3.attributes["unit_of_measurement"] == "m³"
    assert total_m3.attributes["state_class"] == "total_increasing"


@pytest.mark.parametrize("setup", [go], indirect=True)
async def test_tiers_on_a_two_rate_tariff(hass: HomeAssistant, setup: Setup) -> None:
    """Two prices: off-peak and peak sensors (disabled by default) add up."""
    tiers = {
        entity.entity_description.key: entity
        for entity in setup.entities
        if entity.entity_description.tier
    }
    assert set(tiers) == {
        "current_accumulative_consumption_off_peak",
        "current_accumulative_consumption_peak",
        "current_accumulative_cost_off_peak",
        "current_accumulative_cost_peak",
    }
    assert all(
        not e.entity_description.entity_registry_enabled_default for e in tiers.values()
    )
    live = setup.coordinator.data.devices[ELECTRICITY.key]
    off_peak = tiers["current_accumulative_consumption_off_peak"].native_value
    peak = tiers["current_accumulative_consumption_peak"].native_value
    assert off_peak is not None
    assert peak is not None
    assert off_peak + peak == pytest.approx(live.today_kwh)
    night = sum(kwh for start, kwh in live.slots.items() if go(start) == 0.085)
    assert off_peak == pytest.approx(night)
    cost = tiers["current_accumulative_cost_off_peak"].native_value
    assert cost == pytest.approx(night * 0.085)
    total = hass.states.get(f"{E}_current_accumulative_cost")
    assert total is not None
    peak_cost = tiers["current_accumulative_cost_peak"].native_value
    assert peak_cost is not None
    assert float(total.state) == pytest.approx(night * 0.085 + peak_cost + 0.5)
    # a tier the day does not have (e.g. after a tariff change) is unknown
    setup.rates[ELECTRICITY.key].data = replace(
        setup.rates[ELECTRICITY.key].data,
        slots=tuple(
            replace(s, value=0.2) for s in setup.rates[ELECTRICITY.key].data.slots
        ),
    )
    assert tiers["current_accumulative_consumption_peak"].native_value is None
    assert tiers["current_accumulative_cost_peak"].native_value is None


async def test_unavailable_then_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    setup: Setup,
) -> None:
    """An outage keeps the last values with their age for 2 hours, then unavailable.

    The next success restores the live values (and drops the age).
    """
    before = hass.states.get(f"{E}_current_demand")
    assert before is not None
    assert "data_age_minutes" not in before.attributes
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=TELEMETRY))
    for minutes in (1, 30, 119):
        freezer.move_to(uk(2026, 1, 15, 10, 40, 20) + timedelta(minutes=minutes))
        await setup.coordinator.async_refresh()
        await hass.async_block_till_done()
        state = hass.states.get(f"{E}_current_demand")
        assert state is not None
        assert state.state == before.state
        assert state.attributes["data_age_minutes"] == minutes
        gas = hass.states.get(f"{G}_current_total_consumption_kwh")
        assert gas is not None
        assert gas.state not in (STATE_UNAVAILABLE, "unknown")
    freezer.move_to(uk(2026, 1, 15, 12, 41, 20))  # beyond STALE_AFTER
    await setup.coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(f"{E}_current_demand")
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    octopus_sim.sim.faults.clear()
    freezer.tick(timedelta(minutes=1))
    await setup.coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(f"{E}_current_demand")
    assert state is not None
    assert float(state.state) > 0
    assert "data_age_minutes" not in state.attributes


async def test_outage_across_midnight_resets_today(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    setup: Setup,
) -> None:
    """Kept through an outage, today's totals still start again at UK midnight."""
    setup.coordinator.stale_after = timedelta(hours=16)  # type: ignore[misc]
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=TELEMETRY))
    freezer.move_to(uk(2026, 1, 16, 0, 10))
    await setup.coordinator.async_refresh()
    await hass.async_block_till_done()
    today = hass.states.get(f"{E}_current_accumulative_consumption")
    total = hass.states.get(f"{E}_current_total_consumption")
    assert today is not None
    assert total is not None
    assert float(today.state) == 0
    assert today.attributes["last_reset"] == uk(2026, 1, 16).isoformat()
    assert float(total.state) > 0
    assert today.attributes["data_age_minutes"] == 13 * 60 + 29


async def test_unchanged_sensors_are_not_rewritten(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup: Setup
) -> None:
    """An electricity-only tick leaves the gas sensors' states untouched."""
    before = hass.states.get(f"{G}_current_total_consumption_kwh")
    demand = hass.states.get(f"{E}_current_demand")
    assert before is not None
    assert demand is not None
    freezer.tick(timedelta(minutes=1))
    await setup.coordinator.async_refresh()
    await hass.async_block_till_done()
    after = hass.states.get(f"{G}_current_total_consumption_kwh")
    assert after is not None
    assert after.last_updated == before.last_updated
    assert getattr(after, "last_reported", None) == getattr(
        before, "last_reported", None
    )
    new_demand = hass.states.get(f"{E}_current_demand")
    assert new_demand is not None
    assert new_demand.last_updated > demand.last_updated


async def test_no_sensors_without_home_mini(
    hass: HomeAssistant, home_mini_entry: MockConfigEntry
) -> None:
    """Live consumption off: no Home Mini coordinator, no sensors."""
    client = make_client(hass)
    assert (
        home_mini_coordinator(
            hass, home_mini_entry, client, [ELECTRICITY], AccountSettings()
        )
        is None
    )


async def test_before_any_data(
    hass: HomeAssistant,
    make_home_mini: Callable[..., tuple[HomeMiniCoordinator, Calls]],
    home_mini_entry: MockConfigEntry,
) -> None:
    """No telemetry yet and no rates: no tier sensors, sensors unavailable."""
    coordinator, _ = make_home_mini()
    sensors = home_mini_entities(coordinator, coordinator.meters)
    assert len(sensors) == 13
    assert not any(sensor.entity_description.tier for sensor in sensors)
    assert not sensors[0].available
    assert sensors[0].native_value is None
    assert sensors[0].last_reset is None
