"""Heat-pump sensors and the weather-compensation binary sensor.

Unique ids are the community ones: `{H}` = `octopus_energy_heat_pump_{EUID}`,
`{H}_{SENSOR}_temperature|humidity|battery` per room sensor (humidity and battery
for Zigbee sensors only), `{H}_lifetime_*`, `{H}_live_*`, the flow-temperature
configuration and `{H}_weather_compensation_enabled`. The pump is the device
`heat_pump_{serial}`; each room sensor its own device `heat_pump_sensor_{serial}_
{SENSOR}` (via the pump).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    DOMAIN as SENSOR_DOMAIN,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from ...api import HeatPump, SensorConfiguration, SensorStatus
from ...const import DOMAIN
from ...entity import OctopusEnergyEntity
from .coordinator import HeatPumpCoordinator
from .model import battery_percentage, celsius, is_zigbee, kilo, room_sensors


def unique_id_prefix(euid: str) -> str:
    """`octopus_energy_heat_pump_{EUID}` (the EUID exactly as the API gives it)."""
    return f"octopus_energy_heat_pump_{euid}"


def _serial(coordinator: HeatPumpCoordinator) -> str:
    data: HeatPump | None = coordinator.data
    serial = data.configuration.serial_number if data is not None else None
    return serial or coordinator.euid


def heat_pump_device_info(coordinator: HeatPumpCoordinator) -> DeviceInfo:
    """The pump: `heat_pump_{serial}`, "Heat Pump ({serial})"."""
    serial = _serial(coordinator)
    data: HeatPump | None = coordinator.data
    config = data.configuration if data else None
    model = config.model if config else None
    return DeviceInfo(
        identifiers={(DOMAIN, f"heat_pump_{serial}")},
        name=f"Heat Pump ({serial})",
        manufacturer="Octopus" if model and "cosy" in model.lower() else None,
        model=model,
        hw_version=config.hardware_version if config else None,
        serial_number=serial,
    )


def sensor_device_info(
    coordinator: HeatPumpCoordinator, sensor: SensorConfiguration
) -> DeviceInfo:
    """A room sensor: `heat_pump_sensor_{serial}_{SENSOR}`."""
    serial = _serial(coordinator)
    info: dict[str, Any] = {
        "identifiers": {(DOMAIN, f"heat_pump_sensor_{serial}_{sensor.code}")},
        "name": f"Heat Pump Sensor ({sensor.code})",
        "sw_version": sensor.firmware_version,
        "hw_version": sensor.type,
        # HA 2026 deprecates `via_device` (until 2027.8) for `via_device_id`
        "via_device": (DOMAIN, f"heat_pump_{serial}"),
    }
    return cast("DeviceInfo", info)


@dataclass(frozen=True, kw_only=True)
class HeatPumpSensorDescription(SensorEntityDescription):
    """A value of the whole pump; `key` is the unique-id suffix."""

    value_fn: Callable[[HeatPump], float | None]
    attrs_fn: Callable[[HeatPump], dict[str, Any]] = lambda _: {}


@dataclass(frozen=True, kw_only=True)
class RoomSensorDescription(SensorEntityDescription):
    """A value of one room sensor; `key` is the suffix after the sensor code."""

    value_fn: Callable[[SensorStatus], float | None]
    zigbee_only: bool = False


def _live_cop(heat_pump: HeatPump) -> float | None:
    live = heat_pump.live
    if live is None:
        return None
    if kilo(live.energy_or_power_input) == 0:
        return 0.0
    return live.coefficient_of_performance


def _read_at(heat_pump: HeatPump) -> dict[str, Any]:
    read_at = heat_pump.live.read_at if heat_pump.live else None
    return {"read_at": read_at.isoformat() if read_at else None}


def _temperature(
    key: str, value_fn: Callable[[HeatPump], float | None], **kwargs: Any
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        value_fn=value_fn,
        **kwargs,
    )


def _lifetime_energy(
    key: str, value_fn: Callable[[HeatPump], float | None]
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=1,
        value_fn=value_fn,
    )


def _live_power(
    key: str, value_fn: Callable[[HeatPump], float | None]
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=2,
        value_fn=value_fn,
    )


def _config(heat_pump: HeatPump) -> Any:
    return heat_pump.configuration


PUMP_SENSORS: tuple[HeatPumpSensorDescription, ...] = (
    HeatPumpSensorDescription(
        key="lifetime_scop",
        translation_key="lifetime_scop",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda hp: (
            hp.lifetime.coefficient_of_performance if hp.lifetime else None
        ),
    ),
    _lifetime_energy(
        "lifetime_energy_input",
        lambda hp: kilo(hp.lifetime.energy_or_power_input) if hp.lifetime else None,
    ),
    _lifetime_energy(
        "lifetime_heat_output",
        lambda hp: kilo(hp.lifetime.heat_output) if hp.lifetime else None,
    ),
    HeatPumpSensorDescription(
        key="live_cop",
        translation_key="live_cop",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=_live_cop,
        attrs_fn=_read_at,
    ),
    _live_power(
        "live_power_input",
        lambda hp: kilo(hp.live.energy_or_power_input) if hp.live else None,
    ),
    _live_power(
        "live_heat_output", lambda hp: kilo(hp.live.heat_output) if hp.live else None
    ),
    _temperature(
        "live_outdoor_temperature",
        lambda hp: celsius(hp.live.outdoor_temperature) if hp.live else None,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    _temperature(
        "fixed_target_flow_temperature",
        lambda hp: celsius(_config(hp).flow_temperature),
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    _temperature(
        "weather_compensation_minimum_temperature",
        lambda hp: celsius(_config(hp).weather_compensation_min),
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    _temperature(
        "weather_compensation_maximum_temperature",
        lambda hp: celsius(_config(hp).weather_compensation_max),
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
)
"""Sensors of the whole pump; the flow configuration is settings, not readings."""

ROOM_SENSORS: tuple[RoomSensorDescription, ...] = (
    RoomSensorDescription(
        key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        value_fn=lambda status: status.temperature_c,
    ),
    RoomSensorDescription(
        key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda status: status.humidity_percentage,
        zigbee_only=True,
    ),
    RoomSensorDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: battery_percentage(status.voltage),
        zigbee_only=True,
    ),
)


class HeatPumpEntity(OctopusEnergyEntity[HeatPumpCoordinator]):
    """An entity of one controller, unique id `{H}{suffix}`."""

    def __init__(
        self,
        coordinator: HeatPumpCoordinator,
        *,
        platform: str,
        suffix: str,
        device_info: DeviceInfo | None = None,
    ) -> None:
        """Attach the entity to the pump (or the given device)."""
        super().__init__(
            coordinator,
            platform=platform,
            unique_id=f"{unique_id_prefix(coordinator.euid)}{suffix}",
            device_info=device_info or heat_pump_device_info(coordinator),
        )

    @property
    def heat_pump(self) -> HeatPump:
        """The controller's data (entities exist only once it has some)."""
        data = self.coordinator.data
        assert data is not None  # noqa: S101  (entities are created with data)
        return data


class HeatPumpSensor(HeatPumpEntity, SensorEntity):
    """One value of the whole pump."""

    entity_description: HeatPumpSensorDescription

    def __init__(
        self, coordinator: HeatPumpCoordinator, description: HeatPumpSensorDescription
    ) -> None:
        """Create the sensor on the pump's device."""
        super().__init__(
            coordinator, platform=SENSOR_DOMAIN, suffix=f"_{description.key}"
        )
        self.entity_description = description

    @property
    def native_value(self) -> float | None:
        """The described value."""
        return self.entity_description.value_fn(self.heat_pump)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Small extras (`read_at` of the live COP)."""
        return self.entity_description.attrs_fn(self.heat_pump)


class RoomSensor(HeatPumpEntity, SensorEntity):
    """Temperature, humidity or battery of one room sensor."""

    entity_description: RoomSensorDescription

    def __init__(
        self,
        coordinator: HeatPumpCoordinator,
        sensor: SensorConfiguration,
        description: RoomSensorDescription,
    ) -> None:
        """Create the sensor on the room sensor's device."""
        super().__init__(
            coordinator,
            platform=SENSOR_DOMAIN,
            suffix=f"_{sensor.code}_{description.key}",
            device_info=sensor_device_info(coordinator, sensor),
        )
        self.entity_description = description
        self.code = sensor.code

    @property
    def _status(self) -> SensorStatus | None:
        return next((s for s in self.heat_pump.sensors if s.code == self.code), None)

    @property
    def available(self) -> bool:
        """Unavailable while the sensor is offline or not reported."""
        if not super().available:
            return False
        status = self._status
        return status is not None and status.online is not False

    @property
    def native_value(self) -> float | None:
        """The sensor's reading."""
        status = self._status
        return None if status is None else self.entity_description.value_fn(status)


class WeatherCompensationSensor(HeatPumpEntity, BinarySensorEntity):
    """On while weather compensation sets the flow temperature."""

    entity_description = BinarySensorEntityDescription(
        key="weather_compensation_enabled",
        translation_key="weather_compensation_enabled",
    )

    def __init__(self, coordinator: HeatPumpCoordinator) -> None:
        """Create the binary sensor on the pump's device."""
        super().__init__(
            coordinator,
            platform=Platform.BINARY_SENSOR,
            suffix="_weather_compensation_enabled",
        )

    @property
    def is_on(self) -> bool | None:
        """Whether weather compensation is enabled."""
        return self.heat_pump.configuration.weather_compensation_enabled


def sensor_entities(coordinator: HeatPumpCoordinator) -> list[Entity]:
    """The pump's and its room sensors' sensors."""
    data: HeatPump | None = coordinator.data
    if data is None:
        return []
    entities: list[Entity] = [
        HeatPumpSensor(coordinator, description) for description in PUMP_SENSORS
    ]
    for sensor in room_sensors(data):
        entities += [
            RoomSensor(coordinator, sensor, description)
            for description in ROOM_SENSORS
            if is_zigbee(sensor) or not description.zigbee_only
        ]
    return entities


def binary_sensor_entities(coordinator: HeatPumpCoordinator) -> list[Entity]:
    """The weather-compensation binary sensor."""
    data: HeatPump | None = coordinator.data
    return [] if data is None else [WeatherCompensationSensor(coordinator)]
