"""Tests of the helpers that bridge Home Assistant versions."""

from __future__ import annotations

from unittest.mock import Mock

from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.helpers import service
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy import compat
from custom_components.osoenergy.const import DOMAIN

from .conftest import requests_to

pytestmark = pytest.mark.usefixtures("water_heater_only")

ENTITY_ID = "water_heater.test_device"
NEW_HELPER = "async_register_platform_entity_service"


@pytest.fixture
def without_new_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as on Home Assistant before 2025.10, which lacks the new helper."""
    monkeypatch.delattr(service, NEW_HELPER, raising=False)


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set up the integration (its actions are registered in async_setup)."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def profile_of_test_heater(hass: HomeAssistant) -> object:
    """Call get_profile on the test heater."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_profile",
        {ATTR_ENTITY_ID: ENTITY_ID},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return response[ENTITY_ID]


async def test_uses_the_new_helper_when_present(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Home Assistant has the helper, it is called with the same arguments."""
    helper = Mock()
    monkeypatch.setattr(service, NEW_HELPER, helper, raising=False)

    compat.async_register_platform_entity_service(
        hass,
        DOMAIN,
        "get_profile",
        entity_domain=Platform.WATER_HEATER,
        func="async_get_profile",
        schema={},
        supports_response=SupportsResponse.ONLY,
    )

    helper.assert_called_once_with(
        hass,
        DOMAIN,
        "get_profile",
        entity_domain=Platform.WATER_HEATER,
        func="async_get_profile",
        schema={},
        supports_response=SupportsResponse.ONLY,
    )
    assert not hass.services.has_service(DOMAIN, "get_profile")


@pytest.mark.usefixtures("without_new_helper")
async def test_fallback_registers_working_actions(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_oso_api: AiohttpClientMocker,
) -> None:
    """Without the helper the actions still reach this integration's water heaters."""
    assert not hasattr(service, NEW_HELPER)
    await set_up(hass, mock_config_entry)

    result = await profile_of_test_heater(hass)
    await hass.services.async_call(
        DOMAIN,
        "turn_on",
        {ATTR_ENTITY_ID: ENTITY_ID, "until_temp_limit": False},
        blocking=True,
    )

    assert isinstance(result, dict)
    assert len(result["profile"]) == 24
    [request] = requests_to(mock_oso_api, "POST", "TurnOn")
    assert str(request[1]).endswith("TurnOn?fullUtilizationParam=False")


@pytest.mark.usefixtures("without_new_helper")
async def test_fallback_survives_a_reload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_oso_api: AiohttpClientMocker,
) -> None:
    """The fallback's entity map is the platform's own, so a reload keeps it working."""
    await set_up(hass, mock_config_entry)

    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert isinstance(await profile_of_test_heater(hass), dict)
