"""The number platform: the entities of every enabled feature (see `features`)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .data import OctopusEnergyConfigEntry

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the features' entities; entities of new meters or devices follow."""
    entry.runtime_data.setup_platform(Platform.NUMBER, async_add_entities)
