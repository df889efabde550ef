"""Fixtures for the OSO Energy tests.

The real API client runs against HA's `AiohttpClientMocker` (`aioclient_mock`), so
parsing and error mapping are exercised end to end. `mock_oso_api` registers every
endpoint with the JSON fixtures; tests change answers with
`aioclient_mock.clear_requests()` and new registrations.
"""

from __future__ import annotations

from collections.abc import Generator
import json
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, load_fixture
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy.api import DEFAULT_BASE_URL
from custom_components.osoenergy.const import DOMAIN

API_KEY = "secret-subscription-key"
EMAIL = "test@example.com"
DEVICE_ID = "osoid-1234"
URL = f"{DEFAULT_BASE_URL}/1"
DEVICES_URL = f"{URL}/Device/All"
USER_URL = f"{URL}/User/Details"


def load_json(name: str) -> Any:
    """Load a JSON fixture of this folder."""
    return json.loads(load_fixture(name, DOMAIN))


@pytest.fixture
def devices_payload() -> list[dict[str, Any]]:
    """The device list the mocked cloud returns (tests may change it)."""
    return load_json("devices.json")


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A config entry exactly as HA core's osoenergy creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=EMAIL,
        version=1,
        data={CONF_API_KEY: API_KEY},
    )


@pytest.fixture
def mock_oso_api(
    aioclient_mock: AiohttpClientMocker, devices_payload: list[dict[str, Any]]
) -> AiohttpClientMocker:
    """Answer every OSO endpoint like the real cloud does when all is well."""
    aioclient_mock.get(USER_URL, json=load_json("user_details.json"))
    aioclient_mock.get(DEVICES_URL, json=devices_payload)
    device_url = f"{URL}/Device/{DEVICE_ID}"
    for path in ("TurnOn", "TurnOff"):
        aioclient_mock.post(f"{device_url}/{path}", status=200)
    aioclient_mock.put(f"{device_url}/Profile", status=200)
    aioclient_mock.put(f"{device_url}/V40Min/240.0", status=200)
    aioclient_mock.delete(f"{device_url}/HolidayMode", status=200)
    return aioclient_mock


def requests_to(
    aioclient_mock: AiohttpClientMocker, method: str, fragment: str
) -> list[tuple[Any, ...]]:
    """The recorded requests whose method matches and whose URL contains `fragment`."""
    return [
        call
        for call in aioclient_mock.mock_calls
        if call[0].upper() == method.upper() and fragment in str(call[1])
    ]


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Skip entry setup (for config-flow tests)."""
    with patch(
        "custom_components.osoenergy.async_setup_entry", return_value=True
    ) as mock:
        yield mock


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_oso_api: AiohttpClientMocker,
) -> MockConfigEntry:
    """Set up the integration with the mocked cloud."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry
