"""Tests of setting up, unloading and the device lifecycle of OSO Energy entries."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.osoenergy import async_remove_config_entry_device
from custom_components.osoenergy.const import DOMAIN

from .conftest import DEVICE_ID, DEVICES_URL, find_device, mock_answer, poll

NEW_ID = "osoid-5678"


def second_device(devices_payload: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of the fixture heater with another id and name."""
    device = deepcopy(devices_payload[0])
    device.update(deviceId=NEW_ID, deviceName="Cabin heater", deviceType="SAGA S300")
    return device


async def test_load_unload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A core-created entry (VERSION 1, data {api_key}) loads and unloads."""
    assert init_integration.version == 1
    assert init_integration.state is ConfigEntryState.LOADED

    device = find_device(device_registry, init_integration, DEVICE_ID)
    assert device is not None
    assert device.manufacturer == "OSO Energy"
    assert device.model == "SAGA S200"
    assert device.name == "TEST DEVICE"
    water_heater = entity_registry.async_get("water_heater.test_device")
    assert water_heater is not None
    assert water_heater.unique_id == DEVICE_ID
    assert water_heater.device_id == device.id

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("water_heater.test_device").state == "unavailable"


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        pytest.param({"status": 500}, ConfigEntryState.SETUP_RETRY, id="500"),
        pytest.param({"status": 503}, ConfigEntryState.SETUP_RETRY, id="503"),
        pytest.param({"status": 429}, ConfigEntryState.SETUP_RETRY, id="429"),
        pytest.param({"text": "<html>"}, ConfigEntryState.SETUP_RETRY, id="html"),
        pytest.param(
            {"exc": aiohttp.ClientConnectionError()},
            ConfigEntryState.SETUP_RETRY,
            id="connection",
        ),
        pytest.param(
            {"exc": TimeoutError()}, ConfigEntryState.SETUP_RETRY, id="timeout"
        ),
        pytest.param({"status": 401}, ConfigEntryState.SETUP_ERROR, id="401"),
        pytest.param({"status": 403}, ConfigEntryState.SETUP_ERROR, id="403"),
    ],
)
async def test_setup_failure(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    answer: dict[str, Any],
    state: ConfigEntryState,
) -> None:
    """A failing first refresh retries later; a refused key asks for a new one."""
    mock_answer(aioclient_mock, DEVICES_URL, **answer)
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is state
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    reauth = [flow for flow in flows if flow["context"]["source"] == SOURCE_REAUTH]
    if state is ConfigEntryState.SETUP_ERROR:
        assert len(reauth) == 1
        assert reauth[0]["context"]["entry_id"] == mock_config_entry.entry_id
    else:
        assert reauth == []


async def test_new_device_added(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A heater that appears in a later poll gets its device and entities, no reload."""
    assert find_device(device_registry, init_integration, NEW_ID) is None
    devices_answer.append(second_device(devices_answer))

    await poll(hass, freezer)

    device = find_device(device_registry, init_integration, NEW_ID)
    assert device is not None
    assert (device.name, device.model) == ("Cabin heater", "SAGA S300")
    entities = er.async_entries_for_device(entity_registry, device.id)
    old_device = find_device(device_registry, init_integration, DEVICE_ID)
    assert old_device is not None
    old_entities = er.async_entries_for_device(entity_registry, old_device.id)
    assert len(entities) == len(old_entities) > 1
    water_heater = entity_registry.async_get_entity_id("water_heater", DOMAIN, NEW_ID)
    assert water_heater is not None
    assert hass.states.get(water_heater).state != "unavailable"
    assert init_integration.state is ConfigEntryState.LOADED


async def test_removed_device_cleaned_up(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A heater the account no longer reports leaves the device registry."""
    devices_answer.append(second_device(devices_answer))
    await poll(hass, freezer)
    assert find_device(device_registry, init_integration, NEW_ID)
    gone = find_device(device_registry, init_integration, DEVICE_ID)
    assert gone is not None

    del devices_answer[0]
    await poll(hass, freezer)

    assert device_registry.async_get(gone.id) is None
    assert entity_registry.async_get("water_heater.test_device") is None
    assert find_device(device_registry, init_integration, NEW_ID)
    assert "Removing water heater TEST DEVICE" in caplog.text
    assert DEVICE_ID not in caplog.text


async def test_remove_config_entry_device(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Only heaters the account no longer reports can be deleted by the user."""
    assert await async_setup_component(hass, "config", {})
    live = find_device(device_registry, init_integration, DEVICE_ID)
    assert live is not None
    stale = device_registry.async_get_or_create(
        config_entry_id=init_integration.entry_id,
        identifiers={(DOMAIN, "osoid-gone")},
    )
    client = await hass_ws_client(hass)

    for device, allowed in ((live, False), (stale, True)):
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": init_integration.entry_id,
                "device_id": device.id,
            }
        )
        response = await client.receive_json()
        assert response["success"] is allowed

    assert device_registry.async_get(live.id) is not None
    assert device_registry.async_get(stale.id) is None


async def test_remove_device_of_other_domain(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Identifiers of another domain never make a device look live."""
    other = device_registry.async_get_or_create(
        config_entry_id=init_integration.entry_id,
        identifiers={("other_domain", DEVICE_ID)},
    )

    assert await async_remove_config_entry_device(hass, init_integration, other)
