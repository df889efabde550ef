"""Fixtures of the intelligent tests: the simulator's IOG scenario.

The `iog` scenario is the reference account with its import meter on Intelligent
Octopus Go (23:30-05:30 off peak) and the MYENERGI zappi charger, which has a
smart dispatch every night (23:30-05:30) and on every other afternoon
(13:00-14:30), announced 12 hours ahead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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

from ..conftest import ACCOUNT, OctopusSim, community_entry_data

EV = "00000000-0000-0000-0000-00000000ev01"
ENTITY = "octopus_energy_00000000_0000_0000_0000_00000000ev01"
STATE_OPERATION = "octopus.graphql.IntelligentState"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


@pytest.fixture
async def octopus_sim(
    socket_enabled: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[OctopusSim]:
    """The simulator with the IOG scenario, the integration pointed at it."""
    sim = Simulator(scenario="iog")
    server = TestServer(create_app(sim), host="127.0.0.1")
    await server.start_server()
    monkeypatch.setenv(ENV_BASE_URL, str(server.make_url("/octopus")))
    monkeypatch.setenv(ENV_BACKEND_URL, str(server.make_url("/octopus-backend")))
    try:
        yield OctopusSim(sim=sim, server=server)
    finally:
        await server.close()


def iog_entry(**intelligent: Any) -> MockConfigEntry:
    """The IOG account's community entry (no Home Mini, to count requests)."""
    data = community_entry_data(
        home_mini_settings={"supports_live_consumption": False},
        intelligent_settings=intelligent,
    )
    return MockConfigEntry(domain=DOMAIN, version=9, title=ACCOUNT, data=data)


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """The IOG account's entry (automatic polling)."""
    return iog_entry()


async def async_setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up an entry."""
    await hass.config.async_set_time_zone("Europe/London")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
