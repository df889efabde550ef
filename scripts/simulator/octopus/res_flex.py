"""Resolvers of intelligent (smart flex) devices and their dispatches (main host)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .errors import auth_error, kraken_error
from .schedules import Dispatch, completed, planned
from .state import find_device
from .tokens import Info, require_account, require_user

Resolver = Callable[..., Any]
BOOST_LENGTH = timedelta(hours=1)
BOOST_KWH = 7.4
MIN_PERCENTAGE, MAX_PERCENTAGE = 10, 100


def _state_of(device: dict[str, Any], now: datetime) -> str:
    if device.get("suspended"):
        return "SMART_CONTROL_OFF"
    running = [d for d in planned(device, now) if d.start <= now]
    if any(d.kind == "BOOST" for d in running):
        return "BOOSTING"
    return "SMART_CONTROL_IN_PROGRESS" if running else "SMART_CONTROL_CAPABLE"


def _device(
    device: dict[str, Any], account: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "__typename": device["__typename"],
        "id": device["id"],
        "name": device.get("name"),
        "deviceType": device["deviceType"],
        "provider": device["provider"],
        "propertyId": account["property_id"],
        "make": device.get("make"),
        "model": device.get("model"),
        "status": {
            "current": device["status"],
            "currentState": _state_of(device, now),
            "isSuspended": bool(device.get("suspended")),
        },
        "preferences": device.get("preferences"),
    }


def devices(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`devices(accountNumber, deviceId, propertyId)`."""
    account = require_account(info, args["accountNumber"])
    wanted = args.get("deviceId")
    return [
        _device(device, account, info.context.now)
        for device in account.get("devices", [])
        if wanted in (None, device["id"])
    ]


def _owned_device(info: Info, device_id: str) -> dict[str, Any]:
    require_user(info)
    device = find_device(info.context.state, device_id)
    if device is None:
        raise auth_error(info.context.host, "forbidden")
    return device


def _planned_row(dispatch: Dispatch) -> dict[str, Any]:
    return {
        "start": dispatch.start,
        "end": dispatch.end,
        "type": dispatch.kind,
        "energyAddedKwh": dispatch.energy_kwh,
    }


def flex_planned_dispatches(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`flexPlannedDispatches(deviceId)`; KT-CT-4340 when the scenario says so."""
    device = _owned_device(info, args["deviceId"])
    if device.get("planned_dispatches_error"):
        raise kraken_error("KT-CT-4340", "Unable to retrieve planned dispatches.")
    return [_planned_row(d) for d in planned(device, info.context.now)]


def completed_dispatches(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`completedDispatches(accountNumber)` over every device of the account."""
    account = require_account(info, args["accountNumber"])
    rows = []
    for device in account.get("devices", []):
        for dispatch in completed(device, info.context.now):
            source = "bump-charge" if dispatch.kind == "BOOST" else "smart-charge"
            rows.append(
                {
                    "start": dispatch.start,
                    "end": dispatch.end,
                    "delta": -dispatch.energy_kwh,
                    "meta": {"source": source, "location": "AT_HOME"},
                }
            )
    return sorted(rows, key=lambda row: row["start"])


def _catalogue(key: str) -> Resolver:
    def resolve(info: Info, **args: Any) -> list[dict[str, Any]]:
        entries = info.context.state.get("catalogue", {}).get(key, [])
        make = args.get("make")
        return [entry for entry in entries if make in (None, entry["make"])]

    return resolve


def _mutated(info: Info, device: dict[str, Any]) -> dict[str, Any]:
    return _device(device, info.context.state["account"], info.context.now)


def set_device_preferences(info: Info, **args: Any) -> dict[str, Any]:
    """`setDevicePreferences(input)`: replace the charging schedules."""
    data = args["input"]
    device = _owned_device(info, data["deviceId"])
    schedules = []
    for item in data["schedules"]:
        maximum = item["max"]
        if (
            data["unit"] == "PERCENTAGE"
            and not MIN_PERCENTAGE <= maximum <= MAX_PERCENTAGE
        ):
            raise kraken_error(
                "KT-CT-4177",
                "Invalid data.",
                description=f"max must be {MIN_PERCENTAGE}-{MAX_PERCENTAGE}%.",
            )
        minimum = item.get("min")
        schedules.append(
            {
                "dayOfWeek": item["dayOfWeek"],
                "time": item["time"],
                "min": None if minimum is None else str(minimum),
                "max": str(maximum),
                "upperLimit": "100",
            }
        )
    device["preferences"] = {
        **device["preferences"],
        "mode": data["mode"],
        "unit": data["unit"],
        "schedules": schedules,
    }
    return _mutated(info, device)


def _refuse(reason: str) -> Exception:
    return kraken_error(
        "KT-CT-4357", "Unable to boost charge.", boostChargeRefusalReasons=[reason]
    )


def update_boost_charge(info: Info, **args: Any) -> dict[str, Any]:
    """`updateBoostCharge(input: {deviceId, action: BOOST | CANCEL})`."""
    data = args["input"]
    device = _owned_device(info, data["deviceId"])
    now = info.context.now
    active = [
        b
        for b in device.setdefault("boosts", [])
        if datetime.fromisoformat(b["end"]) > now
    ]
    if data["action"] == "CANCEL":
        for boost in active:
            boost["end"] = now.isoformat()
        return _mutated(info, device)
    if device["status"] != "LIVE":
        raise _refuse("BC_DEVICE_NOT_YET_LIVE")
    if device.get("suspended"):
        raise _refuse("BC_DEVICE_SUSPENDED")
    if active:
        raise _refuse("BC_BOOST_CHARGE_IN_PROGRESS")
    device["boosts"].append(
        {
            "start": now.isoformat(),
            "end": (now + BOOST_LENGTH).isoformat(),
            "energy_kwh": BOOST_KWH,
        }
    )
    return _mutated(info, device)


def update_device_smart_control(info: Info, **args: Any) -> dict[str, Any]:
    """`updateDeviceSmartControl(input: {deviceId, action: SUSPEND | UNSUSPEND})`."""
    data = args["input"]
    device = _owned_device(info, data["deviceId"])
    device["suspended"] = data["action"] == "SUSPEND"
    return _mutated(info, device)


ROOT: dict[str, Resolver] = {
    "devices": devices,
    "flexPlannedDispatches": flex_planned_dispatches,
    "completedDispatches": completed_dispatches,
    "electricVehicles": _catalogue("electricVehicles"),
    "chargePointVariants": _catalogue("chargePointVariants"),
    "setDevicePreferences": set_device_preferences,
    "updateBoostCharge": update_boost_charge,
    "updateDeviceSmartControl": update_device_smart_control,
}
