"""What the rates coordinator persists: its `MeterRates` in a compact JSON form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from homeassistant.util import dt as dt_util

from ...models import MeterRates, RateSlot, StandingCharge
from .fetch import SLOT

STORAGE_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


def to_stored(data: MeterRates, *, day_ahead: bool) -> dict[str, Any]:
    """The JSON document of a meter's rates: slots as `[start, value, capped]`."""
    charge = data.standing_charge
    return {
        "tariff_code": data.tariff_code,
        "day_ahead": day_ahead,
        "slots": [
            [slot.start.isoformat(), slot.value, slot.is_capped] for slot in data.slots
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


def from_stored(stored: dict[str, Any]) -> MeterRates:
    """Read a document written by `to_stored`."""
    slots = []
    for start_text, value, capped in stored.get("slots", []):
        start = _parse(start_text)
        if start is not None:
            slots.append(
                RateSlot(
                    start=start, end=start + SLOT, value=float(value), is_capped=capped
                )
            )
    charge = stored.get("standing_charge")
    day = stored.get("standing_charge_day")
    return MeterRates(
        tariff_code=str(stored["tariff_code"]),
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
