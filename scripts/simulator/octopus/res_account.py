"""Resolvers of the account, its meters and Home Mini telemetry (main host)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import auth_error, kraken_error
from .state import (
    FUELS,
    TariffCode,
    agreement_window,
    export_point,
    find_by_device,
    is_active,
    meter_points,
    meter_since,
)
from .tokens import Info, require_account, require_user
from .values import VAT, energy_wh, power_w, region_factor, register_wh

Resolver = Callable[..., Any]
GROUPING_SECONDS = {
    "TEN_SECONDS": 10,
    "ONE_MINUTE": 60,
    "FIVE_MINUTES": 300,
    "THIRTY_MINUTES": 1800,
    "HALF_HOURLY": 1800,
    "ONE_HOUR": 3600,
}
MAX_NODES = 10_000
POINT_KEY = {"electricity": "mpan", "gas": "mprn"}


def _tariff(state: dict[str, Any], code: str) -> dict[str, Any]:
    parsed = TariffCode.parse(code)
    product = state["products"].get(parsed.product, {}) if parsed else {}
    plan = product.get(parsed.fuel, {}).get(parsed.register, {}) if parsed else {}
    charges = plan.get("standing_charge") or [{"value": 0}]
    factor = region_factor(parsed.region) if parsed else 1
    if parsed and parsed.fuel == "electricity":
        kinds = {"agile": "HalfHourlyTariff"}
        typename = kinds.get(plan.get("pricing", ""), "StandardTariff")
        if parsed.register == "dual":
            typename = "DayNightTariff"
    else:
        typename = "GasTariffType"
    charge = charges[-1]["value"] * factor
    return {
        "__typename": typename,
        "id": code,
        "productCode": parsed.product if parsed else None,
        "tariffCode": code,
        "displayName": product.get("display_name"),
        "fullName": product.get("full_name"),
        "description": product.get("description"),
        "standingCharge": round(charge, 4),
        "preVatStandingCharge": round(charge / VAT, 4),
    }


def _agreement(
    state: dict[str, Any], agreement: dict[str, Any], index: int
) -> dict[str, Any]:
    start, end = agreement_window(agreement)
    return {
        "id": index,
        "validFrom": start,
        "validTo": end,
        "tariff": _tariff(state, agreement["tariff"]),
    }


def _smart(point: dict[str, Any], fuel: str) -> dict[str, Any]:
    device = dict(point["smart_device"], id=point["smart_device"]["deviceId"])
    if fuel == "gas":
        return {"smartGasMeter": device}
    export = point["direction"] == "EXPORT"
    return {
        "smartImportElectricityMeter": None if export else device,
        "smartExportElectricityMeter": device if export else None,
    }


def _meter(point: dict[str, Any], fuel: str) -> dict[str, Any]:
    common = {
        "id": f"{point[POINT_KEY[fuel]]}/{point['serial']}",
        "serialNumber": point["serial"],
        "activeFrom": meter_since(point).date(),
        "activeTo": None,
        **_smart(point, fuel),
    }
    if fuel == "gas":
        return {
            **common,
            "consumptionUnits": point.get("consumption_units"),
            "modelName": point.get("model_name"),
            "mechanism": point.get("mechanism"),
        }
    return {
        **common,
        "makeAndType": point.get("make_and_type"),
        "meterType": point.get("meter_type"),
    }


def _meter_point(
    state: dict[str, Any], point: dict[str, Any], fuel: str, now: datetime
) -> dict[str, Any]:
    agreements = [_agreement(state, a, i) for i, a in enumerate(point["agreements"], 1)]
    active = [
        a
        for a, raw in zip(agreements, point["agreements"], strict=True)
        if is_active(raw, now)
    ]
    meter_point: dict[str, Any] = {
        "id": point[POINT_KEY[fuel]],
        POINT_KEY[fuel]: point[POINT_KEY[fuel]],
        "meters": lambda _info, **_args: [_meter(point, fuel)],
        "agreements": lambda _info, **args: (
            agreements if args.get("includeInactive") else active
        ),
    }
    if fuel == "electricity":
        meter_point["direction"] = point["direction"]
    for agreement in agreements:
        agreement["meterPoint"] = meter_point
    return meter_point


def _agreements(state: dict[str, Any], fuel: str, now: datetime) -> Resolver:
    def resolve(_info: Info, active: bool | None = None) -> list[dict[str, Any]]:
        found = []
        for point in meter_points(state, fuel):
            meter_point = _meter_point(state, point, fuel, now)
            found.extend(meter_point["agreements"](None, includeInactive=not active))
        return found

    return resolve


def account(info: Info, **args: Any) -> dict[str, Any]:
    """`account(accountNumber)`."""
    data = require_account(info, args["accountNumber"])
    state, now = info.context.state, info.context.now
    return {
        "id": data["number"],
        "number": data["number"],
        **{f"{fuel}Agreements": _agreements(state, fuel, now) for fuel in FUELS},
    }


def properties(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`properties(accountNumber)`."""
    data = require_account(info, args["accountNumber"])
    period = {"id": "1", "effectiveFrom": data["occupancy_from"], "effectiveTo": None}
    return [
        {
            "id": data["property_id"],
            "address": "1 Simulator Street",
            "postcode": "SW1A 1AA",
            "occupancyPeriods": [period],
        }
    ]


def octoplus_account_info(info: Info, **args: Any) -> dict[str, Any]:
    """`octoplusAccountInfo(accountNumber)`."""
    data = require_account(info, args["accountNumber"])
    return {"isOctoplusEnrolled": bool(data.get("octoplus", {}).get("enrolled"))}


def _reading(
    state: dict[str, Any], point: dict[str, Any], start: datetime, end: datetime
) -> dict[str, Any]:
    seconds = (end - start).total_seconds()
    delta = energy_wh(point, start, end)
    exporter = (
        export_point(state, point["smart_device"]["deviceId"])
        if "mpan" in point
        else None
    )
    electric = "mpan" in point
    return {
        "readAt": start,
        "consumption": register_wh(point, end, meter_since(point)),
        "consumptionDelta": delta,
        "demand": (delta * 3600 / seconds if seconds else power_w(point, end))
        if electric
        else None,
        "export": register_wh(exporter, end, meter_since(exporter))
        if exporter
        else None,
        "costDelta": None,
        "costDeltaWithTax": None,
    }


def smart_meter_telemetry(info: Info, **args: Any) -> list[dict[str, Any]]:
    """`smartMeterTelemetry(deviceId, start, end, grouping)`: Home Mini readings."""
    require_user(info)
    state, now = info.context.state, info.context.now
    point = find_by_device(state, args["deviceId"])
    if point is None:
        raise auth_error(info.context.host, "forbidden")
    start: datetime | None = args.get("start")
    if start is None:
        latest = now.replace(second=now.second - now.second % 10, microsecond=0)
        return [_reading(state, point, latest, latest)]
    step = timedelta(seconds=GROUPING_SECONDS[args.get("grouping") or "TEN_SECONDS"])
    end = min(args.get("end") or now, now)
    first = datetime.fromtimestamp(
        start.timestamp() // step.total_seconds() * step.total_seconds(), UTC
    )
    count = max(
        0, -(-int((end - first) / timedelta(seconds=1)) // int(step.total_seconds()))
    )
    if count > MAX_NODES:
        raise kraken_error(
            "KT-CT-1189",
            "Too many nodes requested.",
            description="The query requests more than 10,000 nodes.",
        )
    rows = []
    for index in range(count):
        slot = first + index * step
        rows.append(_reading(state, point, slot, min(slot + step, now)))
    return rows


ROOT: dict[str, Resolver] = {
    "account": account,
    "properties": properties,
    "octoplusAccountInfo": octoplus_account_info,
    "smartMeterTelemetry": smart_meter_telemetry,
}
