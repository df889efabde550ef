"""Models of the heat-pump (Cosy) queries on the backend host.

Quantities keep the unit the API gives (`Quantity.unit`, e.g. `KILOWATT`,
`KILOWATT_HOUR`, `DEGREES_CELSIUS`); temperatures named `..._c` are in °C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._parse import as_bool, as_datetime, as_dict, as_dicts, as_float, as_str


@dataclass(frozen=True, kw_only=True)
class Quantity:
    """A value with its unit."""

    value: float | None
    unit: str | None

    @classmethod
    def from_dict(cls, data: Any) -> Quantity | None:
        """Parse `{value, unit}`; None when absent."""
        if not isinstance(data, dict):
            return None
        return cls(value=as_float(data.get("value")), unit=as_str(data.get("unit")))


def _range(data: Any) -> tuple[Quantity | None, Quantity | None]:
    values = as_dict(data)
    return Quantity.from_dict(values.get("minimum")), Quantity.from_dict(
        values.get("maximum")
    )


@dataclass(frozen=True, kw_only=True)
class SensorStatus:
    """Status and telemetry of one sensor (`code` e.g. `SENSOR01`)."""

    code: str
    online: bool | None
    temperature_c: float | None
    humidity_percentage: float | None
    voltage: float | None
    retrieved_at: datetime | None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SensorStatus | None:
        """Parse one element of `sensors`."""
        code = as_str(data.get("code"))
        if code is None:
            return None
        telemetry = as_dict(data.get("telemetry"))
        return cls(
            code=code,
            online=as_bool(as_dict(data.get("connectivity")).get("online")),
            temperature_c=as_float(telemetry.get("temperatureInCelsius")),
            humidity_percentage=as_float(telemetry.get("humidityPercentage")),
            voltage=as_float(telemetry.get("voltage")),
            retrieved_at=as_datetime(telemetry.get("retrievedAt")),
        )


@dataclass(frozen=True, kw_only=True)
class ZoneStatus:
    """Telemetry of one zone (`WATER`, `ZONE_1`, `ZONE_2`, `AUXILIARY`)."""

    zone: str
    setpoint_c: float | None
    mode: str | None
    relay_switched_on: bool | None
    heat_demand: bool | None
    retrieved_at: datetime | None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ZoneStatus | None:
        """Parse one element of `zones`."""
        zone = as_str(data.get("zone"))
        if zone is None:
            return None
        telemetry = as_dict(data.get("telemetry"))
        return cls(
            zone=zone,
            setpoint_c=as_float(telemetry.get("setpointInCelsius")),
            mode=as_str(telemetry.get("mode")),
            relay_switched_on=as_bool(telemetry.get("relaySwitchedOn")),
            heat_demand=as_bool(telemetry.get("heatDemand")),
            retrieved_at=as_datetime(telemetry.get("retrievedAt")),
        )


@dataclass(frozen=True, kw_only=True)
class SensorConfiguration:
    """Configuration of a sensor attached to a zone (ADC or Zigbee)."""

    code: str
    display_name: str | None
    type: str | None
    enabled: bool | None
    firmware_version: str | None
    boost_enabled: bool | None


@dataclass(frozen=True, kw_only=True)
class ZoneConfiguration:
    """Configuration and current operation of one zone."""

    code: str
    zone_type: str | None
    enabled: bool | None
    display_name: str | None
    primary_sensor: str | None
    mode: str | None
    setpoint_c: float | None
    action: str | None
    operation_end: datetime | None
    call_for_heat: bool | None
    heat_demand: bool | None
    emergency: bool | None
    sensors: list[SensorConfiguration]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ZoneConfiguration | None:
        """Parse `zones[].configuration`."""
        code = as_str(data.get("code"))
        if code is None:
            return None
        operation = as_dict(data.get("currentOperation"))
        return cls(
            code=code,
            zone_type=as_str(data.get("zoneType")),
            enabled=as_bool(data.get("enabled")),
            display_name=as_str(data.get("displayName")),
            primary_sensor=as_str(data.get("primarySensor")),
            mode=as_str(operation.get("mode")),
            setpoint_c=as_float(operation.get("setpointInCelsius")),
            action=as_str(operation.get("action")),
            operation_end=as_datetime(operation.get("end")),
            call_for_heat=as_bool(data.get("callForHeat")),
            heat_demand=as_bool(data.get("heatDemand")),
            emergency=as_bool(data.get("emergency")),
            sensors=[
                SensorConfiguration(
                    code=sensor_code,
                    display_name=as_str(item.get("displayName")),
                    type=as_str(item.get("type")),
                    enabled=as_bool(item.get("enabled")),
                    firmware_version=as_str(item.get("firmwareVersion")),
                    boost_enabled=as_bool(item.get("boostEnabled")),
                )
                for item in as_dicts(data.get("sensors"))
                if (sensor_code := as_str(item.get("code")))
            ],
        )


@dataclass(frozen=True, kw_only=True)
class HeatPumpConfiguration:
    """Controller and heat-pump configuration (flow temperatures in °C)."""

    controller_state: list[str]
    timezone: str | None
    connected: bool | None
    serial_number: str | None
    model: str | None
    hardware_version: str | None
    max_water_setpoint_c: float | None
    min_water_setpoint_c: float | None
    flow_temperature: Quantity | None
    flow_temperature_min: Quantity | None
    flow_temperature_max: Quantity | None
    weather_compensation_enabled: bool | None
    weather_compensation_min: Quantity | None
    weather_compensation_max: Quantity | None
    zones: list[ZoneConfiguration]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HeatPumpConfiguration:
        """Parse `heatPumpControllerConfiguration`."""
        controller = as_dict(data.get("controller"))
        heat_pump = as_dict(data.get("heatPump"))
        flow = as_dict(heat_pump.get("heatingFlowTemperature"))
        compensation = as_dict(heat_pump.get("weatherCompensation"))
        flow_min, flow_max = _range(flow.get("allowableRange"))
        wc_min, wc_max = _range(compensation.get("currentRange"))
        state = controller.get("state")
        zones = [
            ZoneConfiguration.from_dict(as_dict(item.get("configuration")))
            for item in as_dicts(data.get("zones"))
        ]
        return cls(
            controller_state=[s for s in state if isinstance(s, str)]
            if isinstance(state, list)
            else [],
            timezone=as_str(controller.get("heatPumpTimezone")),
            connected=as_bool(controller.get("connected")),
            serial_number=as_str(heat_pump.get("serialNumber")),
            model=as_str(heat_pump.get("model")),
            hardware_version=as_str(heat_pump.get("hardwareVersion")),
            max_water_setpoint_c=as_float(heat_pump.get("maxWaterSetpoint")),
            min_water_setpoint_c=as_float(heat_pump.get("minWaterSetpoint")),
            flow_temperature=Quantity.from_dict(flow.get("currentTemperature")),
            flow_temperature_min=flow_min,
            flow_temperature_max=flow_max,
            weather_compensation_enabled=as_bool(compensation.get("enabled")),
            weather_compensation_min=wc_min,
            weather_compensation_max=wc_max,
            zones=[zone for zone in zones if zone is not None],
        )


@dataclass(frozen=True, kw_only=True)
class HeatPumpPerformance:
    """Live (`cop`, power input) or lifetime (`scop`, energy input) performance."""

    coefficient_of_performance: float | None
    heat_output: Quantity | None
    energy_or_power_input: Quantity | None
    outdoor_temperature: Quantity | None
    read_at: datetime | None

    @classmethod
    def from_dict(cls, data: Any) -> HeatPumpPerformance | None:
        """Parse live or lifetime performance; None when absent."""
        if not isinstance(data, dict):
            return None
        cop = data.get("coefficientOfPerformance")
        if cop is None:
            cop = data.get("seasonalCoefficientOfPerformance")
        return cls(
            coefficient_of_performance=as_float(cop),
            heat_output=Quantity.from_dict(data.get("heatOutput")),
            energy_or_power_input=Quantity.from_dict(
                data.get("powerInput") or data.get("energyInput")
            ),
            outdoor_temperature=Quantity.from_dict(data.get("outdoorTemperature")),
            read_at=as_datetime(data.get("readAt")),
        )


@dataclass(frozen=True, kw_only=True)
class HeatPump:
    """Everything one heat-pump query returns for a controller (EUID)."""

    sensors: list[SensorStatus]
    zones: list[ZoneStatus]
    configuration: HeatPumpConfiguration
    live: HeatPumpPerformance | None
    lifetime: HeatPumpPerformance | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HeatPump:
        """Parse the combined status, configuration and performance query."""
        status = as_dict(data.get("heatPumpControllerStatus"))
        sensors = [SensorStatus.from_dict(s) for s in as_dicts(status.get("sensors"))]
        zones = [ZoneStatus.from_dict(z) for z in as_dicts(status.get("zones"))]
        return cls(
            sensors=[s for s in sensors if s is not None],
            zones=[z for z in zones if z is not None],
            configuration=HeatPumpConfiguration.from_dict(
                as_dict(data.get("heatPumpControllerConfiguration"))
            ),
            live=HeatPumpPerformance.from_dict(data.get("heatPumpLivePerformance")),
            lifetime=HeatPumpPerformance.from_dict(
                data.get("heatPumpLifetimePerformance")
            ),
            raw=data,
        )


def parse_controller_euids(data: dict[str, Any]) -> list[str]:
    """Parse `heatPumpControllersAtLocation` into controller EUIDs."""
    return [
        euid
        for item in as_dicts(data.get("heatPumpControllersAtLocation"))
        if (euid := as_str(as_dict(item.get("controller")).get("euid")))
    ]
