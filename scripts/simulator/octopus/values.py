"""Deterministic values: Agile prices, meter loads, weather-like curves.

Everything here is a pure function of time (and scenario parameters), so the same
instant always gives the same answer and tests can predict values.
"""

from __future__ import annotations

from datetime import date, datetime
import hashlib
import math
from typing import Any

from .timeutil import LONDON

DAY = 86400.0
AGILE_CAP = 100.0
VAT = 1.05


def unit_hash(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) for the given parts."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def region_factor(region: str) -> float:
    """Regional price spread: region A is the cheapest."""
    return 1 + (ord(region.upper()[:1] or "A") - ord("A")) * 0.01


def agile_price(slot_start: datetime, region: str) -> float:
    """Agile unit rate (p/kWh inc VAT) of the slot starting at `slot_start`.

    Shaped like the real tariff: cheap nights, a 16:00-19:00 peak, and now and then
    a negative price overnight or around midday.
    """
    local = slot_start.astimezone(LONDON)
    hour = local.hour + local.minute / 60
    stamp = slot_start.timestamp()
    noise, plunge, depth = (unit_hash("agile", stamp, k) for k in range(3))
    price = 18.0 + (noise - 0.5) * 8
    if 16 <= hour < 19:  # noqa: PLR2004
        price += 14
    elif hour < 6:  # noqa: PLR2004
        price -= 6
    elif 11 <= hour < 15:  # noqa: PLR2004
        price -= 4
    if plunge < 0.06 and (hour < 6 or 11 <= hour < 15):  # noqa: PLR2004
        price = -(1 + depth * 9)
    return round(min(price * region_factor(region), AGILE_CAP), 4)


def _wave_integral(amplitude: float, period: float, phase: float, t: float) -> float:
    """Integral over time (in joules-per-watt, i.e. seconds) of one sine term."""
    omega = 2 * math.pi / period
    return -amplitude / omega * math.cos(omega * (t + phase))


def _solar_day_integral(seconds_into_day: float) -> float:
    """Integral of max(0, sin) daylight from 06:00 to 18:00 UTC, in seconds."""
    x = min(max(seconds_into_day - DAY / 4, 0.0), DAY / 2)
    return DAY / (2 * math.pi) * (1 - math.cos(2 * math.pi * x / DAY))


def power_w(load: dict[str, Any], moment: datetime) -> float:
    """Instantaneous power (W) of a meter's load at `moment`."""
    t = moment.timestamp()
    if "solar" in load:
        seconds = t % DAY
        return float(load["solar"]["peak_w"]) * max(
            0.0, math.sin(2 * math.pi * (seconds - DAY / 4) / DAY)
        )
    waves: list[list[float]] = load["profile"]["waves"]
    return float(load["profile"]["base_w"]) + sum(
        a * math.sin(2 * math.pi * (t + phase) / period) for a, period, phase in waves
    )


def _integral_wh(load: dict[str, Any], t: float) -> float:
    """Antiderivative of the power curve, in Wh."""
    if "solar" in load:
        days, seconds = divmod(t, DAY)
        full = days * DAY / math.pi
        peak = float(load["solar"]["peak_w"])
        return peak * (full + _solar_day_integral(seconds)) / 3600
    profile = load["profile"]
    total = float(profile["base_w"]) * t
    total += sum(_wave_integral(a, p, ph, t) for a, p, ph in profile["waves"])
    return total / 3600


def energy_wh(load: dict[str, Any], start: datetime, end: datetime) -> float:
    """Energy (Wh) used or exported in [start, end)."""
    return _integral_wh(load, end.timestamp()) - _integral_wh(load, start.timestamp())


def register_wh(load: dict[str, Any], moment: datetime, since: datetime) -> float:
    """The meter's cumulative register (Wh) at `moment`."""
    start = float(load.get("register_start_wh", 0))
    return start + energy_wh(load, since, moment)


def outdoor_temperature(moment: datetime) -> float:
    """A seasonal and daily outdoor temperature (°C)."""
    t = moment.timestamp()
    day_of_year = moment.timetuple().tm_yday
    seasonal = 10 - 7 * math.cos(2 * math.pi * (day_of_year - 15) / 365)
    return round(seasonal + 3 * math.sin(2 * math.pi * (t - DAY / 3) / DAY), 1)


def greenness(day: date) -> int:
    """Greenness score (0-100) of a night."""
    return int(unit_hash("green", day.isoformat()) * 100)
