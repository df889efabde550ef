"""What the rates coordinator persists: its `MeterRates` in a compact JSON form.

Slots are `[start, value, capped, tariff]`. The document also records the settings
that shaped the prices (price cap, direct-debit preference): a document written
under other settings is not restored, so a changed cap or preference applies at
once instead of after the stored slots have aged out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from homeassistant.util import dt as dt_util

from ...api import Fuel
from ...models import AccountSettings, MeterRates, RateSlot, StandingCharge
from ...timeutil import SLOT


def settings_fingerprint(settings: AccountSettings, fuel: Fuel) -> dict[str, Any]:
    """The settings the stored prices depend on."""
    return {
        "price_cap": settings.price_cap(fuel),
        "direct_debit": settings.favour_direct_debit_rates,
    }


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


def to_stored(
    data: MeterRates, *, day_ahead: bool, settings: dict[str, Any]
) -> dict[str, Any]:
    """The JSON document of a meter's rates."""
    charge = data.standing_charge
    return {
        "tariff_code": data.tariff_code,
        "day_ahead": day_ahead,
        "settings": settings,
        "slots": [
            [slot.start.isoformat(), slot.value, slot.is_capped, slot.tariff_code]
            for slot in data.slots
        ],
        "standing_charge": None
        if charge is None
        else {
            "value": charge.value,
            "start": _time(charge.start),
            "end": _time(charge.end),
        },
        "standing_charge_day": data.standing_charge_day.isoformat()
        if data.standing_charge_day
        else None,
    }


def from_stored(stored: dict[str, Any], settings: dict[str, Any]) -> MeterRates | None:
    """Read a document written by `to_stored` under the same settings."""
    if stored.get("settings") != settings:
        return None
    tariff = str(stored.get("tariff_code") or "")
    slots = []
    for item in stored.get("slots", []):
        start = _parse(item[0])
        if start is None:
            continue
        slots.append(
            RateSlot(
                start=start,
                end=start + SLOT,
                value=float(item[1]),
                is_capped=bool(item[2]),
                tariff_code=str(item[3]) if len(item) > 3 else tariff,  # noqa: PLR2004
            )
        )
    charge = stored.get("standing_charge")
    day = stored.get("standing_charge_day")
    return MeterRates(
        tariff_code=tariff,
        slots=tuple(slots),
        standing_charge=None
        if charge is None
        else StandingCharge(
            value=float(charge["value"]),
            start=_parse(charge.get("start")),
            end=_parse(charge.get("end")),
        ),
        standing_charge_day=date.fromisoformat(day) if day else None,
    )
