"""The heat-pump feature: discovery, entities, polling, failures, restore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.api import (
    Account,
    OctopusEnergyClient,
    OctopusEnergyServerError,
)
from custom_components.octopus_energy.api.counter import RequestCounter
from custom_components.octopus_energy.api.models.account import Property
from custom_components.octopus_energy.api.models.heat_pump import Quantity
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.coordinator import HOURLY_BUDGET
from custom_components.octopus_energy.features.heat_pump import HeatPumpFeature
from custom_components.octopus_energy.features.heat_pump.coordinator import (
    CONFIRM_DELAY,
    POLL_LIMIT,
)
from custom_components.octopus_energy.features.heat_pump.model import (
    battery_percentage,
    kilo,
)
from scripts.simulator.faults import Fault

from .conftest import ACCOUNT, OctopusSim, community_entry_data
from .heat_pump_helpers import (
    CLIMATE,
    DISCOVERY,
    POLL,
    TELEMETRY,
    WATER_HEATER,
    H,
    polls,
    set_up,
    tick,
)
from .rates_helpers import REGISTRY_FIELDS, plain


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


def _heat_pump_entries(
    entity_registry: er.EntityRegistry, entry_id: str
) -> list[er.RegistryEntry]:
    return sorted(
        (
            e
            for e in er.async_entries_for_config_entry(entity_registry, entry_id)
            if "heat_pump" in e.entity_id
        ),
        key=lambda e: e.entity_id,
    )


async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every heat-pump entity and device of the reference account."""
    entry = await set_up(hass, freezer)
    entries = _heat_pump_entries(entity_registry, entry.entry_id)
    assert len(entries) == 18
    for registry_entry in entries:
        fields = {name: getattr(registry_entry, name) for name in REGISTRY_FIELDS}
        assert plain(fields) == snapshot(name=f"{registry_entry.entity_id}-entry")
        state = hass.states.get(registry_entry.entity_id)
        assert state is not None
        assert {
            "state": state.state,
            "attributes": plain(dict(state.attributes)),
        } == snapshot(name=f"{registry_entry.entity_id}-state")
    devices = {
        device.name: {
            "identifiers": sorted(device.identifiers),
            "manufacturer": device.manufacturer,
            "model": device.model,
            "hw_version": device.hw_version,
            "sw_version": device.sw_version,
            "serial_number": device.serial_number,
            "via": device_registry.async_get(device.via_device_id).name
            if device.via_device_id
            else None,
        }
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        if device.name and "Heat Pump" in device.name
    }
    assert devices == snapshot(name="devices")


async def test_compatible_ids(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    entity_registry: er.EntityRegistry,
) -> None:
    """Unique ids keep the EUID and codes as the API spells them."""
    await set_up(hass, freezer)
    prefix = "octopus_energy_heat_pump_00:00:00:00:00:00:00:a1"
    for entity_id, unique_id in (
        (CLIMATE, f"{prefix}_ZONE_1"),
        (WATER_HEATER, prefix),
        (f"sensor.{H}_sensor01_temperature", f"{prefix}_SENSOR01_temperature"),
        (f"sensor.{H}_lifetime_scop", f"{prefix}_lifetime_scop"),
        (
            f"binary_sensor.{H}_weather_compensation_enabled",
            f"{prefix}_weather_compensation_enabled",
        ),
    ):
        registered = entity_registry.async_get(entity_id)
        assert registered is not None
        assert registered.unique_id == unique_id
    # the disabled auxiliary zone and the water zone have no climate entity
    assert hass.states.get(f"climate.{H}_auxiliary") is None
    assert hass.states.get(f"climate.{H}_water") is None


async def test_requests_per_hour(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """20 polls an hour, one request each; lifetime figures once an hour."""
    original = OctopusEnergyClient.get_heat_pump
    with patch.object(
        OctopusEnergyClient, "get_heat_pump", autospec=True, side_effect=original
    ) as spy:
        await set_up(hass, freezer)
        assert octopus_sim.sim.faults.counts[DISCOVERY] == 1
        assert polls(octopus_sim) == 1
        assert spy.call_args.kwargs == {"lifetime": True}
        before = hass.states.get(f"sensor.{H}_live_power_input")
        assert before is not None
        for _ in range(20):
            await tick(hass, freezer, timedelta(minutes=3, seconds=1))
        assert polls(octopus_sim) == 21  # setup + 20 in the hour after it
        lifetime = [call.kwargs["lifetime"] for call in spy.call_args_list]
        assert lifetime == [True, *[False] * 19, True]
    assert octopus_sim.sim.faults.counts[DISCOVERY] == 1
    after = hass.states.get(f"sensor.{H}_live_power_input")
    assert after is not None
    assert after.state != before.state  # live values moved with the outdoor air
    scop = hass.states.get(f"sensor.{H}_lifetime_scop")
    assert scop is not None
    assert scop.state == "3.4"  # kept between the hourly lifetime requests


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 1, 15, 10, 40, 20, tzinfo=UTC),
        datetime(2026, 1, 15, 15, 50, 20, tzinfo=UTC),  # Agile's tomorrow at 16:00
    ],
)
async def test_budget_with_a_home_mini(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    start: datetime,
) -> None:
    """Next to a 1-minute Home Mini: within 60 an hour; the heat pump keeps 20."""
    freezer.move_to(start)
    await hass.config.async_set_time_zone("Europe/London")
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, title=ACCOUNT, data=community_entry_data()
    )
    entry.add_to_hass(hass)
    await set_up(hass, freezer, entry=entry)
    total, heat_pump = octopus_sim.count(), polls(octopus_sim)
    for hour in range(3):
        # 61-second steps: a poll is due a fraction of a second after its interval
        for _ in range(59):
            await tick(hass, freezer, timedelta(seconds=61))
        assert octopus_sim.count() - (0 if hour == 0 else total) <= HOURLY_BUDGET
        if hour:  # every 3 minutes (183 s in these steps): not given way
            assert polls(octopus_sim) - heat_pump >= 19
        total, heat_pump = octopus_sim.count(), polls(octopus_sim)
    assert octopus_sim.count(TELEMETRY) > 0


async def test_poll_gives_way_to_the_budget(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """At the limit a poll waits (data kept); a command's confirmation does not."""
    await set_up(hass, freezer)
    with patch.object(
        RequestCounter,
        "requests_last_hour",
        new_callable=PropertyMock,
        return_value=POLL_LIMIT,
    ):
        await tick(hass, freezer, timedelta(minutes=3, seconds=1))
        assert polls(octopus_sim) == 1
        state = hass.states.get(CLIMATE)
        assert state is not None
        assert state.state == "auto"
        await hass.services.async_call(
            "climate",
            "set_hvac_mode",
            {"entity_id": CLIMATE, "hvac_mode": "off"},
            blocking=True,
        )
        await tick(hass, freezer, CONFIRM_DELAY + timedelta(seconds=1))
        assert polls(octopus_sim) == 2


async def test_feature_switched_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Off in the options: no heat-pump request and no entity."""
    await set_up(hass, freezer, options={"feature_heat_pump": False})
    assert octopus_sim.sim.faults.counts[DISCOVERY] == 0
    assert polls(octopus_sim) == 0
    assert hass.states.get(CLIMATE) is None


def test_available_needs_an_occupied_property() -> None:
    """Controllers are looked up per property: none occupied, no feature."""
    moved_out = datetime(2020, 1, 1, tzinfo=UTC)
    account = Account(
        number="A-1",
        is_octoplus_enrolled=False,
        properties=[Property(id="1", occupancy_ends=[moved_out])],
        electricity_meter_points=[],
        gas_meter_points=[],
        raw={},
    )
    assert not HeatPumpFeature.available(account)
    account = Account(
        number="A-1",
        is_octoplus_enrolled=False,
        properties=[Property(id="1", occupancy_ends=[None])],
        electricity_meter_points=[],
        gas_meter_points=[],
        raw={},
    )
    assert HeatPumpFeature.available(account)


async def test_controller_found_later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """No heat pump: one discovery request; one that appears gets entities."""
    account = octopus_sim.sim.state["octopus"]["account"]
    heat_pumps = account.pop("heat_pumps")
    entry = await set_up(hass, freezer)
    assert octopus_sim.sim.faults.counts[DISCOVERY] == 1
    assert polls(octopus_sim) == 0
    assert hass.states.get(CLIMATE) is None
    await tick(hass, freezer, timedelta(minutes=30))
    assert polls(octopus_sim) == 0  # nothing to poll

    account["heat_pumps"] = heat_pumps
    await entry.runtime_data.account.async_refresh()
    await hass.async_block_till_done()
    assert octopus_sim.sim.faults.counts[DISCOVERY] == 2
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "auto"
    assert hass.states.get(WATER_HEATER) is not None
    # a further account retrieval adds nothing twice
    await entry.runtime_data.account.async_refresh()
    await hass.async_block_till_done()
    assert polls(octopus_sim) == 1


async def test_first_data_arrives_later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """A controller whose first poll fails gets its entities when it answers."""
    original = OctopusEnergyClient.get_heat_pump
    answers: list[Any] = [OctopusEnergyServerError("down"), original]

    async def first_fails(*args: Any, **kwargs: Any) -> Any:
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return await answer(*args, **kwargs)

    with patch.object(
        OctopusEnergyClient, "get_heat_pump", autospec=True, side_effect=first_fails
    ):
        await set_up(hass, freezer)
        assert octopus_sim.sim.faults.counts[DISCOVERY] == 1
        assert hass.states.get(CLIMATE) is None
        await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "auto"
    assert hass.states.get(f"sensor.{H}_sensor01_temperature") is not None
    # added once: the next poll adds nothing twice
    await tick(hass, freezer, timedelta(minutes=3, seconds=1))
    assert len(hass.states.async_entity_ids("climate")) == 1


async def test_failure_unavailable_recovery(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """One failed poll keeps the state; the next makes it unavailable; recovery."""
    await set_up(hass, freezer)
    octopus_sim.sim.faults.add(Fault("server_error", operation=POLL))
    await tick(hass, freezer, timedelta(minutes=3, seconds=1))
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "auto"  # one failed poll: last data kept
    await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    for entity_id in (CLIMATE, WATER_HEATER, f"sensor.{H}_live_cop"):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_UNAVAILABLE
    octopus_sim.sim.faults.clear()
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "auto"


async def test_restart_while_octopus_is_down(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """The stored controllers and configuration give the entities at once."""
    entry = await set_up(hass, freezer)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    octopus_sim.sim.faults.add(Fault("server_error", operation=POLL))
    await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    await set_up(hass, freezer, entry=entry)
    climate = hass.states.get(CLIMATE)
    assert climate is not None
    assert climate.state == "auto"
    assert climate.attributes["temperature"] == 20.0
    water = hass.states.get(WATER_HEATER)
    assert water is not None
    assert water.state == "heat_pump"
    scop = hass.states.get(f"sensor.{H}_lifetime_scop")
    assert scop is not None
    assert scop.state == "3.4"


async def test_restart_keeps_the_hourly_lifetime(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """A reload within the hour does not ask for the lifetime figures again."""
    original = OctopusEnergyClient.get_heat_pump
    with patch.object(
        OctopusEnergyClient, "get_heat_pump", autospec=True, side_effect=original
    ) as spy:
        entry = await set_up(hass, freezer)
        await tick(hass, freezer, timedelta(minutes=10))
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        assert spy.call_args.kwargs == {"lifetime": False}
        scop = hass.states.get(f"sensor.{H}_lifetime_scop")
        assert scop is not None
        assert scop.state == "3.4"


def test_units_and_battery() -> None:
    """Watts are converted to kW; the battery is linear 2.0-3.0 V, clamped."""
    assert kilo(Quantity(value=1500.0, unit="WATT")) == 1.5
    assert kilo(Quantity(value=2.0, unit="KILOWATT")) == 2.0
    assert kilo(Quantity(value=None, unit="KILOWATT")) is None
    assert kilo(None) is None
    assert battery_percentage(None) is None
    assert battery_percentage(1.8) == 0.0
    assert battery_percentage(2.5) == 50.0
    assert battery_percentage(3.3) == 100.0
