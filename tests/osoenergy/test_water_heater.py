"""Tests of the OSO Energy water heater."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import copy
import re
from typing import Any

from homeassistant.components.water_heater import (
    ATTR_AWAY_MODE,
    SERVICE_SET_AWAY_MODE,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy.const import DOMAIN

from .conftest import DEVICE_ID, DEVICES_URL, URL, requests_to

ENTITY_ID = "water_heater.test_device"
DEVICE_URL = f"{URL}/Device/{DEVICE_ID}"


pytestmark = pytest.mark.usefixtures("water_heater_only")


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call a water_heater service on the test heater."""
    await hass.services.async_call(
        Platform.WATER_HEATER,
        service,
        {ATTR_ENTITY_ID: ENTITY_ID, **data},
        blocking=True,
    )


async def answer_devices(
    aioclient_mock: AiohttpClientMocker,
    entry: MockConfigEntry,
    payload: list[dict[str, Any]],
) -> None:
    """Make the cloud report `payload` and let the coordinator fetch it."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=payload)
    await entry.runtime_data.async_refresh()


async def test_entities(
    entity_registry: er.EntityRegistry,
    snapshot_entities: Callable[[str], None],
    init_integration: MockConfigEntry,
) -> None:
    """One water heater per device, with core's unique id (the bare device id)."""
    snapshot_entities(init_integration.entry_id)
    entry = entity_registry.async_get(ENTITY_ID)
    assert entry is not None
    assert entry.unique_id == DEVICE_ID


async def test_new_device_gets_a_water_heater(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """A heater added to the account later appears without a reload."""
    second = {
        **copy.deepcopy(devices_payload[0]),
        "deviceId": "osoid-5678",
        "deviceName": "Second heater",
    }

    await answer_devices(aioclient_mock, init_integration, [*devices_payload, second])

    entry = entity_registry.async_get("water_heater.second_heater")
    assert entry is not None
    assert entry.unique_id == "osoid-5678"
    assert hass.states.get("water_heater.second_heater").state == "eco"
    assert hass.states.get(ENTITY_ID).state == "eco"


@pytest.mark.parametrize(
    ("heater", "mode", "optimization", "expected"),
    [
        # The element idling between cycles is not "off" (HA core said it was).
        ("off", "auto", "oso", "eco"),
        ("on", "auto", "oso", "eco"),
        ("off", "manual", "oso", "electric"),
        ("on", "auto", "off", "electric"),
        ("on", "auto", "gridcompany", "electric"),
        ("on", "Legionella", "oso", "electric"),
        ("on", "Voltage", "advanced", "electric"),
        ("on", "FFR", "smartcompany", "electric"),
        ("on", "off", "oso", STATE_OFF),
        ("on", "PowerSave", "oso", STATE_OFF),
        ("off", "PowerSave", None, STATE_OFF),
        ("on", "ExtraEnergy", "oso", "high_demand"),
        ("off", "ExtraEnergy", "gridcompany", "high_demand"),
        ("on", None, "oso", STATE_OFF),  # a missing mode means off, as in core
        ("on", "somethingnew", "oso", "electric"),
    ],
)
async def test_state_mapping(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    *,
    heater: str,
    mode: str | None,
    optimization: str | None,
    expected: str,
) -> None:
    """The state follows heater mode and optimisation, never the element's on/off."""
    payload = copy.deepcopy(devices_payload)
    payload[0]["control"]["heater"] = heater
    payload[0]["control"]["mode"] = mode
    payload[0]["optimizationOption"] = optimization

    await answer_devices(aioclient_mock, init_integration, payload)

    state = hass.states.get(ENTITY_ID)
    assert state is not None
    assert state.state == expected


async def test_away_mode_follows_power_save(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """Away mode is on while the heater reports power save."""
    assert hass.states.get(ENTITY_ID).attributes[ATTR_AWAY_MODE] == STATE_OFF
    payload = copy.deepcopy(devices_payload)
    payload[0]["isInPowerSave"] = True

    await answer_devices(aioclient_mock, init_integration, payload)

    assert hass.states.get(ENTITY_ID).attributes[ATTR_AWAY_MODE] == STATE_ON


async def test_temperature_limits_default_to_home_assistant(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """Without device limits the water heater uses set_profile's 10-75 °C."""
    payload = copy.deepcopy(devices_payload)
    for key in ("minTemperature", "maxTemperature", "currentTemperature"):
        payload[0]["control"][key] = None

    await answer_devices(aioclient_mock, init_integration, payload)

    attributes = hass.states.get(ENTITY_ID).attributes
    assert attributes["min_temp"] == 10
    assert attributes["max_temp"] == 75
    assert attributes["current_temperature"] is None


async def test_set_temperature(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """Setting a temperature writes a flat profile of whole degrees (as core)."""
    await call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 52.6})

    [request] = requests_to(mock_oso_api, "PUT", "/Profile")
    assert str(request[1]) == f"{DEVICE_URL}/Profile"
    assert request[2] == {"hours": [52] * 24}


@pytest.mark.parametrize(("temperature", "shown"), [(9, "9"), (75.5, "75.5")])
async def test_set_temperature_out_of_range(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    temperature: float,
    shown: str,
) -> None:
    """A target outside the heater's limits is refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: temperature})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "temperature_out_of_range"
    assert err.value.translation_placeholders == {
        "value": shown,
        "min": "10",
        "max": "75",
    }
    assert not requests_to(mock_oso_api, "PUT", "/Profile")


@pytest.mark.parametrize(
    ("service", "path"), [(SERVICE_TURN_ON, "TurnOn"), (SERVICE_TURN_OFF, "TurnOff")]
)
async def test_turn_on_off(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    service: str,
    path: str,
) -> None:
    """On and off are the full-utilisation boost and inhibit (as core)."""
    await call(hass, service)

    [request] = requests_to(mock_oso_api, "POST", path)
    assert str(request[1]) == f"{DEVICE_URL}/{path}?fullUtilizationParam=True"


@pytest.mark.freeze_time("2025-01-15 10:00:00+00:00")
async def test_away_mode_on(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """Away mode on is a holiday of 365 days starting now."""
    url = (
        f"{DEVICE_URL}/HolidayMode/"
        "2025-01-15T10:00:00.000000Z/2026-01-15T10:00:00.000000Z"
    )
    mock_oso_api.post(url, status=200)

    await call(hass, SERVICE_SET_AWAY_MODE, **{ATTR_AWAY_MODE: True})

    [request] = requests_to(mock_oso_api, "POST", "/HolidayMode/")
    assert str(request[1]) == url


async def test_away_mode_off(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """Away mode off ends the holiday."""
    await call(hass, SERVICE_SET_AWAY_MODE, **{ATTR_AWAY_MODE: False})

    [request] = requests_to(mock_oso_api, "DELETE", "/HolidayMode")
    assert str(request[1]) == f"{DEVICE_URL}/HolidayMode"


async def test_action_refreshes_the_data(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """A command is followed (after the debounce cooldown) by a fresh device list."""
    await call(hass, SERVICE_TURN_ON)
    await assert_debounced_refresh()


@pytest.mark.parametrize(
    ("status", "translation_key"),
    [(500, "action_failed"), (404, "action_failed"), (429, "action_rate_limited")],
)
async def test_action_failure(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    failing_commands: Callable[[int], None],
    status: int,
    translation_key: str,
) -> None:
    """A refused command raises a translated HomeAssistantError."""
    failing_commands(status)

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, SERVICE_TURN_ON)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == translation_key
    assert not list(init_integration.async_get_active_flows(hass, {SOURCE_REAUTH}))


async def test_action_auth_failure_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    failing_commands: Callable[[int], None],
) -> None:
    """A refused key during a command raises and asks the user for a new key."""
    failing_commands(401)

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, SERVICE_TURN_OFF)
    await hass.async_block_till_done()

    assert err.value.translation_key == "authentication_failed"
    [flow] = list(init_integration.async_get_active_flows(hass, {SOURCE_REAUTH}))
    assert flow["context"]["entry_id"] == init_integration.entry_id


async def test_set_temperature_then_get_profile(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """Right after set_temperature, state and get_profile show the new schedule."""
    await call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 52})

    assert hass.states.get(ENTITY_ID).attributes["temperature"] == 52
    result = await hass.services.async_call(
        DOMAIN,
        "get_profile",
        {ATTR_ENTITY_ID: ENTITY_ID},
        blocking=True,
        return_response=True,
    )
    assert result[ENTITY_ID]["profile_utc"] == [52.0] * 24
    await assert_debounced_refresh()


async def test_set_temperature_up_to_the_heaters_maximum(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """The heater's reported maximum (80 °C here) is the limit, as in set_profile."""
    payload = copy.deepcopy(devices_payload)
    payload[0]["control"]["maxTemperature"] = 80
    await answer_devices(aioclient_mock, init_integration, payload)
    aioclient_mock.put(f"{DEVICE_URL}/Profile", status=200)

    await call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 80})
    with pytest.raises(ServiceValidationError):
        await call(hass, SERVICE_SET_TEMPERATURE, **{ATTR_TEMPERATURE: 81})

    assert hass.states.get(ENTITY_ID).attributes["max_temp"] == 80


async def test_away_mode_shown_at_once(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """Away mode shows right after the command, before the refresh."""
    mock_oso_api.post(
        re.compile(rf"{re.escape(DEVICE_URL)}/HolidayMode/.*"), status=200
    )
    await hass.services.async_call(
        DOMAIN,
        "turn_away_mode_on",
        {ATTR_ENTITY_ID: ENTITY_ID, "duration_days": 3},
        blocking=True,
    )
    assert hass.states.get(ENTITY_ID).attributes["away_mode"] == "on"

    await hass.services.async_call(
        "water_heater",
        "set_away_mode",
        {ATTR_ENTITY_ID: ENTITY_ID, "away_mode": False},
        blocking=True,
    )
    assert hass.states.get(ENTITY_ID).attributes["away_mode"] == "off"
