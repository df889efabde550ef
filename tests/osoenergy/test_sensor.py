"""Tests for the sensors of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from datetime import UTC, datetime, timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from custom_components.osoenergy.sensor import PowerReading, energy_between

from .conftest import DEVICE_ID, DEVICES_URL, poll, requests_to

ENERGY = "sensor.test_device_energy_consumed"
HEATER_MODE = "sensor.test_device_heater_mode"
POWER = "sensor.test_device_power"


@pytest.fixture(autouse=True)
def only_sensors() -> Generator[None]:
    """Load only the sensor platform."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.SENSOR]):
        yield


def energy(hass: HomeAssistant) -> float:
    """The energy sensor's state as a number."""
    state = hass.states.get(ENERGY)
    assert state is not None
    return float(state.state)


async def test_sensors(
    snapshot_entities: Callable[[str], None], init_integration: MockConfigEntry
) -> None:
    """Every sensor has core's unique id and the right classes, units and state."""
    snapshot_entities(init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
async def test_power_keeps_core_entity_id(entity_registry: er.EntityRegistry) -> None:
    """Power has no translation key: named after its device class, as in core."""
    assert (
        entity_registry.async_get_entity_id(
            "sensor", "osoenergy", f"{DEVICE_ID}_power_load"
        )
        == POWER
    )


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state string of an entity that must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def test_unknown_enum_value(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A mode the integration does not know is unknown, logged once per value."""
    devices_answer[0]["control"]["mode"] = "Turbo"
    devices_answer[0]["optimizationOption"] = "Quantum"
    caplog.set_level(logging.WARNING)
    await setup_integration()
    await poll(hass, freezer)

    assert state_of(hass, HEATER_MODE) == STATE_UNKNOWN
    assert state_of(hass, "sensor.test_device_optimization_mode") == STATE_UNKNOWN
    assert caplog.text.count("unknown value 'turbo'") == 1
    assert caplog.text.count("unknown value 'quantum'") == 1

    devices_answer[0]["control"]["mode"] = "Legionella"
    await poll(hass, freezer)
    assert state_of(hass, HEATER_MODE) == "legionella"


async def test_tank_temperatures(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
) -> None:
    """A temperature exists when the payload has its field; unknown while null."""
    del devices_answer[0]["control"]["currentTemperatureMid"]
    await setup_integration()

    assert hass.states.get("sensor.test_device_temperature_middle") is None
    assert state_of(hass, "sensor.test_device_temperature_one") == STATE_UNKNOWN
    assert state_of(hass, "sensor.test_device_temperature_top") == "65.5"

    devices_answer[0]["control"]["currentTemperatureTop"] = None
    devices_answer[0]["control"]["currentTemperatureOne"] = 48.0
    await poll(hass, freezer)
    assert state_of(hass, "sensor.test_device_temperature_top") == STATE_UNKNOWN
    assert state_of(hass, "sensor.test_device_temperature_one") == "48.0"


async def test_heater_offline(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
    entity_registry: er.EntityRegistry,
) -> None:
    """All sensors are unavailable while the heater is offline, and come back."""
    config_entry = await setup_integration()
    entity_ids = [
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            entity_registry, config_entry.entry_id
        )
        if not entry.disabled
    ]
    assert POWER in entity_ids
    assert ENERGY in entity_ids

    devices_answer[0]["connectionState"]["connectionState"] = "Disconnected"
    await poll(hass, freezer)
    assert {state_of(hass, entity_id) for entity_id in entity_ids} == {
        STATE_UNAVAILABLE
    }

    devices_answer[0]["connectionState"]["connectionState"] = "Connected"
    await poll(hass, freezer)
    assert state_of(hass, POWER) == "2.4"
    assert STATE_UNAVAILABLE not in {
        state_of(hass, entity_id) for entity_id in entity_ids
    }


async def test_energy_integrates_power(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
    entity_registry: er.EntityRegistry,
) -> None:
    """Energy is the trapezoid integral of the power between polls."""
    await setup_integration()
    assert energy(hass) == 0.0
    registry_entry = entity_registry.async_get(ENERGY)
    assert registry_entry is not None
    assert registry_entry.options["sensor"]["suggested_display_precision"] == 2

    await poll(hass, freezer)  # 2.4 kW for 60 s
    assert energy(hass) == pytest.approx(0.04)

    devices_answer[0]["data"]["actualLoadKwh"] = 3.0
    await poll(hass, freezer)  # mean 2.7 kW for 60 s
    assert energy(hass) == pytest.approx(0.04 + 0.045)

    devices_answer[0]["data"]["actualLoadKwh"] = 0
    await poll(hass, freezer)  # mean 1.5 kW for 60 s
    await poll(hass, freezer)  # nothing
    assert energy(hass) == pytest.approx(0.04 + 0.045 + 0.025)


async def test_energy_bridges_what_it_could_not_see(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
) -> None:
    """Missing readings, an offline heater or a failing cloud lose no energy."""
    await setup_integration()

    await poll(hass, freezer, timedelta(minutes=11))  # a long gap, 2.4 kW both ends
    assert len(requests_to(aioclient_mock, "GET", "Device/All")) == 2
    assert energy(hass) == pytest.approx(2.4 * 11 / 60)
    total = energy(hass)

    devices_answer[0]["data"]["actualLoadKwh"] = None
    await poll(hass, freezer)
    devices_answer[0]["data"]["actualLoadKwh"] = 2.4
    await poll(hass, freezer)  # two minutes at 2.4 kW
    assert energy(hass) == pytest.approx(total + 0.08)
    total = energy(hass)

    devices_answer[0]["connectionState"]["connectionState"] = "Disconnected"
    await poll(hass, freezer)
    assert state_of(hass, ENERGY) == STATE_UNAVAILABLE
    devices_answer[0]["connectionState"]["connectionState"] = "Connected"
    await poll(hass, freezer)
    assert energy(hass) == pytest.approx(total + 0.08)
    total = energy(hass)

    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, status=500)
    await poll(hass, freezer)
    assert energy(hass) == pytest.approx(total)
    assert hass.states.get(ENERGY).attributes["stale"] is True
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=devices_answer)
    await poll(hass, freezer)
    assert energy(hass) == pytest.approx(total + 0.08)


def reading(minutes: float, power: float, stored: float | None) -> PowerReading:
    """A power reading `minutes` after a fixed start."""
    return PowerReading(
        at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
        power=power,
        stored=stored,
    )


@pytest.mark.parametrize(
    ("previous", "current", "rated", "expected"),
    [
        pytest.param(reading(0, 2, 5), reading(5, 4, 5), 3, 0.25, id="trapezoid"),
        pytest.param(reading(5, 2, 5), reading(0, 4, 5), 3, 0.0, id="backwards"),
        pytest.param(reading(0, 3, 5), reading(120, 3, 5), 3, 6.0, id="bridged"),
        pytest.param(reading(0, 0, 5), reading(120, 0, 8), 3, 3.0, id="tank_gained"),
        pytest.param(reading(0, 0, 5), reading(120, 0, None), 3, 0.0, id="unknown"),
        pytest.param(reading(0, 0, 0), reading(60, 0, 9), 3, 3.0, id="rated_power"),
        pytest.param(reading(0, 0, 0), reading(60, 0, 9), None, 9.0, id="no_rating"),
        pytest.param(reading(0, 3, 5), reading(600, 3, 7), 3, 2.0, id="too_long"),
    ],
)
def test_energy_between(
    previous: PowerReading,
    current: PowerReading,
    rated: float | None,
    expected: float,
) -> None:
    """Exact over short gaps; bridged within the tank's gain and the rated power."""
    assert energy_between(previous, current, rated) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("restored", "start"),
    [(12.5, 12.5), (7, 7.0), ("garbage", 0.0), (None, 0.0), (-3.0, 0.0)],
)
async def test_energy_restored_after_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
    restored: Any,
    start: float,
) -> None:
    """The total survives a restart and keeps growing; a bad stored value is dropped."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(ENERGY, str(restored)),
                {"native_value": restored, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    await setup_integration()
    assert energy(hass) == pytest.approx(start)

    await poll(hass, freezer)
    assert energy(hass) == pytest.approx(start + 0.04)
