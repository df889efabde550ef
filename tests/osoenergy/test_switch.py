"""Tests for the holiday-mode switch of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
import re
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from .conftest import DEVICE_ID, URL, requests_to

HOLIDAY = "switch.test_device_holiday_mode"
HOLIDAY_URL = f"{URL}/Device/{DEVICE_ID}/HolidayMode"


@pytest.fixture(autouse=True)
def only_switches() -> Generator[None]:
    """Load only the switch platform."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.SWITCH]):
        yield


async def switch(hass: HomeAssistant, service: str) -> None:
    """Turn the holiday switch on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: HOLIDAY}, blocking=True
    )


async def test_switches(
    snapshot_entities: Callable[[str], None], init_integration: MockConfigEntry
) -> None:
    """The holiday switch has the community integration's unique id."""
    snapshot_entities(init_integration.entry_id)


async def test_on_while_in_power_save(
    hass: HomeAssistant,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
) -> None:
    """Holiday mode shows as power save in the API."""
    devices_answer[0]["isInPowerSave"] = True
    await setup_integration()

    state = hass.states.get(HOLIDAY)
    assert state is not None
    assert state.state == STATE_ON


@pytest.mark.usefixtures("init_integration")
async def test_turn_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """Switching on starts a holiday of 365 days now, then refreshes."""
    freezer.move_to("2026-03-29 00:30:00+00:00")
    aioclient_mock.post(re.compile(re.escape(f"{HOLIDAY_URL}/")), status=200)
    await switch(hass, SERVICE_TURN_ON)

    assert [str(call[1]) for call in requests_to(aioclient_mock, "POST", "")] == [
        f"{HOLIDAY_URL}/2026-03-29T00:30:00.000000Z/2027-03-29T00:30:00.000000Z"
    ]
    await assert_debounced_refresh()


@pytest.mark.usefixtures("init_integration")
async def test_turn_off(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """Switching off ends the holiday, then refreshes."""
    await switch(hass, SERVICE_TURN_OFF)

    assert [str(call[1]) for call in requests_to(aioclient_mock, "DELETE", "")] == [
        HOLIDAY_URL
    ]
    await assert_debounced_refresh()


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("service", [SERVICE_TURN_ON, SERVICE_TURN_OFF])
async def test_switch_fails(
    hass: HomeAssistant, failing_commands: Callable[..., None], service: str
) -> None:
    """A refused command raises a translated error."""
    failing_commands(500)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, service)

    assert err.value.translation_key == "action_failed"
