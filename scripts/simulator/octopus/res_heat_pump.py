"""Mutations of the heat pump (backend host): zone mode, flow temperature, hush mode."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .errors import invalid_data
from .hp_queries import (
    HEAT_ZONE_LIMITS,
    controller_configuration,
    controller_status,
    heat_pump_of,
    lifetime_performance,
    live_performance,
)
from .state import next_transaction_id
from .tokens import Info, require_account


def _setpoint_limits(heat_pump: dict[str, Any], zone: str) -> tuple[float, float]:
    if zone == "WATER":
        return heat_pump["minWaterSetpoint"], heat_pump["maxWaterSetpoint"]
    return HEAT_ZONE_LIMITS


def set_zone_mode(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpSetZoneMode(accountNumber, euid, operationParameters)`."""
    heat_pump, now, host = heat_pump_of(info, args), info.context.now, info.context.host
    params = args["operationParameters"]
    zone = next((z for z in heat_pump["zones"] if z["code"] == params["zone"]), None)
    if zone is None:
        raise invalid_data(host, f"Zone {params['zone']} does not exist.")
    setpoint = params.get("setpointInCelsius")
    low, high = _setpoint_limits(heat_pump, zone["code"])
    if setpoint is not None and not low <= setpoint <= high:
        raise invalid_data(host, f"Setpoint must be between {low} and {high}.")
    end = params.get("endAt")
    if params["mode"] == "BOOST":
        if end is None or end <= now:
            raise invalid_data(host, "A boost needs an endAt in the future.")
        if zone["mode"] != "BOOST":
            zone["mode_before_boost"] = zone["mode"]
        zone["boost_end"] = end.isoformat()
    else:
        zone["boost_end"] = None
    zone["mode"] = params["mode"]
    if setpoint is not None:
        zone["setpoint"] = setpoint
    return {"transactionId": next_transaction_id(info.context.state)}


def _celsius(value: dict[str, Any]) -> float:
    return float(Decimal(value["value"]))


def update_flow_temperature(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpUpdateFlowTemperatureConfiguration`: fixed or weather-compensated."""
    heat_pump, host = heat_pump_of(info, args), info.context.host
    data, flow = args["flowTemperatureInput"], heat_pump["flow"]
    changed = ["weatherCompensation"]
    if data["useWeatherCompensation"]:
        values = data.get("weatherCompensationValues")
        if values is None:
            raise invalid_data(host, "weatherCompensationValues are required.")
        low, high = _celsius(values["minimum"]), _celsius(values["maximum"])
        ok_low = flow["wc_allowable_min"][0] <= low <= flow["wc_allowable_min"][1]
        ok_high = flow["wc_allowable_max"][0] <= high <= flow["wc_allowable_max"][1]
        if not (ok_low and ok_high and low <= high):
            raise invalid_data(host, "Weather compensation range out of bounds.")
        flow["wc_range"] = [low, high]
        changed.append("weatherCompensationValues")
    else:
        fixed = data.get("flowTemperature")
        if fixed is None:
            raise invalid_data(host, "flowTemperature is required.")
        value = _celsius(fixed)
        if not flow["allowable"][0] <= value <= flow["allowable"][1]:
            raise invalid_data(host, "Flow temperature out of bounds.")
        flow["flow_temperature"] = value
        changed.append("flowTemperature")
    flow["weather_compensation"] = data["useWeatherCompensation"]
    state = info.context.state
    return {
        "transactionIds": [
            {"attributeName": name, "transactionId": next_transaction_id(state)}
            for name in changed
        ]
    }


def set_hush_mode(info: Info, **args: Any) -> dict[str, Any]:
    """`heatPumpSetHushMode(accountNumber, euid, hushModeEnabled)`."""
    require_account(info, args["accountNumber"])
    heat_pump = heat_pump_of(info, args)
    heat_pump["hush_mode"] = args["hushModeEnabled"]
    return {"transactionId": next_transaction_id(info.context.state)}


def controllers_at_location(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`heatPumpControllersAtLocation(accountNumber, propertyId)`."""
    account = require_account(info, args["accountNumber"])
    if args["propertyId"] != account["property_id"]:
        return []
    return [
        {
            "controller": {"euid": hp["euid"]},
            "heatPumpModel": hp["model"],
            "location": {"propertyId": account["property_id"]},
            "provisionedAt": hp["provisionedAt"],
        }
        for hp in account.get("heat_pumps", [])
    ]


ROOT: dict[str, Callable[..., Any]] = {
    "heatPumpControllersAtLocation": controllers_at_location,
    "heatPumpControllerStatus": controller_status,
    "heatPumpControllerConfiguration": controller_configuration,
    "heatPumpLivePerformance": live_performance,
    "heatPumpLifetimePerformance": lifetime_performance,
    "heatPumpSetZoneMode": set_zone_mode,
    "heatPumpUpdateFlowTemperatureConfiguration": update_flow_temperature,
    "heatPumpSetHushMode": set_hush_mode,
}
