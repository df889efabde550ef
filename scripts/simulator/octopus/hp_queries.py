"""Resolvers of the heat pump (backend host): status, configuration, performance."""

from __future__ import annotations

from datetime import datetime
import math
from typing import Any

from .errors import invalid_data
from .state import find_heat_pump
from .timeutil import parse_datetime
from .tokens import Info, require_account
from .values import DAY, outdoor_temperature, unit_hash

HEAT_ZONE_LIMITS = (7.0, 30.0)
CELSIUS = "DEGREES_CELSIUS"
LIFETIME_KW = 0.9
SCOP = 3.4


def heat_pump_of(info: Info, args: dict[str, Any]) -> dict[str, Any]:
    """The heat pump of `euid`, after checking the token may see the account."""
    require_account(info, args["accountNumber"])
    heat_pump = find_heat_pump(info.context.state, args["euid"])
    if heat_pump is None:
        raise invalid_data(info.context.host, "Unknown heat pump controller.")
    return heat_pump


def _sensor_temperature(sensor: dict[str, Any], now: datetime) -> float:
    phase = unit_hash("sensor", sensor["code"]) * 2 * math.pi
    wave = math.sin(2 * math.pi * now.timestamp() / DAY + phase)
    return round(float(sensor["base_c"]) + float(sensor["swing_c"]) * wave, 1)


def _mode(zone: dict[str, Any], now: datetime) -> str:
    end = zone.get("boost_end")
    if zone["mode"] == "BOOST" and end and parse_datetime(end) <= now:
        return str(zone.get("mode_before_boost", "AUTO"))
    return str(zone["mode"])


def _demand(heat_pump: dict[str, Any], zone: dict[str, Any], now: datetime) -> bool:
    mode = _mode(zone, now)
    if mode == "OFF" or zone.get("setpoint") is None:
        return mode in ("ON", "BOOST")
    sensors = {s["code"]: s for s in heat_pump["sensors"]}
    primary = sensors.get(zone.get("primarySensor") or "")
    temperature = _sensor_temperature(primary, now) if primary else zone["setpoint"]
    return mode in ("ON", "BOOST") or temperature < zone["setpoint"]


def _sensor_status(sensor: dict[str, Any], now: datetime) -> dict[str, Any]:
    zigbee = sensor["kind"] == "ZIGBEE"
    return {
        "code": sensor["code"],
        "connectivity": {"online": True, "retrievedAt": now},
        "telemetry": {
            "temperatureInCelsius": _sensor_temperature(sensor, now),
            "humidityPercentage": sensor.get("humidity") if zigbee else None,
            "rssi": -60 if zigbee else None,
            "voltage": 3.0 if zigbee else None,
            "retrievedAt": now,
        },
    }


def controller_status(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpControllerStatus(accountNumber, euid)`."""
    heat_pump, now = heat_pump_of(info, args), info.context.now
    zones = []
    for zone in heat_pump["zones"]:
        demand = _demand(heat_pump, zone, now)
        zones.append(
            {
                "zone": zone["code"],
                "telemetry": {
                    "setpointInCelsius": zone.get("setpoint"),
                    "mode": _mode(zone, now),
                    "relaySwitchedOn": demand,
                    "heatDemand": demand,
                    "retrievedAt": now,
                },
            }
        )
    return {
        "sensors": [_sensor_status(s, now) for s in heat_pump["sensors"]],
        "zones": zones,
    }


def _temperature(value: float) -> dict[str, Any]:
    return {"value": value, "unit": CELSIUS}


def _range(bounds: list[float]) -> dict[str, Any]:
    return {"minimum": _temperature(bounds[0]), "maximum": _temperature(bounds[1])}


def _sensor_config(sensor: dict[str, Any]) -> dict[str, Any]:
    common = {
        "code": sensor["code"],
        "displayName": sensor["displayName"],
        "type": sensor["type"],
        "enabled": True,
    }
    if sensor["kind"] == "ZIGBEE":
        return {
            **common,
            "__typename": "ZigbeeSensorConfiguration",
            "firmwareVersion": sensor.get("firmwareVersion"),
            "boostEnabled": True,
        }
    return {**common, "__typename": "ADCSensorConfiguration"}


def _zone_config(
    heat_pump: dict[str, Any], zone: dict[str, Any], now: datetime
) -> dict[str, Any]:
    mode, demand = _mode(zone, now), _demand(heat_pump, zone, now)
    sensors = {s["code"]: s for s in heat_pump["sensors"]}
    return {
        "code": zone["code"],
        "zoneType": zone["zoneType"],
        "enabled": zone.get("enabled", True),
        "displayName": zone["displayName"],
        "primarySensor": zone.get("primarySensor"),
        "currentOperation": {
            "mode": mode,
            "setpointInCelsius": zone.get("setpoint"),
            "action": "ON" if demand else "OFF",
            "end": zone.get("boost_end") if mode == "BOOST" else None,
        },
        "callForHeat": demand,
        "heatDemand": demand,
        "emergency": False,
        "sensors": [_sensor_config(sensors[code]) for code in zone["sensors"]],
    }


def controller_configuration(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpControllerConfiguration(accountNumber, euid)`."""
    heat_pump, now = heat_pump_of(info, args), info.context.now
    flow = heat_pump["flow"]
    heating = any(_demand(heat_pump, zone, now) for zone in heat_pump["zones"])
    states = ["HEATING" if heating else "IDLE"] + (
        ["QUIET"] if heat_pump["hush_mode"] else []
    )
    return {
        "controller": {
            "state": states,
            "heatPumpTimezone": heat_pump["heatPumpTimezone"],
            "connected": True,
            "firmwareConfiguration": {
                "esp32": "1.2.0",
                "efr32": "2.0.1",
                "eui": heat_pump["euid"],
            },
            "lastReset": None,
        },
        "heatPump": {
            "serialNumber": heat_pump["serialNumber"],
            "model": heat_pump["model"],
            "hardwareVersion": heat_pump["hardwareVersion"],
            "faultCodes": [],
            "maxWaterSetpoint": heat_pump["maxWaterSetpoint"],
            "minWaterSetpoint": heat_pump["minWaterSetpoint"],
            "manifoldEnabled": False,
            "hasHeatPumpCompatibleCylinder": True,
            "latestCounterReset": None,
            "quieterModeEnabled": heat_pump["hush_mode"],
            "heatingFlowTemperature": {
                "currentTemperature": _temperature(flow["flow_temperature"]),
                "allowableRange": _range(flow["allowable"]),
            },
            "weatherCompensation": {
                "enabled": flow["weather_compensation"],
                "currentRange": _range(flow["wc_range"]),
                "allowableMinimumTemperatureRange": _range(flow["wc_allowable_min"]),
                "allowableMaximumTemperatureRange": _range(flow["wc_allowable_max"]),
            },
        },
        "zones": [
            {"configuration": _zone_config(heat_pump, z, now)}
            for z in heat_pump["zones"]
        ],
    }


def live_performance(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpLivePerformance(accountNumber, euid)`: moves with the outdoor air."""
    heat_pump_of(info, args)
    now = info.context.now
    outdoor = outdoor_temperature(now)
    cop = min(max(3.2 + 0.08 * outdoor, 2.0), 5.0)
    power = max(0.3, 0.15 * (18 - outdoor))
    return {
        "readAt": now.replace(second=0, microsecond=0),
        "coefficientOfPerformance": round(cop, 2),
        "outdoorTemperature": _temperature(outdoor),
        "powerInput": {"value": round(power, 3), "unit": "KILOWATT"},
        "heatOutput": {"value": round(power * cop, 3), "unit": "KILOWATT"},
    }


def lifetime_performance(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpLifetimePerformance(accountNumber, euid)`."""
    heat_pump, now = heat_pump_of(info, args), info.context.now
    hours = (now - parse_datetime(heat_pump["provisionedAt"])).total_seconds() / 3600
    energy_in = round(max(hours, 0) * LIFETIME_KW, 3)
    return {
        "readAt": now.replace(second=0, microsecond=0),
        "seasonalCoefficientOfPerformance": SCOP,
        "energyInput": {"value": energy_in, "unit": "KILOWATT_HOURS"},
        "heatOutput": {"value": round(energy_in * SCOP, 3), "unit": "KILOWATT_HOURS"},
    }
