"""Fixtures for the Octopus Energy integration tests.

The integration runs against the bundled API simulator (scripts/simulator), served
in-process on 127.0.0.1 and reached through the development setting, so the real
client, real GraphQL validation and real pagination are exercised. Time: freeze it
with `freezer` (the simulator reads the same clock) and step with
`freezer.tick(...)` + `async_fire_time_changed(hass)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestServer
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.const import (
    DOMAIN,
    ENV_BACKEND_URL,
    ENV_BASE_URL,
)
from scripts.simulator.server import Simulator, create_app

ACCOUNT = "A-AAAA1111"
API_KEY = "sk_live_simulatorAAAA1111"
IMPORT_MPAN = "1200000000001"
EXPORT_MPAN = "1200000000002"
ELECTRICITY_SERIAL = "22L0000001"
GAS_MPRN = "3000000001"
GAS_SERIAL = "G4A0000001"


@dataclass
class OctopusSim:
    """The running simulator: its state, faults, counts and base URL."""

    sim: Simulator
    server: TestServer

    def count(self, prefix: str = "octopus") -> int:
        """Requests counted so far whose operation starts with `prefix`."""
        return sum(
            n for op, n in self.sim.faults.counts.items() if op.startswith(prefix)
        )


def community_entry_data(**overrides: Any) -> dict[str, Any]:
    """An account entry exactly as the community integration (VERSION 9) stores it."""
    data: dict[str, Any] = {
        "kind": "account",
        "account_id": ACCOUNT,
        "api_key": API_KEY,
        "calorific_value": 40.0,
        "favour_direct_debit_rates": True,
        "home_mini_settings": {
            "supports_live_consumption": True,
            "live_electricity_consumption_refresh_in_minutes": 1,
            "live_gas_consumption_refresh_in_minutes": 2,
        },
        "intelligent_settings": {},
        "price_cap_settings": {},
    }
    data.update(overrides)
    return data


@pytest.fixture
async def octopus_sim(
    socket_enabled: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[OctopusSim]:
    """The API simulator on 127.0.0.1, with the integration pointed at it."""
    sim = Simulator()
    server = TestServer(create_app(sim), host="127.0.0.1", access_log=None)
    await server.start_server()
    monkeypatch.setenv(ENV_BASE_URL, str(server.make_url("/octopus")))
    monkeypatch.setenv(ENV_BACKEND_URL, str(server.make_url("/octopus-backend")))
    try:
        yield OctopusSim(sim=sim, server=server)
    finally:
        await server.close()


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """The reference account's entry, as the community integration created it."""
    return MockConfigEntry(
        domain=DOMAIN, version=9, title=ACCOUNT, data=community_entry_data()
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, octopus_sim: OctopusSim
) -> MockConfigEntry:
    """Set the integration up against the simulator."""
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
async def home_mini_entry(hass: HomeAssistant) -> MockConfigEntry:
    """An account entry added but not set up (Home Mini tests build their own)."""
    await hass.config.async_set_time_zone("Europe/London")
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def make_home_mini(
    hass: HomeAssistant, home_mini_entry: MockConfigEntry, octopus_sim: OctopusSim
) -> Any:
    """Build Home Mini coordinators (with a spying client) on the simulator."""
    from .home_mini_helpers import build_home_mini  # noqa: PLC0415

    def build(*args: Any, **kwargs: Any) -> Any:
        return build_home_mini(hass, home_mini_entry, *args, **kwargs)

    return build
