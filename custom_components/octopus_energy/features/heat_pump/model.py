"""What the heat-pump entities read from one controller's data (no HA state).

A `HeatPump` (one `get_heat_pump` answer) holds the zones twice: their live
telemetry (`zones`, from the controller status) and their configuration and
current operation (`configuration.zones`). The helpers here combine both, list
the zones and sensors that get entities, and patch the answer after an accepted
command (the optimistic state shown until the confirming refresh).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ...api import (
    HeatPump,
    Quantity,
    SensorConfiguration,
    SensorStatus,
    ZoneConfiguration,
    ZoneStatus,
)
from ...api.graphql import iso_utc

WATER: Final = "WATER"
HEAT: Final = "HEAT"
ZIGBEE: Final = "ZIGBEE"
HEAT_LIMITS: Final = (7.0, 30.0)
OTHER_LIMITS: Final = (40.0, 60.0)
DEFAULT_BOOST_HEAT: Final = 30.0
DEFAULT_BOOST_WATER: Final = 50.0
BATTERY_EMPTY_V: Final = 2.0
BATTERY_FULL_V: Final = 3.0
LIFETIME: Final = "heatPumpLifetimePerformance"
_KILO: Final = {"WATT": 0.001, "WATT_HOURS": 0.001, "WATT_HOUR": 0.001}


@dataclass(frozen=True, kw_only=True)
class ZoneView:
    """One zone: configuration, current operation and telemetry together."""

    config: ZoneConfiguration
    status: ZoneStatus | None

    @property
    def code(self) -> str:
        """The zone code (`ZONE_1`, `WATER`, ...)."""
        return self.config.code

    @property
    def is_water(self) -> bool:
        """Whether this is a hot-water zone."""
        return WATER in (self.config.zone_type, self.config.code)

    @property
    def mode(self) -> str | None:
        """`ON`, `OFF`, `AUTO` or `BOOST` (telemetry first, then the operation)."""
        if self.status is not None and self.status.mode is not None:
            return self.status.mode
        return self.config.mode

    @property
    def setpoint_c(self) -> float | None:
        """The target temperature (°C)."""
        if self.status is not None and self.status.setpoint_c is not None:
            return self.status.setpoint_c
        return self.config.setpoint_c

    @property
    def heating(self) -> bool | None:
        """Whether the zone's relay is switched on."""
        return None if self.status is None else self.status.relay_switched_on


def zone_views(heat_pump: HeatPump) -> list[ZoneView]:
    """Every configured zone, with its telemetry when the status has it."""
    status = {zone.zone: zone for zone in heat_pump.zones}
    return [
        ZoneView(config=config, status=status.get(config.code))
        for config in heat_pump.configuration.zones
    ]


def zone_view(heat_pump: HeatPump, code: str) -> ZoneView | None:
    """One zone by code, or None when the controller no longer has it."""
    return next((z for z in zone_views(heat_pump) if z.code == code), None)


def heating_zones(heat_pump: HeatPump) -> list[str]:
    """The codes of the enabled zones that get a climate entity (not water)."""
    return [
        z.code for z in zone_views(heat_pump) if z.config.enabled and not z.is_water
    ]


def water_zones(heat_pump: HeatPump) -> list[str]:
    """The codes of the enabled hot-water zones (a water heater each)."""
    return [z.code for z in zone_views(heat_pump) if z.config.enabled and z.is_water]


def zone_limits(heat_pump: HeatPump, zone: ZoneView) -> tuple[float, float]:
    """Setpoint limits: 7-30 °C for heating zones, the pump's water range else."""
    if zone.config.zone_type == HEAT:
        return HEAT_LIMITS
    if zone.is_water:
        config = heat_pump.configuration
        return (
            config.min_water_setpoint_c or OTHER_LIMITS[0],
            config.max_water_setpoint_c or OTHER_LIMITS[1],
        )
    return OTHER_LIMITS


def default_boost_c(zone: ZoneView) -> float:
    """A boost's target when neither the call nor the zone gives one."""
    return DEFAULT_BOOST_WATER if zone.is_water else DEFAULT_BOOST_HEAT


def room_sensors(heat_pump: HeatPump) -> list[SensorConfiguration]:
    """Every enabled sensor of an enabled zone, once (zone order)."""
    found: dict[str, SensorConfiguration] = {}
    for zone in heat_pump.configuration.zones:
        if not zone.enabled:
            continue
        for sensor in zone.sensors:
            if sensor.enabled is not False:
                found.setdefault(sensor.code, sensor)
    return list(found.values())


def sensor_status(heat_pump: HeatPump, code: str | None) -> SensorStatus | None:
    """The telemetry of a sensor, or None."""
    return next((s for s in heat_pump.sensors if s.code == code), None)


def is_zigbee(sensor: SensorConfiguration) -> bool:
    """Zigbee room sensors also report humidity and battery voltage."""
    return sensor.type == ZIGBEE


def battery_percentage(voltage: float | None) -> float | None:
    """Linear from 2.0 V (0 %) to 3.0 V (100 %), clamped."""
    if voltage is None:
        return None
    share = (voltage - BATTERY_EMPTY_V) / (BATTERY_FULL_V - BATTERY_EMPTY_V)
    return round(min(max(share, 0.0), 1.0) * 100, 1)


def kilo(quantity: Quantity | None) -> float | None:
    """A power in kW or an energy in kWh (W and Wh are converted)."""
    if quantity is None or quantity.value is None:
        return None
    return round(quantity.value * _KILO.get(quantity.unit or "", 1.0), 3)


def celsius(quantity: Quantity | None) -> float | None:
    """A temperature's value (the API gives °C)."""
    return None if quantity is None else quantity.value


def with_lifetime_of(new: HeatPump, old: HeatPump) -> HeatPump:
    """`new` (asked without lifetime figures) with the lifetime figures of `old`."""
    return HeatPump.from_dict({**new.raw, LIFETIME: old.raw.get(LIFETIME)})


def with_zone_operation(
    heat_pump: HeatPump,
    zone: str,
    mode: str,
    setpoint_c: float | None,
    end: datetime | None,
) -> HeatPump:
    """The data as it is once a zone-mode command is applied."""
    raw = copy.deepcopy(heat_pump.raw)
    for item in _dicts(_dict(raw, "heatPumpControllerStatus").get("zones")):
        if item.get("zone") == zone:
            telemetry = _dict(item, "telemetry")
            telemetry["mode"] = mode
            if setpoint_c is not None:
                telemetry["setpointInCelsius"] = setpoint_c
    for item in _dicts(_dict(raw, "heatPumpControllerConfiguration").get("zones")):
        configuration = _dict(item, "configuration")
        if configuration.get("code") == zone:
            operation = _dict(configuration, "currentOperation")
            operation["mode"] = mode
            operation["end"] = iso_utc(end) if end is not None else None
            if setpoint_c is not None:
                operation["setpointInCelsius"] = setpoint_c
    return HeatPump.from_dict(raw)


def with_flow_configuration(
    heat_pump: HeatPump,
    *,
    weather_compensation: bool,
    flow_temperature_c: float,
    minimum_c: float,
    maximum_c: float,
) -> HeatPump:
    """The data as it is once a flow-temperature command is applied."""
    raw = copy.deepcopy(heat_pump.raw)
    pump = _dict(_dict(raw, "heatPumpControllerConfiguration"), "heatPump")
    flow = _dict(pump, "heatingFlowTemperature")
    flow["currentTemperature"] = _celsius(flow_temperature_c)
    compensation = _dict(pump, "weatherCompensation")
    compensation["enabled"] = weather_compensation
    compensation["currentRange"] = {
        "minimum": _celsius(minimum_c),
        "maximum": _celsius(maximum_c),
    }
    return HeatPump.from_dict(raw)


def _celsius(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "DEGREES_CELSIUS"}


def _dict(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """The object at `key`, created when missing or null."""
    value = parent.get(key)
    if not isinstance(value, dict):
        value = parent[key] = {}
    return value


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if value else []
