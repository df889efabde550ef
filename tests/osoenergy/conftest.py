"""Fixtures for the OSO Energy tests.

The real API client runs against HA's `AiohttpClientMocker` (`aioclient_mock`), so
parsing and error mapping are exercised end to end. `mock_oso_api` registers every
endpoint with the JSON fixtures; tests change answers with
`aioclient_mock.clear_requests()` and new registrations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from datetime import timedelta
from enum import Enum
import json
import re
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    load_fixture,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.osoenergy.api import DEFAULT_BASE_URL
from custom_components.osoenergy.const import DOMAIN, REFRESH_COOLDOWN, SCAN_INTERVAL

API_KEY = "secret-subscription-key"
EMAIL = "test@example.com"
DEVICE_ID = "osoid-1234"
URL = f"{DEFAULT_BASE_URL}/1"
DEVICES_URL = f"{URL}/Device/All"
USER_URL = f"{URL}/User/Details"


def apim_refusal(status: int = 401) -> dict[str, Any]:
    """Azure API Management's own answer to a refused subscription key."""
    message = "Access denied due to invalid subscription key."
    return {"status": status, "json": {"statusCode": status, "message": message}}


def load_json(name: str) -> Any:
    """Load a JSON fixture of this folder."""
    return json.loads(load_fixture(name))


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


@pytest.fixture
def devices_answer(
    aioclient_mock: AiohttpClientMocker, devices_payload: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Serve `Device/All` from a live list: change it in place between polls.

    Request this fixture before `mock_oso_api` / `init_integration`, so that its
    registration is the one matched first.
    """

    async def _respond(method: str, url: Any, data: Any) -> AiohttpClientMockResponse:
        return AiohttpClientMockResponse(method, url, json=devices_payload)

    aioclient_mock.get(DEVICES_URL, side_effect=_respond)
    return devices_payload


@pytest.fixture
def failing_commands(
    aioclient_mock: AiohttpClientMocker, devices_payload: list[dict[str, Any]]
) -> Callable[..., None]:
    """Make every command to the heater fail with an HTTP status.

    `Device/All` keeps answering with `devices_payload`.
    """

    def _fail(status: int, headers: dict[str, str] | None = None) -> None:
        aioclient_mock.clear_requests()
        aioclient_mock.get(DEVICES_URL, json=devices_payload)
        commands = re.compile(rf"{re.escape(URL)}/Device/{DEVICE_ID}/")
        body = apim_refusal(status)["json"]
        for method in ("post", "put", "delete"):
            aioclient_mock.request(
                method, commands, status=status, headers=headers, json=body
            )

    return _fail


@pytest.fixture
def assert_debounced_refresh(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> Callable[[], Awaitable[None]]:
    """Check that `Device/All` is requested once more after the refresh cooldown."""

    async def _check() -> None:
        before = len(requests_to(aioclient_mock, "GET", "Device/All"))
        freezer.tick(timedelta(seconds=REFRESH_COOLDOWN + 1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert len(requests_to(aioclient_mock, "GET", "Device/All")) == before + 1

    return _check


def mock_answer(aioclient_mock: AiohttpClientMocker, url: str, **answer: Any) -> None:
    """Make GET `url` answer as given from now on; drop every other registration."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(url, **answer)


def _plain(value: Any) -> Any:
    """Turn enums into their values and mapping keys into strings, recursively."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


REGISTRY_FIELDS = (
    "entity_id",
    "unique_id",
    "platform",
    "has_entity_name",
    "translation_key",
    "original_name",
    "original_device_class",
    "original_icon",
    "entity_category",
    "capabilities",
    "unit_of_measurement",
    "disabled_by",
    "hidden_by",
)


@pytest.fixture
def snapshot_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> Callable[[str], None]:
    """Snapshot every entity of a config entry alike on every supported HA version.

    `snapshot_platform` stores whole registry entries and enum-keyed attributes, whose
    serialisation differs between HA 2025.4 and 2026.10 (new registry fields, keys).
    This stores the registry fields the integration decides and the plain state.
    """

    def _snapshot(config_entry_id: str) -> None:
        entries = er.async_entries_for_config_entry(entity_registry, config_entry_id)
        assert entries
        assert len({entry.domain for entry in entries}) == 1, "load one platform"
        for entry in entries:
            fields = {name: getattr(entry, name) for name in REGISTRY_FIELDS}
            assert _plain(fields) == snapshot(name=f"{entry.entity_id}-entry")
            state = hass.states.get(entry.entity_id)
            assert state is not None, entry.entity_id
            assert {
                "state": state.state,
                "attributes": _plain(dict(state.attributes)),
            } == snapshot(name=f"{entry.entity_id}-state")

    return _snapshot


async def poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    after: timedelta = SCAN_INTERVAL,
) -> None:
    """Let `after` pass (by default one scan interval): the coordinator polls once."""
    freezer.tick(after)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.fixture
def water_heater_only() -> Generator[None]:
    """Set up the water_heater platform only (the water heater and its actions)."""
    with patch("custom_components.osoenergy.PLATFORMS", [Platform.WATER_HEATER]):
        yield


@pytest.fixture
def setup_integration(
    hass: HomeAssistant,
    devices_answer: list[dict[str, Any]],
    mock_oso_api: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> Callable[[], Awaitable[MockConfigEntry]]:
    """Set up the integration later, with what `devices_answer` holds then."""

    async def _setup() -> MockConfigEntry:
        mock_config_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        return mock_config_entry

    return _setup


def find_device(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, device_id: str
) -> dr.DeviceEntry | None:
    """The entry's device of a heater (`async_get_device` is deprecated in HA 2026)."""
    return next(
        (
            device
            for device in dr.async_entries_for_config_entry(
                device_registry, entry.entry_id
            )
            if (DOMAIN, device_id) in device.identifiers
        ),
        None,
    )
