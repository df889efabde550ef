"""The binary_sensor platform of the Octopus Energy integration."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .data import OctopusEnergyConfigEntry
from .features.rates.entities import off_peak_binary_sensors

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's binary sensors."""
    async_add_entities(off_peak_binary_sensors(entry))
