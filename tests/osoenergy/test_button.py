"""Tests for the heat and pause buttons of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any
from unittest.mock import patch

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from .conftest import DEVICE_ID, URL, requests_to

HEAT_ONE_HOUR = "button.test_device_heat_for_one_hour"


@pytest.fixture(autouse=True)
def only_buttons() -> Generator[None]:
    """Load only the button platform."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.BUTTON]):
        yield


async def press(hass: HomeAssistant, entity_id: str) -> None:
    """Press a button."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_buttons(
    snapshot_entities: Callable[[str], None], init_integration: MockConfigEntry
) -> None:
    """The four buttons exist for the heater."""
    snapshot_entities(init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("entity_id", "expected"),
    [
        (HEAT_ONE_HOUR, ("TurnOn", "False")),
        ("button.test_device_heat_until_full", ("TurnOn", "True")),
        ("button.test_device_pause_heating_for_one_hour", ("TurnOff", "False")),
        ("button.test_device_pause_heating_until_minimum", ("TurnOff", "True")),
    ],
)
async def test_press(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
    entity_id: str,
    expected: tuple[str, str],
) -> None:
    """Each button sends its command, then (debounced) the data is refreshed."""
    command, full_utilization = expected
    polls = len(requests_to(aioclient_mock, "GET", "Device/All"))
    await press(hass, entity_id)

    calls = [call[1] for call in requests_to(aioclient_mock, "POST", "/Device/")]
    assert len(calls) == 1
    assert str(calls[0].with_query(None)) == f"{URL}/Device/{DEVICE_ID}/{command}"
    assert dict(calls[0].query) == {"fullUtilizationParam": full_utilization}
    assert len(requests_to(aioclient_mock, "GET", "Device/All")) == polls
    await assert_debounced_refresh()


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("status", "translation_key", "placeholders"),
    [
        (
            500,
            "action_failed",
            {"error": "Server error (POST Device/{id}/TurnOn: HTTP 500)"},
        ),
        (429, "action_rate_limited", {"seconds": "120"}),
        (401, "authentication_failed", None),
    ],
)
async def test_press_fails(
    hass: HomeAssistant,
    failing_commands: Callable[..., None],
    status: int,
    translation_key: str,
    placeholders: dict[str, Any] | None,
) -> None:
    """A refused command raises a translated error."""
    failing_commands(status, {"Retry-After": "120"})
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, HEAT_ONE_HOUR)

    assert err.value.translation_key == translation_key
    assert err.value.translation_placeholders == placeholders


@pytest.mark.usefixtures("init_integration")
async def test_press_refused_key_starts_reauth(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    failing_commands: Callable[..., None],
) -> None:
    """A refused subscription key asks the user for a new one."""
    failing_commands(401)
    with pytest.raises(HomeAssistantError):
        await press(hass, HEAT_ONE_HOUR)
    await hass.async_block_till_done()

    flows = list(mock_config_entry.async_get_active_flows(hass, {SOURCE_REAUTH}))
    assert len(flows) == 1
