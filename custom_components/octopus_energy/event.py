"""The event platform of the Octopus Energy integration (rates published per day)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .data import OctopusEnergyConfigEntry
from .features.consumption.entities import consumption_events
from .features.rates.entities import rate_events

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's event entities."""
    async_add_entities([*rate_events(entry), *consumption_events(entry)])
