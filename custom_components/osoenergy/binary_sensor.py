"""Binary sensors of the OSO Energy integration: core's three plus connectivity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

# HA 2026 moved the device classes to `binary_sensor.const` and re-exports them
# implicitly, which strict mypy flags there (and only there).
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .api import Device
from .coordinator import OSOEnergyConfigEntry
from .entity import OSOEnergyEntity, async_add_device_entities, described

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class OSOEnergyBinarySensorEntityDescription(BinarySensorEntityDescription):
    """Describe an OSO Energy binary sensor."""

    is_on_fn: Callable[[Device], bool]
    available_offline: bool = False
    """Whether the entity stays available while the heater is not connected."""


DESCRIPTIONS: tuple[OSOEnergyBinarySensorEntityDescription, ...] = (
    OSOEnergyBinarySensorEntityDescription(
        key="power_save",
        translation_key="power_save",
        is_on_fn=lambda device: device.power_save,
    ),
    OSOEnergyBinarySensorEntityDescription(
        key="extra_energy",
        translation_key="extra_energy",
        is_on_fn=lambda device: device.extra_energy,
    ),
    OSOEnergyBinarySensorEntityDescription(
        key="heating",
        translation_key="heating",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda device: device.heater_on,
    ),
    OSOEnergyBinarySensorEntityDescription(
        key="connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        available_offline=True,
        is_on_fn=lambda device: device.connected,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up the binary sensors of every heater, now and when heaters appear."""
    async_add_device_entities(
        entry, async_add_entities, described(OSOEnergyBinarySensor, DESCRIPTIONS)
    )


class OSOEnergyBinarySensor(OSOEnergyEntity, BinarySensorEntity):
    """A binary sensor showing one flag of a heater."""

    entity_description: OSOEnergyBinarySensorEntityDescription

    @property
    @override
    def available(self) -> bool:
        """Connectivity is known while the cloud answers; the rest needs the heater."""
        if self.entity_description.available_offline:
            return self.coordinator.fresh and self.coordinator.present(self.device_id)
        return super().available

    @property
    @override
    def is_on(self) -> bool:
        """Whether the flag is set."""
        return self.entity_description.is_on_fn(self.device)
