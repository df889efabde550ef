"""The sensor platform of the Octopus Energy integration.

Each feature module builds its own sensors; this module only adds them.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .data import OctopusEnergyConfigEntry
from .features.account.health import health_sensors
from .features.consumption.entities import consumption_sensors
from .features.home_mini.entities import home_mini_sensors
from .features.rates.entities import rate_sensors

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's sensors."""
    async_add_entities(
        [
            *health_sensors(entry),
            *rate_sensors(entry),
            *consumption_sensors(entry),
            *home_mini_sensors(entry),
        ]
    )
