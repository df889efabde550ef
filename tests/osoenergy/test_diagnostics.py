"""Tests of the OSO Energy diagnostics: content and redaction."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.osoenergy.const import SCAN_INTERVAL

from .conftest import API_KEY, DEVICE_ID, DEVICES_URL, EMAIL, mock_answer


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold the entry, the coordinator state and raw devices, redacted."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert diagnostics == snapshot
    text = json.dumps(diagnostics)
    for secret in (API_KEY, EMAIL, DEVICE_ID, "TEST DEVICE"):
        assert secret not in text
    assert diagnostics["devices"][0]["control"]["mode"] == "auto"


async def test_diagnostics_after_failure(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """A failed poll shows in the coordinator part; the last devices stay listed."""
    mock_answer(aioclient_mock, DEVICES_URL, status=429, headers={"Retry-After": "90"})
    freezer.tick(SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert diagnostics["coordinator"] == {
        "last_update_success": False,
        "update_interval": 90.0,
        "last_exception": "UpdateFailed",
        "stale": True,
        "missing_heaters": 0,
    }
    assert len(diagnostics["devices"]) == 1
