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
from .entity import (
    DeviceChanges,
    OSOEnergyEntity,
    async_add_device_entities,
    check_v40_min,
    described,
    oso_action,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class OSOEnergyNumberEntityDescription(NumberEntityDescription):
    """Describe an OSO Energy number; its limits come from the heater."""

    value_fn: Callable[[Device], float | None]
    range_fn: Callable[[Device], tuple[float, float]]
    check_fn: Callable[[Device, float], float]
    """Validate a new value (raise ServiceValidationError); return what to send."""
    set_fn: Callable[[OSOEnergyClient, str, float], Awaitable[None]]
    field: str
    """The `Device` field the number shows (set at once after a command)."""


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
        range_fn=lambda device: device.v40_range,
        check_fn=check_v40_min,
        set_fn=lambda client, device_id, value: client.set_v40_min(device_id, value),
        field="v40_min",
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
        """The lowest value the heater accepts (its own, else its model's)."""
        return self.entity_description.range_fn(self.device)[0]

    @property
    @override
    def native_max_value(self) -> float:
        """The highest value the heater accepts (its own, else its model's)."""
        return self.entity_description.range_fn(self.device)[1]

    @oso_action
    @override
    async def async_set_native_value(self, value: float) -> DeviceChanges:
        """Check the new setting (as the action does), then send it to the heater."""
        description = self.entity_description
        checked = description.check_fn(self.device, value)
        await description.set_fn(self.coordinator.client, self.device_id, checked)
        return {description.field: float(checked)}
