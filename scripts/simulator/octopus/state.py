"""The Octopus scenario as mutable state, and lookups into it.

The state is the scenario's JSON (deep-copied, so a reset restores it) plus a few
run-time keys. It stays JSON-friendly so `/_sim/state` can show it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
import uuid

from .timeutil import parse_datetime

VENDOR = "octopus"
FUELS = ("electricity", "gas")
REGIONS = "ABCDEFGHJKLMNP"
GAS_KWH_PER_M3 = 11.36


def load(scenario: dict[str, Any]) -> dict[str, Any]:
    """Build the run-time state from a scenario file's content."""
    state = copy.deepcopy(scenario)
    state.setdefault("account", {})
    state.setdefault("products", {})
    state["refresh_tokens"] = {}
    state["serial"] = 0
    return state


def next_transaction_id(state: dict[str, Any]) -> str:
    """A fresh, deterministic transaction id."""
    state["serial"] += 1
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"octopus-sim/{state['serial']}"))


@dataclass(frozen=True)
class TariffCode:
    """The parts of a tariff code such as `E-1R-AGILE-24-10-01-C`."""

    fuel: str
    register: str
    product: str
    region: str

    @classmethod
    def parse(cls, code: str) -> TariffCode | None:
        """Split a tariff code; None when it is not one."""
        parts = code.split("-")
        if len(parts) < 4 or parts[0] not in ("E", "G") or len(parts[-1]) != 1:  # noqa: PLR2004
            return None
        fuel = "electricity" if parts[0] == "E" else "gas"
        register = {"1R": "single", "2R": "dual"}.get(parts[1])
        if register is None:
            return None
        return cls(fuel, register, "-".join(parts[2:-1]), parts[-1])

    def code(self) -> str:
        """The tariff code again."""
        prefix = "E" if self.fuel == "electricity" else "G"
        register = "1R" if self.register == "single" else "2R"
        return f"{prefix}-{register}-{self.product}-{self.region}"


def tariff_plan(
    state: dict[str, Any], product_code: str, fuel: str, tariff_code: str
) -> tuple[dict[str, Any], TariffCode] | None:
    """The product's pricing plan for a tariff code in a URL, if they match."""
    parsed = TariffCode.parse(tariff_code)
    product = state["products"].get(product_code)
    if parsed is None or product is None or parsed.product != product_code:
        return None
    if parsed.fuel != fuel or parsed.region not in REGIONS:
        return None
    plan = product.get(fuel, {}).get(parsed.register)
    return (plan, parsed) if plan else None


def meter_points(state: dict[str, Any], fuel: str) -> list[dict[str, Any]]:
    """The account's meter points of one fuel (each also describes its meter)."""
    points: list[dict[str, Any]] = state["account"].get(fuel, [])
    return points


def find_meter(
    state: dict[str, Any], fuel: str, mpxn: str, serial: str
) -> dict[str, Any] | None:
    """The meter with this meter-point number and serial number."""
    key = "mpan" if fuel == "electricity" else "mprn"
    for point in meter_points(state, fuel):
        if point[key] == mpxn and point["serial"] == serial:
            return point
    return None


def find_by_device(state: dict[str, Any], device_id: str) -> dict[str, Any] | None:
    """The Home Mini-equipped meter whose smart device has this id."""
    for fuel in FUELS:
        for point in meter_points(state, fuel):
            if (
                point.get("home_mini")
                and point["smart_device"]["deviceId"] == device_id
            ):
                return point
    return None


def export_point(state: dict[str, Any], device_id: str) -> dict[str, Any] | None:
    """The export meter point sharing an electricity smart device."""
    for point in meter_points(state, "electricity"):
        if (
            point["direction"] == "EXPORT"
            and point["smart_device"]["deviceId"] == device_id
        ):
            return point
    return None


def meter_since(point: dict[str, Any]) -> datetime:
    """When the meter was installed (its register starts then)."""
    return datetime.combine(
        date.fromisoformat(point["active_from"]), datetime.min.time(), UTC
    )


def agreement_window(agreement: dict[str, Any]) -> tuple[datetime, datetime | None]:
    """An agreement's validity as datetimes."""
    end = agreement.get("to")
    return parse_datetime(agreement["from"]), parse_datetime(end) if end else None


def is_active(agreement: dict[str, Any], now: datetime) -> bool:
    """Whether an agreement is in force now."""
    start, end = agreement_window(agreement)
    return start <= now and (end is None or now < end)


def find_device(state: dict[str, Any], device_id: str) -> dict[str, Any] | None:
    """An intelligent (smart flex) device by id."""
    return next(
        (d for d in state["account"].get("devices", []) if d["id"] == device_id), None
    )


def find_heat_pump(state: dict[str, Any], euid: str) -> dict[str, Any] | None:
    """A heat pump by controller EUID."""
    return next(
        (h for h in state["account"].get("heat_pumps", []) if h["euid"] == euid), None
    )
