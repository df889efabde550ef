"""Tests for the binary sensors of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from .conftest import DEVICES_URL, poll

FLAGS = (
    "binary_sensor.test_device_power_save",
    "binary_sensor.test_device_extra_energy",
    "binary_sensor.test_device_heating",
)
CONNECTIVITY = "binary_sensor.test_device_connectivity"


@pytest.fixture(autouse=True)
def only_binary_sensors() -> Generator[None]:
    """Load only the binary sensor platform."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.BINARY_SENSOR]):
        yield


@pytest.fixture
def live_devices(
    devices_answer: list[dict[str, Any]], init_integration: MockConfigEntry
) -> list[dict[str, Any]]:
    """The device list the cloud serves after setup; change it between polls."""
    assert init_integration.entry_id
    return devices_answer


def states(hass: HomeAssistant, *entity_ids: str) -> list[str]:
    """The states of entities that must exist."""
    found = [hass.states.get(entity_id) for entity_id in entity_ids]
    assert None not in found
    return [state.state for state in found if state is not None]


async def test_binary_sensors(
    snapshot_entities: Callable[[str], None], init_integration: MockConfigEntry
) -> None:
    """Every binary sensor has core's unique id, the right class and state."""
    snapshot_entities(init_integration.entry_id)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((True, False, "off"), [STATE_ON, STATE_OFF, STATE_OFF]),
        ((False, True, "On"), [STATE_OFF, STATE_ON, STATE_ON]),
    ],
)
async def test_flags_follow_the_heater(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    live_devices: list[dict[str, Any]],
    flags: tuple[bool, bool, str],
    expected: list[str],
) -> None:
    """Power save, extra energy and heating show the latest poll."""
    power_save, extra_energy, heater = flags
    live_devices[0]["isInPowerSave"] = power_save
    live_devices[0]["isInExtraEnergy"] = extra_energy
    live_devices[0]["control"]["heater"] = heater
    await poll(hass, freezer)

    assert states(hass, *FLAGS) == expected


async def test_heater_offline(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    live_devices: list[dict[str, Any]],
) -> None:
    """An offline heater: its flags are unavailable, connectivity is off."""
    live_devices[0]["connectionState"]["connectionState"] = "Disconnected"
    await poll(hass, freezer)
    assert states(hass, *FLAGS) == [STATE_UNAVAILABLE] * 3
    assert states(hass, CONNECTIVITY) == [STATE_OFF]

    live_devices[0]["connectionState"]["connectionState"] = "Connected"
    await poll(hass, freezer)
    assert STATE_UNAVAILABLE not in states(hass, *FLAGS)
    assert states(hass, CONNECTIVITY) == [STATE_ON]


@pytest.mark.usefixtures("init_integration")
async def test_cloud_failure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
) -> None:
    """When the cloud fails, the flags keep their last state, marked stale."""
    before = states(hass, CONNECTIVITY, *FLAGS)
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, status=503)
    await poll(hass, freezer)
    assert states(hass, CONNECTIVITY, *FLAGS) == before
    assert hass.states.get(CONNECTIVITY).attributes["stale"] is True

    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=devices_payload)
    await poll(hass, freezer)
    assert states(hass, CONNECTIVITY) == [STATE_ON]
