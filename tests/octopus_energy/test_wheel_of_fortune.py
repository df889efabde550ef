"""Wheel of fortune: the spins sensors and `spin_wheel_of_fortune`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.wheel_of_fortune import (
    WheelOfFortuneFeature,
)
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .octoplus_helpers import NOW, SPIN, SPINS, plain

ELECTRICITY = "sensor.octopus_energy_a_aaaa1111_wheel_of_fortune_spins_electricity"
GAS = "sensor.octopus_energy_a_aaaa1111_wheel_of_fortune_spins_gas"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> MockConfigEntry:
    """The reference account (2 electricity spins, 1 gas spin) set up at NOW."""
    del octopus_sim
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


def spins(octopus_sim: OctopusSim) -> dict[str, int]:
    """The simulator's spins of the account (mutable)."""
    wheel: dict[str, int] = octopus_sim.sim.state["octopus"]["account"][
        "wheel_of_fortune"
    ]["spins"]
    return wheel


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """An entity's state."""
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def spin(hass: HomeAssistant, entity_id: str) -> Any:
    """Call the action with a response."""
    return await hass.services.async_call(
        DOMAIN,
        "spin_wheel_of_fortune",
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        return_response=True,
    )


async def test_entities(
    hass: HomeAssistant, entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Both spins sensors, on the Octoplus device."""
    del entry
    assert {
        entity_id: plain(dict(state.attributes)) | {"state": state.state}
        for entity_id in (ELECTRICITY, GAS)
        if (state := hass.states.get(entity_id)) is not None
    } == snapshot


async def test_spin(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """The prize is the response; the spins update at once (one request each)."""
    del entry
    assert await spin(hass, ELECTRICITY) == {
        ELECTRICITY: {"amount_won_in_pence": 5, "fuel": "electricity"}
    }
    assert octopus_sim.count(SPIN) == 1
    assert octopus_sim.count(SPINS) == 2
    assert state_of(hass, ELECTRICITY) == "1"
    assert await spin(hass, GAS) == {GAS: {"amount_won_in_pence": 10, "fuel": "gas"}}
    assert state_of(hass, GAS) == "0"
    # without a response variable, as the community blueprints call it
    await hass.services.async_call(
        DOMAIN, "spin_wheel_of_fortune", {ATTR_ENTITY_ID: ELECTRICITY}, blocking=True
    )
    assert state_of(hass, ELECTRICITY) == "0"


async def test_no_spins_left(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """No spin left: refused before any request."""
    del entry
    await spin(hass, GAS)
    with pytest.raises(ServiceValidationError) as err:
        await spin(hass, GAS)
    assert err.value.translation_key == "wheel_of_fortune_no_spins"
    assert err.value.translation_placeholders == {"fuel": "gas"}
    assert octopus_sim.count(SPIN) == 1


async def test_spin_refused_by_the_api(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """Octopus's refusal is an error with its reason; the spins stay."""
    del entry
    spins(octopus_sim)["ELECTRICITY"] = 0  # used in the app meanwhile
    with pytest.raises(HomeAssistantError) as err:
        await spin(hass, ELECTRICITY)
    assert err.value.translation_key == "wheel_of_fortune_spin_failed"
    assert "SIM-NO-SPINS" in str(err.value.translation_placeholders)
    assert state_of(hass, ELECTRICITY) == "2"


async def test_only_on_spins_sensors(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Other sensors are not targets."""
    del entry
    with pytest.raises(ServiceValidationError) as err:
        await spin(hass, "sensor.octopus_energy_a_aaaa1111_octoplus_points")
    assert err.value.translation_key == "entity_not_supported"


async def test_polling_failure_and_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Every 6 hours; unavailable on failure, back on success; none at a restart."""
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_sim.count(SPINS) == 1
    assert state_of(hass, ELECTRICITY) == "2"
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=SPINS))
    freezer.tick(timedelta(hours=6, minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert octopus_sim.count(SPINS) == 2
    assert state_of(hass, ELECTRICITY) == STATE_UNAVAILABLE
    octopus_sim.sim.faults.clear()
    spins(octopus_sim)["ELECTRICITY"] = 3
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, ELECTRICITY) == "3"


async def test_not_enrolled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Not enrolled in Octoplus: no spins sensor, no spins request."""
    octopus_sim.sim.state["octopus"]["account"]["octoplus"]["enrolled"] = False
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.feature(WheelOfFortuneFeature) is None
    assert hass.states.get(ELECTRICITY) is None
    assert octopus_sim.count(SPINS) == 0
