"""Placeholder: the sensor platform of the OSO Energy integration (being written)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinator import OSOEnergyConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up nothing yet."""
