"""Number entities of the OSO Energy integration: the V40 minimum of a heater."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory, UnitOfVolume
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .api import Device, OSOEnergyClient
from .coordinator import OSOEnergyConfigEntry
from .entity import OSOEnergyEntity, async_add_device_entities, described, oso_action

PARALLEL_UPDATES = 1

V40_FALLBACK_MIN = 200.0
V40_FALLBACK_MAX = 550.0
"""Limits when a heater does not report its own (S200 minimum, S300 maximum)."""


@dataclass(frozen=True, kw_only=True)
class OSOEnergyNumberEntityDescription(NumberEntityDescription):
    """Describe an OSO Energy number; its limits come from the heater."""

    value_fn: Callable[[Device], float | None]
    min_fn: Callable[[Device], float]
    max_fn: Callable[[Device], float]
    set_fn: Callable[[OSOEnergyClient, str, float], Awaitable[None]]


DESCRIPTIONS: tuple[OSOEnergyNumberEntityDescription, ...] = (
    OSOEnergyNumberEntityDescription(
        key="v40_min",
        translation_key="v40_min",
        device_class=NumberDeviceClass.VOLUME_STORAGE,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        native_step=1,
        mode=NumberMode.BOX,
        entity_category=EntityCategory.CONFIG,
        value_fn=lambda device: device.v40_min,
        min_fn=lambda device: (
            V40_FALLBACK_MIN if device.v40_level_min is None else device.v40_level_min
        ),
        max_fn=lambda device: (
            V40_FALLBACK_MAX if device.v40_level_max is None else device.v40_level_max
        ),
        set_fn=lambda client, device_id, value: client.set_v40_min(device_id, value),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up the numbers of every heater, now and when heaters appear."""
    async_add_device_entities(
        entry, async_add_entities, described(OSOEnergyNumber, DESCRIPTIONS)
    )


class OSOEnergyNumber(OSOEnergyEntity, NumberEntity):
    """A setting of a heater, bounded by the heater's own limits."""

    entity_description: OSOEnergyNumberEntityDescription

    @property
    @override
    def native_value(self) -> float | None:
        """The current setting."""
        return self.entity_description.value_fn(self.device)

    @property
    @override
    def native_min_value(self) -> float:
        """The lowest value the heater accepts."""
        return self.entity_description.min_fn(self.device)

    @property
    @override
    def native_max_value(self) -> float:
        """The highest value the heater accepts."""
        return self.entity_description.max_fn(self.device)

    @oso_action
    @override
    async def async_set_native_value(self, value: float) -> None:
        """Send the new setting to the heater."""
        await self.entity_description.set_fn(
            self.coordinator.client, self.device_id, value
        )
