"""The integration inside Home Assistant against the OSO simulator with faults.

The simulator (scripts/simulator) is served on 127.0.0.1 and reached through the
development setting; it reads the same (frozen) clock as Home Assistant, so its tank
follows the simulated time. The recorder runs, so history can be checked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import history
from homeassistant.const import CONF_API_KEY, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.recorder import get_instance
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.osoenergy.const import DOMAIN, ENV_BASE_URL
from scripts.simulator.faults import Fault
from scripts.simulator.oso import device_json
from scripts.simulator.server import Simulator, create_app

KEY = "sim-oso-demo-key"
EMAIL = "demo@example.com"
S200 = "sim-oso-s200"
ENERGY = "sensor.bathroom_heater_energy_consumed"
TEMPERATURE = "sensor.bathroom_heater_temperature_top"
WATER_HEATER = "water_heater.bathroom_heater"
START = datetime(2026, 11, 23, 6, 20, tzinfo=UTC)
"""Morning: hot water is used 06-09 UTC, so the S200 heats (3 kW) 06:04-08:56."""
STEP = timedelta(seconds=60)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
async def sim(
    socket_enabled: Any,
    monkeypatch: pytest.MonkeyPatch,
    freezer: FrozenDateTimeFactory,
) -> AsyncIterator[Simulator]:
    """The simulator on 127.0.0.1, with the integration pointed at it."""
    freezer.move_to(START)
    simulator = Simulator()
    server = TestServer(create_app(simulator), host="127.0.0.1")
    await server.start_server()
    monkeypatch.setenv(ENV_BASE_URL, str(server.make_url("/oso/water-heater-api")))
    try:
        yield simulator
    finally:
        await server.close()


@pytest.fixture
async def entry(hass: HomeAssistant, sim: Simulator) -> MockConfigEntry:
    """The simulator's demo account, set up (as HA core created it)."""
    config_entry = MockConfigEntry(
        domain=DOMAIN, title=EMAIL, unique_id=EMAIL, data={CONF_API_KEY: KEY}
    )
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


async def run(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, duration: timedelta
) -> None:
    """Let `duration` pass in one-minute steps (the coordinator polls as it likes)."""
    for _ in range(int(duration / STEP)):
        freezer.tick(STEP)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def registry_snapshot(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, tuple[Any, ...]]:
    """Every registry entry of the account: ids, entity id, name and device."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {
        e.unique_id: (e.id, e.entity_id, e.name, e.device_id, e.created_at)
        for e in entities
    }


def sim_energy(sim: Simulator, start: datetime, end: datetime) -> float:
    """The energy (kWh) the simulated S200 used, summed second by second."""
    dev = sim.state["oso"]["devices"][S200]
    total = 0.0
    moment = start
    while moment < end:
        total += device_json(dev, moment)["data"]["actualLoadKwh"] / 3600
        moment += timedelta(seconds=1)
    return total


async def states_since(
    hass: HomeAssistant, entity_id: str, start: datetime
) -> list[str]:
    """The recorded states of an entity since `start`."""
    await async_wait_recording_done(hass)
    found = await get_instance(hass).async_add_executor_job(
        history.state_changes_during_period, hass, start, None, entity_id
    )
    return [state.state for state in found.get(entity_id, [])]


async def test_empty_device_list_for_an_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: Simulator,
    entry: MockConfigEntry,
) -> None:
    """An hour of `Device/All` answering [] keeps every entity, history and entry.

    The heaters show unavailable meanwhile and come back with the same registry
    entries (ids, customised names), devices and their history.
    """
    registry = er.async_get(hass)
    registry.async_update_entity(WATER_HEATER, name="Bath")
    before = registry_snapshot(hass, entry)
    assert len(before) > 40
    devices = {
        d.id
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    }
    await run(hass, freezer, timedelta(minutes=10))
    assert hass.states.get(TEMPERATURE).state != STATE_UNAVAILABLE
    first = START

    sim.faults.add(Fault(kind="empty", operation="oso.devices"))
    await run(hass, freezer, timedelta(hours=1))
    assert hass.states.get(WATER_HEATER).state == STATE_UNAVAILABLE
    assert registry_snapshot(hass, entry) == before
    sim.faults.clear()
    await run(hass, freezer, timedelta(minutes=5))

    assert registry_snapshot(hass, entry) == before
    assert {
        d.id
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    } == devices
    for unique_id, (_, entity_id, *_rest) in before.items():
        state = hass.states.get(entity_id)
        assert state is not None, unique_id
        assert state.state != STATE_UNAVAILABLE, entity_id
    assert hass.states.get(WATER_HEATER).name == "Bath"
    recorded = await states_since(hass, TEMPERATURE, first)
    assert recorded[0] != STATE_UNAVAILABLE
    assert STATE_UNAVAILABLE in recorded
    assert recorded[-1] != STATE_UNAVAILABLE
    assert not [
        issue
        for issue in hass.data["issue_registry"].issues.values()
        if issue.domain == DOMAIN
    ]


async def test_two_hour_outage_keeps_values_and_energy(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: Simulator,
    entry: MockConfigEntry,
) -> None:
    """A 2-hour outage: last values stay (stale), and no energy is lost.

    The heater heats through the whole outage, so the bridged estimate is exact.
    """
    await run(hass, freezer, timedelta(minutes=10))
    start_energy = float(hass.states.get(ENERGY).state)
    outage_start = datetime.now(UTC)
    temperature = hass.states.get(TEMPERATURE).state

    sim.faults.add(Fault(kind="server_error", operation="oso"))
    await run(hass, freezer, timedelta(hours=2))
    state = hass.states.get(TEMPERATURE)
    assert state.state == temperature
    assert state.attributes["stale"] is True
    assert float(hass.states.get(ENERGY).state) == pytest.approx(start_energy)
    sim.faults.clear()
    await run(hass, freezer, timedelta(minutes=12))

    end = datetime.now(UTC)
    expected = sim_energy(sim, START, end)
    assert float(hass.states.get(ENERGY).state) == pytest.approx(expected, rel=0.03)
    assert "stale" not in hass.states.get(TEMPERATURE).attributes
    for name in (TEMPERATURE, ENERGY, WATER_HEATER):
        assert STATE_UNAVAILABLE not in await states_since(hass, name, outage_start)
