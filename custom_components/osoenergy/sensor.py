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

from .api import HEATER_MODES, OPTIMIZATION_MODES, Device
from .const import LOGGER, MAX_BRIDGED_GAP, MAX_INTEGRATION_GAP
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


@dataclass(frozen=True, kw_only=True)
class PowerReading:
    """The power of a heater as one successful poll reported it."""

    at: datetime
    power: float
    """kW"""
    stored: float | None
    """The energy stored in the tank (tapping capacity, kWh), if reported."""


def energy_between(
    previous: PowerReading, current: PowerReading, rated_power: float | None
) -> float:
    """The energy (kWh) a heater used between two readings.

    Readings at most MAX_INTEGRATION_GAP apart: the trapezoid rule. A longer gap (a
    cloud outage, a heater missing from the answers or offline) is bridged with an
    estimate rather than dropped: the trapezoid of the readings at both ends, but at
    least the energy the tank gained (only the element heats it) and at most the
    heater's rated power for the whole gap. A gap longer than MAX_BRIDGED_GAP adds
    only the energy the tank gained.
    """
    elapsed = current.at - previous.at
    if elapsed <= timedelta(0):
        return 0.0
    hours = elapsed.total_seconds() / 3600
    trapezoid = max((previous.power + current.power) / 2, 0.0) * hours
    if elapsed <= MAX_INTEGRATION_GAP:
        return trapezoid
    gained = 0.0
    if previous.stored is not None and current.stored is not None:
        gained = max(current.stored - previous.stored, 0.0)
    estimate = gained if elapsed > MAX_BRIDGED_GAP else max(trapezoid, gained)
    if rated_power is not None and rated_power > 0:
        estimate = min(estimate, rated_power * hours)
    return estimate


class OSOEnergyEnergySensor(OSOEnergyEntity, RestoreSensor):
    """Energy used by a heater, integrated from its power (see `energy_between`).

    Each successful poll adds the energy since the previous one that reported the
    heater's power; a failed poll, a missing or offline heater adds nothing until
    the power is reported again, and then the gap is bridged. The total never
    decreases.
    """

    def __init__(self, coordinator: OSOEnergyCoordinator, device_id: str) -> None:
        """Create the sensor with a total of zero (replaced by the restored one)."""
        super().__init__(coordinator, device_id, ENERGY_DESCRIPTION)
        self._total = 0.0
        self._last: PowerReading | None = None

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
        """Add the energy since the previous reading, then write the state."""
        reading = self._reading()
        if reading is not None and (self._last is None or reading.at > self._last.at):
            if self._last is not None:
                self._total += energy_between(
                    self._last, reading, self.device.rated_power
                )
            self._last = reading
        super()._handle_coordinator_update()

    def _reading(self) -> PowerReading | None:
        """The power of the latest successful poll; None without a valid reading."""
        coordinator = self.coordinator
        at = coordinator.last_success_time
        if (
            not coordinator.last_update_success
            or at is None
            or not coordinator.present(self.device_id)
        ):
            return None
        device = self.device
        if not device.connected or device.power_load is None:
            return None
        return PowerReading(
            at=at, power=device.power_load, stored=device.tapping_capacity
        )
