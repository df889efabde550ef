"""Tests of setting up, unloading and the device lifecycle of OSO Energy entries."""

from __future__ import annotations

from copy import deepcopy
from datetime import timedelta
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.osoenergy import async_remove_config_entry_device
from custom_components.osoenergy.const import DOMAIN

from .conftest import (
    DEVICE_ID,
    DEVICES_URL,
    apim_refusal,
    find_device,
    mock_answer,
    poll,
)

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
        pytest.param(
            {"status": 403, "text": "<html>Forbidden</html>"},
            ConfigEntryState.SETUP_RETRY,
            id="html_403",
        ),
        pytest.param({"status": 401}, ConfigEntryState.SETUP_RETRY, id="bare_401"),
        pytest.param(apim_refusal(401), ConfigEntryState.SETUP_ERROR, id="401"),
        pytest.param(apim_refusal(403), ConfigEntryState.SETUP_ERROR, id="403"),
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


@pytest.mark.parametrize("answer", ["empty", "absent"])
async def test_missing_heater_is_kept(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    answer: str,
) -> None:
    """A heater left out of an answer stays, unavailable, and comes back as it was."""
    entity_registry.async_update_entity(
        "water_heater.test_device", new_entity_id="water_heater.bath", name="Bath"
    )
    device = find_device(device_registry, init_integration, DEVICE_ID)
    assert device is not None
    entries = er.async_entries_for_device(entity_registry, device.id)
    original = devices_answer[0]
    if answer == "empty":
        devices_answer.clear()
    else:
        devices_answer[0] = second_device([original])

    await poll(hass, freezer)

    assert find_device(device_registry, init_integration, DEVICE_ID) == device
    assert er.async_entries_for_device(entity_registry, device.id) == entries
    assert hass.states.get("water_heater.bath").state == "unavailable"
    assert "TEST DEVICE is missing from the cloud's answer" in caplog.text
    assert DEVICE_ID not in caplog.text

    devices_answer[:] = [original]
    await poll(hass, freezer)

    assert er.async_entries_for_device(entity_registry, device.id) == entries
    state = hass.states.get("water_heater.bath")
    assert state.state == "eco"
    assert state.name == "Bath"
    assert not ir.async_get(hass).issues


async def test_heater_missing_for_a_day_offers_removal(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Only after a day missing is a repair raised; its fix removes the heater."""
    assert await async_setup_component(hass, "repairs", {})
    device = find_device(device_registry, init_integration, DEVICE_ID)
    assert device is not None
    original = devices_answer.pop()
    issue_id = f"heater_missing_{device.id}"

    await poll(hass, freezer)
    await poll(hass, freezer, timedelta(hours=23))
    assert not ir.async_get(hass).issues

    await poll(hass, freezer, timedelta(hours=1))
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders["name"] == "TEST DEVICE"
    assert device_registry.async_get(device.id) is not None

    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"]["name"] == "TEST DEVICE"
    flow = await manager.async_configure(flow["flow_id"], {})
    assert flow["type"] == "create_entry"
    await hass.async_block_till_done()

    assert device_registry.async_get(device.id) is None
    assert entity_registry.async_get("water_heater.test_device") is None
    assert not ir.async_get(hass).issues

    devices_answer.append(original)
    await poll(hass, freezer)

    assert find_device(device_registry, init_integration, DEVICE_ID) is not None
    assert hass.states.get("water_heater.test_device").state == "eco"


async def test_heater_returning_withdraws_the_repair(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """The repair disappears by itself when the heater is reported again."""
    original = devices_answer.pop()
    await poll(hass, freezer)
    await poll(hass, freezer, timedelta(days=1))
    assert len(ir.async_get(hass).issues) == 1

    devices_answer.append(original)
    await poll(hass, freezer)

    assert not ir.async_get(hass).issues


async def test_missing_heater_survives_a_restart(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A heater still missing after a reload keeps its entities, unavailable."""
    original = devices_answer.pop()
    await poll(hass, freezer)
    await poll(hass, freezer, timedelta(seconds=15))  # the delayed save

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get("water_heater.test_device").state == "unavailable"
    coordinator = init_integration.runtime_data
    assert DEVICE_ID in coordinator.missing

    devices_answer.append(original)
    await poll(hass, freezer)

    assert hass.states.get("water_heater.test_device").state == "eco"
    assert not coordinator.missing


async def test_stored_heaters_removed_with_the_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Deleting the entry deletes what it stored."""
    await poll(hass, freezer, timedelta(seconds=15))
    key = f"{DOMAIN}.{init_integration.entry_id}"
    assert key in hass_storage

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage


async def test_remove_config_entry_device(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Only heaters the account does not report can be deleted by the user."""
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


async def test_stored_heaters_are_checked(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    mock_oso_api: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    devices_payload: list[dict[str, Any]],
) -> None:
    """Stored heaters that do not parse, or under another id, are ignored."""
    hass_storage[f"{DOMAIN}.{mock_config_entry.entry_id}"] = {
        "version": 1,
        "key": f"{DOMAIN}.{mock_config_entry.entry_id}",
        "data": {
            "devices": {
                "osoid-broken": {"raw": {"deviceName": "no id"}},
                "osoid-other": {"raw": devices_payload[0]},
                NEW_ID: {
                    "raw": second_device(devices_payload),
                    "missing_since": "2020-01-01T00:00:00+00:00",
                },
            }
        },
    }
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    coordinator = mock_config_entry.runtime_data
    assert set(coordinator.data) == {DEVICE_ID, NEW_ID}
    assert set(coordinator.missing) == {NEW_ID}
    entity_id = er.async_get(hass).async_get_entity_id("water_heater", DOMAIN, NEW_ID)
    assert hass.states.get(entity_id).state == "unavailable"
    await poll(hass, freezer)  # the device exists now; missing since 2020
    assert len(ir.async_get(hass).issues) == 1

    coordinator.async_patch_device("osoid-unknown", v40_min=1.0)
    assert set(coordinator.data) == {DEVICE_ID, NEW_ID}


async def test_user_removes_a_missing_heater(
    hass: HomeAssistant,
    *,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A missing heater can be deleted at once; it is forgotten, then re-added."""
    assert await async_setup_component(hass, "config", {})
    device = find_device(device_registry, init_integration, DEVICE_ID)
    assert device is not None
    original = devices_answer.pop()
    await poll(hass, freezer)
    client = await hass_ws_client(hass)

    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": init_integration.entry_id,
            "device_id": device.id,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert DEVICE_ID not in init_integration.runtime_data.data

    devices_answer.append(original)
    await poll(hass, freezer)

    assert find_device(device_registry, init_integration, DEVICE_ID) is not None
    assert hass.states.get("water_heater.test_device").state == "eco"


async def test_interval_change_during_back_off(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """A new interval during a back-off applies once the cloud answers again."""
    coordinator = init_integration.runtime_data
    mock_answer(aioclient_mock, DEVICES_URL, status=503)
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert coordinator.update_interval == timedelta(seconds=120)

    hass.config_entries.async_update_entry(
        init_integration, options={"scan_interval": 600}
    )
    await hass.async_block_till_done()
    assert coordinator.update_interval == timedelta(seconds=120)

    mock_answer(aioclient_mock, DEVICES_URL, json=devices_payload)
    await poll(hass, freezer, timedelta(seconds=120))
    assert coordinator.update_interval == timedelta(seconds=600)
