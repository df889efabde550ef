"""Tests for the V40-minimum number of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any
from unittest.mock import patch

from homeassistant.components.number import (
    ATTR_MAX,
    ATTR_MIN,
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from .conftest import DEVICE_ID, URL, requests_to

V40_MIN = "number.test_device_minimum_mixed_water_at_40_degc"


@pytest.fixture(autouse=True)
def only_numbers() -> Generator[None]:
    """Load only the number platform."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.NUMBER]):
        yield


async def set_v40_min(hass: HomeAssistant, value: float) -> None:
    """Call number.set_value on the V40-minimum entity."""
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: V40_MIN, ATTR_VALUE: value},
        blocking=True,
    )


async def test_numbers(
    snapshot_entities: Callable[[str], None], init_integration: MockConfigEntry
) -> None:
    """The V40 minimum has core's key, the heater's limits and its value."""
    snapshot_entities(init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
async def test_set_v40_min(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """Setting a value sends it to the heater, then the data is refreshed."""
    await set_v40_min(hass, 240)

    calls = requests_to(aioclient_mock, "PUT", "/V40Min/")
    assert [str(call[1]) for call in calls] == [
        f"{URL}/Device/{DEVICE_ID}/V40Min/240.0"
    ]
    await assert_debounced_refresh()


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("value", [199, 351])
async def test_set_v40_min_out_of_range(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, value: float
) -> None:
    """A value outside the heater's own limits (200-350 L) is refused locally."""
    with pytest.raises(ServiceValidationError) as err:
        await set_v40_min(hass, value)

    assert err.value.translation_key == "out_of_range"
    assert requests_to(aioclient_mock, "PUT", "/V40Min/") == []


@pytest.mark.usefixtures("init_integration")
async def test_set_v40_min_api_error(
    hass: HomeAssistant, failing_commands: Callable[..., None]
) -> None:
    """A refused command raises a translated error."""
    failing_commands(500)
    with pytest.raises(HomeAssistantError) as err:
        await set_v40_min(hass, 250)

    assert err.value.translation_key == "action_failed"


async def test_limits_fall_back(
    hass: HomeAssistant,
    devices_answer: list[dict[str, Any]],
    setup_integration: Callable[[], Awaitable[MockConfigEntry]],
) -> None:
    """A heater that does not report its limits gets its model's documented range."""
    del devices_answer[0]["v40LevelMin"]
    devices_answer[0]["v40LevelMax"] = None
    await setup_integration()

    state = hass.states.get(V40_MIN)
    assert state is not None
    assert (state.attributes[ATTR_MIN], state.attributes[ATTR_MAX]) == (200, 350)


@pytest.mark.usefixtures("init_integration")
async def test_set_v40_min_whole_litres_only(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The number refuses part litres, like the action, naming the range."""
    with pytest.raises(ServiceValidationError) as err:
        await set_v40_min(hass, 250.5)

    assert err.value.translation_key == "v40_not_whole"
    assert err.value.translation_placeholders == {
        "value": "250.5",
        "min": "200",
        "max": "350",
    }
    assert requests_to(aioclient_mock, "PUT", "/V40Min/") == []


@pytest.mark.usefixtures("init_integration")
async def test_set_v40_min_shown_at_once(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The new value shows right after the command, before the refresh."""
    aioclient_mock.put(f"{URL}/Device/{DEVICE_ID}/V40Min/300.0", status=200)

    await set_v40_min(hass, 300)

    assert hass.states.get(V40_MIN).state == "300.0"
