"""A tariff comparison's day: the previous day's consumption at another tariff.

Pure data and arithmetic. A `ComparisonDay` holds the half hours of the meter's
latest complete day (its consumption, from the previous-consumption coordinator)
priced with the compared tariff's rates of that day, and that tariff's standing
charge. `history` keeps the totals of up to 30 compared days (with the actual
cost of each day), so the 7- and 30-day comparisons build up as days pass
without any further request.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final

from ...models import RateSlot
from ...timeutil import SLOT, uk_day_bounds
from ..consumption.model import PreviousDay

HISTORY_DAYS: Final = 30
PERIODS: Final = (7, 30)


@dataclass(frozen=True, kw_only=True)
class ComparedCharge:
    """One half hour at the compared tariff."""

    start: datetime
    consumption: float
    rate: float | None

    @property
    def cost(self) -> float | None:
        """GBP (None without a price)."""
        return None if self.rate is None else round(self.consumption * self.rate, 6)


@dataclass(frozen=True, kw_only=True)
class DayTotals:
    """One compared day: its cost at the compared tariff and the actual cost."""

    compared: float | None
    actual: float | None


@dataclass(frozen=True, kw_only=True)
class ComparisonDay:
    """The latest compared day and the history of compared days."""

    day: date
    product_code: str
    tariff_code: str
    charges: tuple[ComparedCharge, ...]
    rates: tuple[RateSlot, ...]
    standing_charge: float | None
    history: dict[date, DayTotals] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        """The start of the day (`last_reset`)."""
        return uk_day_bounds(self.day)[0]

    @property
    def total_without_standing_charge(self) -> float | None:
        """GBP of the energy; None when a half hour has no price."""
        if not self.charges or any(c.rate is None for c in self.charges):
            return None
        return round(sum(c.cost or 0.0 for c in self.charges), 6)

    @property
    def total(self) -> float | None:
        """GBP including the standing charge."""
        energy = self.total_without_standing_charge
        if energy is None:
            return None
        return round(energy + (self.standing_charge or 0.0), 6)

    def period(self, days: int) -> dict[str, Any]:
        """Totals of the last `days` compared days (as far as known)."""
        recent = sorted(self.history)[-days:]
        rows = [self.history[day] for day in recent]
        complete = [r for r in rows if r.compared is not None and r.actual is not None]
        compared = round(sum(r.compared or 0.0 for r in complete), 6)
        actual = round(sum(r.actual or 0.0 for r in complete), 6)
        return {
            "days": len(complete),
            "cost": compared,
            "actual_cost": actual,
            "difference": round(compared - actual, 6),
        }


def compare(
    previous: PreviousDay,
    *,
    product_code: str,
    tariff_code: str,
    rates: list[RateSlot],
    standing_charge: float | None,
    history: dict[date, DayTotals],
) -> ComparisonDay:
    """Price the previous day at the compared tariff; add it to the history."""
    start, end = uk_day_bounds(previous.day)
    day_rates = tuple(s for s in rates if start <= s.start < end)
    prices = {slot.start: slot.value for slot in day_rates}
    charges = tuple(
        ComparedCharge(
            start=c.start, consumption=c.consumption_kwh, rate=prices.get(c.start)
        )
        for c in previous.charges
    )
    day = ComparisonDay(
        day=previous.day,
        product_code=product_code,
        tariff_code=tariff_code,
        charges=charges,
        rates=day_rates,
        standing_charge=standing_charge,
    )
    kept = {d: t for d, t in history.items() if d != previous.day}
    kept[previous.day] = DayTotals(compared=day.total, actual=previous.total_cost)
    newest = sorted(kept)[-HISTORY_DAYS:]
    return replace(day, history={d: kept[d] for d in newest})


def to_stored(day: ComparisonDay) -> dict[str, Any]:
    """The comparison as JSON."""
    return {
        "day": day.day.isoformat(),
        "product_code": day.product_code,
        "tariff_code": day.tariff_code,
        "charges": [
            {"start": c.start.isoformat(), "kwh": c.consumption, "rate": c.rate}
            for c in day.charges
        ],
        "rates": [
            {"start": s.start.isoformat(), "value": s.value, "is_capped": s.is_capped}
            for s in day.rates
        ],
        "standing_charge": day.standing_charge,
        "history": {
            d.isoformat(): [t.compared, t.actual] for d, t in day.history.items()
        },
    }


def from_stored(data: dict[str, Any]) -> ComparisonDay | None:
    """A stored comparison; None when unreadable."""
    try:
        return ComparisonDay(
            day=date.fromisoformat(data["day"]),
            product_code=str(data["product_code"]),
            tariff_code=str(data["tariff_code"]),
            charges=tuple(
                ComparedCharge(
                    start=datetime.fromisoformat(c["start"]),
                    consumption=float(c["kwh"]),
                    rate=None if c["rate"] is None else float(c["rate"]),
                )
                for c in data["charges"]
            ),
            rates=tuple(
                RateSlot(
                    start=(start := datetime.fromisoformat(s["start"])),
                    end=start + SLOT,
                    value=float(s["value"]),
                    is_capped=bool(s.get("is_capped")),
                    tariff_code=str(data["tariff_code"]),
                )
                for s in data["rates"]
            ),
            standing_charge=data.get("standing_charge"),
            history={
                date.fromisoformat(d): DayTotals(compared=v[0], actual=v[1])
                for d, v in (data.get("history") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
