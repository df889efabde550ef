"""The rates of the whole integration (reference account) across a day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import OctopusSim
from .rates_helpers import utc
from .test_rates_coordinator import CHARGES, RATES, step


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def test_reference_account_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The whole integration: 3 unit-rate and 3 standing-charge requests a day."""
    freezer.move_to(utc(2026, 11, 23, 10))
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    # the previous-consumption coordinators fetch yesterday themselves at a first
    # setup (the rates coordinators have nothing stored yet); count from here
    before = (octopus_sim.count(RATES), octopus_sim.count(CHARGES))
    rate = hass.states.get(
        "sensor.octopus_energy_gas_g4a0000001_3000000001_current_rate"
    )
    assert rate is not None
    assert float(rate.state) > 0
    await step(hass, freezer, timedelta(hours=24))
    after = (octopus_sim.count(RATES), octopus_sim.count(CHARGES))
    # Agile at 16:00, the fixed export and gas tariffs after midnight; 3 charges
    assert (after[0] - before[0], after[1] - before[1]) == (3, 3)
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
