"""Set up only the previous-consumption entities (platforms replaced by mocks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.loader import async_get_integration
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockPlatform,
    mock_platform,
)

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.data import OctopusEnergyData
from custom_components.octopus_energy.features.consumption.coordinator import (
    PreviousConsumptionCoordinator,
    create_consumption_coordinators,
)
from custom_components.octopus_energy.features.consumption.entities import (
    consumption_events,
    consumption_sensors,
)
from custom_components.octopus_energy.features.rates.fetch import clear_rate_link_cache
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter

from .conftest import ACCOUNT, API_KEY, OctopusSim

BUILDERS: dict[Platform, Callable[[Any], list[Entity]]] = {
    Platform.SENSOR: consumption_sensors,
    Platform.EVENT: consumption_events,
}
type SetUp = Callable[[list[ActiveMeter]], Awaitable[MockConfigEntry]]


def _platform(builder: Callable[[Any], list[Entity]]) -> MockPlatform:
    async def async_setup_entry(
        _hass: HomeAssistant, entry: Any, async_add_entities: AddEntitiesCallback
    ) -> None:
        async_add_entities(builder(entry))

    return MockPlatform(async_setup_entry=async_setup_entry)


@pytest.fixture
async def set_up(hass: HomeAssistant, octopus_sim: OctopusSim) -> AsyncIterator[SetUp]:
    """Set up the previous-consumption entities of some meters."""
    clear_rate_link_cache()
    await hass.config.async_set_time_zone("Europe/London")
    await async_get_integration(hass, "octopus_energy")  # real translations
    for platform, builder in BUILDERS.items():
        mock_platform(hass, f"octopus_energy.{platform}", _platform(builder))
    hass.config.components.add("octopus_energy")  # no recorder: skip async_setup
    made: list[PreviousConsumptionCoordinator] = []

    async def _set_up(meters: list[ActiveMeter]) -> MockConfigEntry:
        entry = MockConfigEntry(domain="octopus_energy", version=9, title=ACCOUNT)
        entry.add_to_hass(hass)
        entry.mock_state(hass, ConfigEntryState.SETUP_IN_PROGRESS)
        client = OctopusEnergyClient(
            api_key=API_KEY,
            session=async_get_clientsession(hass),
            base_url=str(octopus_sim.server.make_url("/octopus")),
        )
        settings = AccountSettings()
        coordinators = create_consumption_coordinators(
            hass,
            entry,  # type: ignore[arg-type]
            client,
            meters,
            settings,
            {},
        )
        made.extend(coordinators.values())
        for coordinator in coordinators.values():
            await coordinator.async_config_entry_first_refresh()
        entry.runtime_data = OctopusEnergyData(
            account_number=ACCOUNT,
            client=client,
            settings=settings,
            account=None,  # type: ignore[arg-type]
            meters=tuple(meters),
            previous_consumption=coordinators,
        )
        entry.mock_state(hass, ConfigEntryState.LOADED)
        await hass.config_entries.async_forward_entry_setups(entry, list(BUILDERS))
        await hass.async_block_till_done()
        return entry

    yield _set_up
    for coordinator in made:
        await coordinator.async_shutdown()
    clear_rate_link_cache()
