"""Sensors of the OSO Energy integration.

Keys, unique ids and enum options are those of HA core's osoenergy, so a core user
keeps the history. The energy sensor is new: it integrates the heater's power.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import HEATER_MODES, OPTIMIZATION_MODES, Device
from .const import LOGGER, MAX_INTEGRATION_GAP
from .coordinator import OSOEnergyConfigEntry, OSOEnergyCoordinator
from .entity import OSOEnergyEntity, async_add_device_entities, described

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class OSOEnergySensorEntityDescription(SensorEntityDescription):
    """Describe an OSO Energy sensor."""

    value_fn: Callable[[Device], StateType]
    exists_fn: Callable[[Device], bool] = lambda _: True


def _volume(
    key: str,
    value_fn: Callable[[Device], StateType],
    *,
    diagnostic: bool = False,
) -> OSOEnergySensorEntityDescription:
    """Describe a sensor of litres of water (a measurement, or a fixed diagnostic)."""
    return OSOEnergySensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.VOLUME_STORAGE,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        state_class=None if diagnostic else SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        value_fn=value_fn,
    )


def _temperature(
    key: str, field: str, value_fn: Callable[[Device], StateType]
) -> OSOEnergySensorEntityDescription:
    """Describe a tank temperature; it exists when the payload carries the field."""
    return OSOEnergySensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=value_fn,
        exists_fn=lambda device: device.has_field("control", field),
    )


DESCRIPTIONS: tuple[OSOEnergySensorEntityDescription, ...] = (
    OSOEnergySensorEntityDescription(
        key="heater_mode",
        translation_key="heater_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(HEATER_MODES),
        value_fn=lambda device: device.heater_mode,
    ),
    OSOEnergySensorEntityDescription(
        key="optimization_mode",
        translation_key="optimization_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(OPTIMIZATION_MODES),
        value_fn=lambda device: device.optimization_mode,
    ),
    OSOEnergySensorEntityDescription(
        key="power_load",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda device: device.power_load,
    ),
    OSOEnergySensorEntityDescription(
        key="tapping_capacity",
        translation_key="tapping_capacity",
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda device: device.tapping_capacity,
    ),
    _volume("capacity_mixed_water_40", lambda device: device.capacity_mixed_water_40),
    _volume("v40_min", lambda device: device.v40_min),
    _volume("v40_level_min", lambda device: device.v40_level_min, diagnostic=True),
    _volume("v40_level_max", lambda device: device.v40_level_max, diagnostic=True),
    _volume("volume", lambda device: device.volume, diagnostic=True),
    _temperature(
        "temperature_top", "currentTemperatureTop", lambda dev: dev.temperature_top
    ),
    _temperature(
        "temperature_mid", "currentTemperatureMid", lambda dev: dev.temperature_mid
    ),
    _temperature(
        "temperature_low", "currentTemperatureLow", lambda dev: dev.temperature_low
    ),
    _temperature(
        "temperature_one", "currentTemperatureOne", lambda dev: dev.temperature_one
    ),
)

ENERGY_DESCRIPTION = SensorEntityDescription(
    key="energy_consumed",
    translation_key="energy_consumed",
    device_class=SensorDeviceClass.ENERGY,
    native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
    state_class=SensorStateClass.TOTAL_INCREASING,
    suggested_display_precision=2,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up the sensors of every heater, now and when heaters appear."""
    sensors = described(
        OSOEnergySensor,
        DESCRIPTIONS,
        lambda description, device: description.exists_fn(device),
    )

    def create(coordinator: OSOEnergyCoordinator, device: Device) -> list[Entity]:
        energy = OSOEnergyEnergySensor(coordinator, device.device_id)
        return [*sensors(coordinator, device), energy]

    async_add_device_entities(entry, async_add_entities, create)


class OSOEnergySensor(OSOEnergyEntity, SensorEntity):
    """A sensor showing one value of a heater."""

    entity_description: OSOEnergySensorEntityDescription

    def __init__(
        self,
        coordinator: OSOEnergyCoordinator,
        device_id: str,
        description: OSOEnergySensorEntityDescription,
    ) -> None:
        """Create the sensor."""
        super().__init__(coordinator, device_id, description)
        self._unknown_values: set[str] = set()

    @property
    @override
    def native_value(self) -> StateType:
        """The value; an enum value this integration does not know becomes None."""
        value = self.entity_description.value_fn(self.device)
        options = self.entity_description.options
        if options is None or value in options:
            return value
        if str(value) not in self._unknown_values:
            self._unknown_values.add(str(value))
            LOGGER.warning(
                "%s reported the unknown value %r; please report it to the integration",
                self.entity_id,
                value,
            )
        return None


class OSOEnergyEnergySensor(OSOEnergyEntity, RestoreSensor):
    """Energy used by a heater, integrated from its power (trapezoid rule).

    Each coordinator update adds the mean of the previous and the current power times
    the time between them. Intervals longer than MAX_INTEGRATION_GAP, or with a
    reading missing or the heater offline, are skipped rather than guessed.
    """

    def __init__(self, coordinator: OSOEnergyCoordinator, device_id: str) -> None:
        """Create the sensor with a total of zero (replaced by the restored one)."""
        super().__init__(coordinator, device_id, ENERGY_DESCRIPTION)
        self._total = 0.0
        self._last: tuple[datetime, float] | None = None

    @property
    @override
    def native_value(self) -> float:
        """The energy used so far, in kWh."""
        return self._total

    @override
    async def async_added_to_hass(self) -> None:
        """Restore the total and take the first power reading."""
        await super().async_added_to_hass()
        restored = await self.async_get_last_sensor_data()
        value = restored.native_value if restored is not None else None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        ):
            self._total = float(value)
        self._last = self._reading()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Add the energy since the previous update, then write the state."""
        now = dt_util.utcnow()
        reading = self._reading(now)
        previous, self._last = self._last, reading
        if previous is not None and reading is not None:
            elapsed = now - previous[0]
            if timedelta(0) < elapsed <= MAX_INTEGRATION_GAP:
                mean_kw = (previous[1] + reading[1]) / 2
                self._total += max(mean_kw, 0.0) * elapsed.total_seconds() / 3600
        super()._handle_coordinator_update()

    def _reading(self, now: datetime | None = None) -> tuple[datetime, float] | None:
        """Return the current power with its time; None without a valid reading."""
        device = self.coordinator.data.get(self.device_id)
        if (
            not self.coordinator.last_update_success
            or device is None
            or not device.connected
            or device.power_load is None
        ):
            return None
        return (now or dt_util.utcnow(), device.power_load)
