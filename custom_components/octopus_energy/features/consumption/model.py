"""Previous-day consumption and cost (pure functions, no Home Assistant state).

Days are UK local days (Europe/London). A day is **complete** when every one of its
half hours has a reading: 48 on a normal day, 46 on the spring clock change and 50
in the autumn (the community integration required exactly 48, so clock-change days
were never published, OE#1851).

Units: electricity readings are kWh. Gas meters report m³ (SMETS2) or kWh (SMETS1,
`consumption_units` of the meter); the other unit is derived with the calorific
value: kWh = m³ * 1.02264 * CV / 3.6 (the sensors' `is_estimated` says which one
was derived).

Cost of a half hour = kWh * that half hour's rate (GBP/kWh inc VAT); the day's cost
adds the standing charge (GBP/day). Tiers (off_peak/standard/peak) follow
`tariff.rate_tiers`: only days with 2 or 3 distinct rates have them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...api import Consumption, Fuel
from ...models import ActiveMeter, RateSlot
from ...timeutil import uk_day, uk_day_bounds
from ..rates.tariff import rate_tiers

SLOT = timedelta(minutes=30)
GAS_VOLUME_CORRECTION = 1.02264
KWH_PER_MJ = 3.6


def m3_to_kwh(m3: float, calorific_value: float) -> float:
    """Gas volume to energy (Ofgem formula)."""
    return m3 * GAS_VOLUME_CORRECTION * calorific_value / KWH_PER_MJ


def kwh_to_m3(kwh: float, calorific_value: float) -> float:
    """Gas energy to volume (inverse of `m3_to_kwh`)."""
    return kwh * KWH_PER_MJ / (GAS_VOLUME_CORRECTION * calorific_value)


def reports_m3(meter: ActiveMeter) -> bool:
    """Whether the meter's readings are m³ (gas, unless it says kWh)."""
    if meter.fuel is not Fuel.GAS:
        return False
    return (meter.consumption_units or "m³").strip().lower() != "kwh"


def expected_starts(day: date) -> set[datetime]:
    """The UTC starts of every half hour of a UK day (46, 48 or 50)."""
    start, end = uk_day_bounds(day)
    return {start + SLOT * i for i in range(int((end - start) / SLOT))}


def readings_by_day(
    readings: Iterable[Consumption],
) -> dict[date, dict[datetime, float]]:
    """Half-hour readings grouped per UK day, keyed by UTC start (later rows win)."""
    days: dict[date, dict[datetime, float]] = {}
    for reading in readings:
        start = reading.interval_start.astimezone(UTC)
        if reading.interval_end - reading.interval_start != SLOT:
            continue
        days.setdefault(uk_day(start), {})[start] = reading.consumption
    return days


def is_complete(day: date, readings: dict[datetime, float]) -> bool:
    """Whether every half hour of the UK day has a reading."""
    return expected_starts(day) <= readings.keys()


@dataclass(frozen=True, kw_only=True)
class Charge:
    """One half hour of a day: energy, the price and the cost (GBP)."""

    start: datetime
    end: datetime
    consumption_kwh: float
    consumption_m3: float | None
    rate: float | None
    cost: float | None


@dataclass(frozen=True, kw_only=True)
class PreviousDay:
    """A complete UK day of one meter with its rates and standing charge."""

    day: date
    tariff_code: str
    charges: tuple[Charge, ...]
    rates: tuple[RateSlot, ...]
    standing_charge: float | None
    calorific_value: float | None

    @property
    def start(self) -> datetime:
        """The start (UTC) of the day: `last_reset` of its totals."""
        return uk_day_bounds(self.day)[0]

    @property
    def latest_consumption_timestamp(self) -> datetime:
        """The end of the last half hour."""
        return self.charges[-1].end

    @property
    def total_kwh(self) -> float:
        """The day's energy (kWh)."""
        return round(sum(c.consumption_kwh for c in self.charges), 6)

    @property
    def total_m3(self) -> float | None:
        """The day's gas volume (m³); None for electricity."""
        if self.calorific_value is None:
            return None
        return round(sum(c.consumption_m3 or 0.0 for c in self.charges), 6)

    @property
    def has_costs(self) -> bool:
        """Whether every half hour has a price."""
        return all(c.cost is not None for c in self.charges)

    @property
    def total_without_standing_charge(self) -> float | None:
        """The energy cost (GBP) without the standing charge."""
        if not self.has_costs:
            return None
        return round(sum(c.cost or 0.0 for c in self.charges), 6)

    @property
    def total_cost(self) -> float | None:
        """The day's cost (GBP) including the standing charge."""
        energy = self.total_without_standing_charge
        if energy is None:
            return None
        return round(energy + (self.standing_charge or 0.0), 6)

    def tiers(self) -> dict[str, tuple[Charge, ...]]:
        """Charges per tier (`off_peak`/`standard`/`peak`) on 2- or 3-rate days."""
        return tier_charges(self.charges, self.rates)


def tier_charges(
    charges: Sequence[Charge], rates: Iterable[RateSlot]
) -> dict[str, tuple[Charge, ...]]:
    """Group charges by the tier of their rate; empty unless 2 or 3 rates."""
    tiers = rate_tiers(rates)
    grouped: dict[str, list[Charge]] = {name: [] for name in tiers.values()}
    for charge in charges:
        if charge.rate is not None and charge.rate in tiers:
            grouped[tiers[charge.rate]].append(charge)
    return {name: tuple(items) for name, items in grouped.items()}


def build_charges(
    meter: ActiveMeter,
    readings: dict[datetime, float],
    rates: Iterable[RateSlot],
    calorific_value: float,
) -> list[Charge]:
    """Charges of half-hour readings (UTC start → meter units), sorted."""
    prices = {slot.start: slot.value for slot in rates}
    in_m3 = reports_m3(meter)
    is_gas = meter.fuel is Fuel.GAS
    charges = []
    for start in sorted(readings):
        value = readings[start]
        kwh = m3_to_kwh(value, calorific_value) if in_m3 else value
        m3: float | None = None
        if is_gas:
            m3 = value if in_m3 else kwh_to_m3(value, calorific_value)
        rate = prices.get(start)
        charges.append(
            Charge(
                start=start,
                end=start + SLOT,
                consumption_kwh=round(kwh, 6),
                consumption_m3=None if m3 is None else round(m3, 6),
                rate=rate,
                cost=None if rate is None else round(kwh * rate, 6),
            )
        )
    return charges


def previous_day(
    meter: ActiveMeter,
    day: date,
    readings: dict[datetime, float],
    rates: Sequence[RateSlot],
    *,
    standing_charge: float | None,
    calorific_value: float,
) -> PreviousDay:
    """The `PreviousDay` of one (complete) day of readings."""
    start, end = uk_day_bounds(day)
    day_rates = tuple(slot for slot in rates if start <= slot.start < end)
    is_gas = meter.fuel is Fuel.GAS
    return PreviousDay(
        day=day,
        tariff_code=meter.tariff_code,
        charges=tuple(build_charges(meter, readings, day_rates, calorific_value)),
        rates=day_rates,
        standing_charge=standing_charge,
        calorific_value=calorific_value if is_gas else None,
    )


def charge_to_dict(charge: Charge) -> dict[str, Any]:
    """A charge as stored (ISO times)."""
    return {
        "start": charge.start.isoformat(),
        "kwh": charge.consumption_kwh,
        "m3": charge.consumption_m3,
        "rate": charge.rate,
        "cost": charge.cost,
    }


def charge_from_dict(data: dict[str, Any]) -> Charge:
    """A stored charge."""
    start = datetime.fromisoformat(data["start"])
    return Charge(
        start=start,
        end=start + SLOT,
        consumption_kwh=float(data["kwh"]),
        consumption_m3=None if data.get("m3") is None else float(data["m3"]),
        rate=None if data.get("rate") is None else float(data["rate"]),
        cost=None if data.get("cost") is None else float(data["cost"]),
    )


def to_stored(day: PreviousDay) -> dict[str, Any]:
    """A `PreviousDay` as JSON for the Store."""
    return {
        "day": day.day.isoformat(),
        "tariff_code": day.tariff_code,
        "charges": [charge_to_dict(c) for c in day.charges],
        "rates": [
            {
                "start": s.start.isoformat(),
                "value": s.value,
                "is_capped": s.is_capped,
                "is_intelligent_adjusted": s.is_intelligent_adjusted,
                "tariff_code": s.tariff_code,
            }
            for s in day.rates
        ],
        "standing_charge": day.standing_charge,
        "calorific_value": day.calorific_value,
    }


def from_stored(data: dict[str, Any]) -> PreviousDay | None:
    """The stored `PreviousDay`; None when unreadable."""
    try:
        rates = []
        for item in data["rates"]:
            start = datetime.fromisoformat(item["start"])
            rates.append(
                RateSlot(
                    start=start,
                    end=start + SLOT,
                    value=float(item["value"]),
                    is_capped=bool(item.get("is_capped")),
                    is_intelligent_adjusted=bool(item.get("is_intelligent_adjusted")),
                    tariff_code=str(item.get("tariff_code") or ""),
                )
            )
        charges = tuple(charge_from_dict(c) for c in data["charges"])
        if not charges:
            return None
        return PreviousDay(
            day=date.fromisoformat(data["day"]),
            tariff_code=str(data["tariff_code"]),
            charges=charges,
            rates=tuple(rates),
            standing_charge=data.get("standing_charge"),
            calorific_value=data.get("calorific_value"),
        )
    except (KeyError, TypeError, ValueError):
        return None
