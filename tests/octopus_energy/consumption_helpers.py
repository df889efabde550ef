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
from custom_components.octopus_energy.features.consumption.coordinator import (
    PreviousConsumptionCoordinator,
)
from custom_components.octopus_energy.features.consumption.entities import (
    consumption_entities,
)
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter

from .builders import consumption_coordinators
from .conftest import ACCOUNT, API_KEY, OctopusSim

BUILDERS: dict[Platform, Callable[[Any], list[Entity]]] = {
    platform: (
        lambda entry, platform=platform: [
            e
            for c in entry.runtime_data.values()
            for e in consumption_entities(c, platform)
        ]
    )
    for platform in (Platform.SENSOR, Platform.EVENT)
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
        coordinators = consumption_coordinators(
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
        entry.runtime_data = coordinators
        entry.mock_state(hass, ConfigEntryState.LOADED)
        await hass.config_entries.async_forward_entry_setups(entry, list(BUILDERS))
        await hass.async_block_till_done()
        return entry

    yield _set_up
    for coordinator in made:
        await coordinator.async_shutdown()
