"""Home Mini live consumption: state, request schedule and costs (no HA state).

One `LiveConsumption` per Home Mini device (an electricity import meter or a gas
meter) holds what is known of the current UK day: the energy of each half hour so
far (from `smartMeterTelemetry(grouping: HALF_HOURLY)`, whose newest element is the
half hour in progress), the lifetime registers, the demand, and when data was last
retrieved. Today's totals are the sum of today's half hours, so they reset at UK
midnight whatever the day's length (46, 48 or 50 half hours).

Request schedule (see `coordinators/home_mini.py`)
-------------------------------------------------
- Electricity is requested on every coordinator tick (every
  `live_electricity_refresh_minutes`).
- Gas meters report once per half hour, so a gas device joins a tick's request
  (the same single GraphQL request, devices are aliased) only when a new half hour
  has started since its last retrieval, `GAS_SETTLE` after the boundary, and at
  least `live_gas_refresh_minutes` after the last retrieval (`gas_due`).
- The requested period starts at the half hour of the newest reading already known
  (`fetch_from`), so a 1-minute tick asks for 1 half hour per device, a tick that
  includes gas for 2; only a start without today's stored state asks for the day
  since UK midnight (since the previous half hour in the first half hour of the
  day, so the registers are known at once).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ...api import TelemetryReading
from ...models import MeterRates
from ...timeutil import floor_slot, uk_day, uk_day_bounds, uk_midnight
from ..rates.tariff import day_slots, rate_tiers

SLOT = timedelta(minutes=30)
GAS_SETTLE = timedelta(minutes=1)
"""How long after a half-hour boundary gas is first asked for (the gas meter
reports the finished half hour shortly after it ends)."""


@dataclass(frozen=True, kw_only=True)
class LiveConsumption:
    """What one Home Mini device has reported for the UK day `day`."""

    day: date
    slots: Mapping[datetime, float] = field(default_factory=dict)
    """Energy (kWh) per half hour of `day`, keyed by the half hour's UTC start."""
    total_kwh: float | None = None
    """The cumulative import register (lifetime kWh)."""
    export_kwh: float | None = None
    """The cumulative export register (lifetime kWh), electricity only."""
    demand_w: float | None = None
    latest: datetime | None = None
    """The UTC start of the half hour of the newest reading."""
    retrieved_at: datetime | None = None
    delta_kwh: float | None = None
    """Register increase between the last two retrievals (legacy sensor)."""

    @property
    def today_kwh(self) -> float:
        """Energy used so far today."""
        return sum(self.slots.values())

    @property
    def interval_kwh(self) -> float | None:
        """Energy of the newest half hour (the one in progress when retrieved)."""
        return None if self.latest is None else self.slots.get(self.latest)

    @property
    def last_reset(self) -> datetime:
        """When today's totals started: UK midnight of `day`, in UTC."""
        return uk_midnight(self.day)


def roll_over(live: LiveConsumption, day: date) -> LiveConsumption:
    """Move to `day`: only that day's half hours are kept (none after midnight)."""
    if live.day == day:
        return live
    start, end = uk_day_bounds(day)
    slots = {slot: kwh for slot, kwh in live.slots.items() if start <= slot < end}
    return replace(live, day=day, slots=slots)


def merge(
    live: LiveConsumption, readings: Iterable[TelemetryReading], now: datetime
) -> LiveConsumption:
    """Add freshly retrieved readings (sorted by time) to a device's state."""
    live = roll_over(live, uk_day(now))
    start, end = uk_day_bounds(live.day)
    slots = dict(live.slots)
    total, export = live.total_kwh, live.export_kwh
    demand, latest = live.demand_w, live.latest
    for reading in readings:
        read_at = floor_slot(reading.read_at)
        if start <= read_at < end and reading.consumption_delta_kwh is not None:
            slots[read_at] = reading.consumption_delta_kwh
        if latest is None or read_at >= latest:
            latest = read_at
            demand = reading.demand_w
        total = _first(reading.consumption_kwh, total)
        export = _first(reading.export_kwh, export)
    if latest is None or latest < floor_slot(now) - SLOT:
        demand = None  # the device has not reported for a while: demand unknown
    delta = (
        total - live.total_kwh
        if total is not None and live.total_kwh is not None
        else None
    )
    return replace(
        live,
        slots=slots,
        total_kwh=total,
        export_kwh=export,
        demand_w=demand,
        latest=latest,
        retrieved_at=now,
        delta_kwh=delta,
    )


def _first(value: float | None, fallback: float | None) -> float | None:
    return fallback if value is None else value


def fetch_from(live: LiveConsumption | None, now: datetime) -> datetime:
    """Start of the period to request: the newest known half hour, else midnight.

    A device with no reading at all (a first start) is asked from the previous
    half hour when that is earlier than midnight: a start just after a boundary
    (midnight included) then still gets the registers and the demand at once.
    """
    midnight = uk_midnight(uk_day(now))
    if live is None or live.latest is None:
        return min(midnight, floor_slot(now) - SLOT)
    if live.latest < midnight:
        return midnight
    return live.latest


def gas_due(
    live: LiveConsumption | None, now: datetime, min_interval: timedelta
) -> bool:
    """Whether a gas device can have new data: a new half hour since last time."""
    if live is None or live.retrieved_at is None:
        return True
    if now - live.retrieved_at < min_interval:
        return False
    boundary = floor_slot(now)
    return boundary > floor_slot(live.retrieved_at) and now - boundary >= GAS_SETTLE


@dataclass(frozen=True, kw_only=True)
class DayCost:
    """Today's cost so far (GBP, VAT included)."""

    total: float
    without_standing_charge: float
    standing_charge: float


def day_cost(
    live: LiveConsumption,
    rates: MeterRates | None,
    only: Container[datetime] | None = None,
) -> DayCost | None:
    """Today's cost (of the half hours in `only`, if given) with the meter's rates.

    None while a needed rate or the standing charge is unknown.
    """
    if rates is None or rates.standing_charge is None:
        return None
    prices = {slot.start: slot.value for slot in rates.slots}
    cost = 0.0
    for start, kwh in live.slots.items():
        if only is not None and start not in only:
            continue
        price = prices.get(start)
        if price is None:
            return None
        cost += kwh * price
    standing = rates.standing_charge.value
    return DayCost(
        total=cost + standing, without_standing_charge=cost, standing_charge=standing
    )


def slot_tiers(rates: MeterRates | None, day: date) -> dict[datetime, str]:
    """The tier of each half hour of `day`; empty unless the day has 2-3 prices."""
    if rates is None:
        return {}
    today = day_slots(rates.slots, day)
    tiers = rate_tiers(today)
    return {slot.start: tiers[slot.value] for slot in today if slot.value in tiers}


def tier_consumption(
    live: LiveConsumption, tiers: Mapping[datetime, str]
) -> dict[str, float]:
    """Energy so far today per tier."""
    totals: dict[str, float] = dict.fromkeys(set(tiers.values()), 0.0)
    for start, kwh in live.slots.items():
        if (name := tiers.get(start)) is not None:
            totals[name] += kwh
    return totals


def to_store(live: LiveConsumption) -> dict[str, Any]:
    """A JSON-able form of a device's state (for the Store)."""
    return {
        "day": live.day.isoformat(),
        "slots": {start.isoformat(): kwh for start, kwh in live.slots.items()},
        "total_kwh": live.total_kwh,
        "export_kwh": live.export_kwh,
        "demand_w": live.demand_w,
        "latest": _iso(live.latest),
        "retrieved_at": _iso(live.retrieved_at),
    }


def from_store(data: Mapping[str, Any]) -> LiveConsumption | None:
    """Read `to_store` output back; None when it does not parse."""
    try:
        return LiveConsumption(
            day=date.fromisoformat(data["day"]),
            slots={
                _utc(start): float(kwh) for start, kwh in dict(data["slots"]).items()
            },
            total_kwh=_float(data.get("total_kwh")),
            export_kwh=_float(data.get("export_kwh")),
            demand_w=_float(data.get("demand_w")),
            latest=_parse(data.get("latest")),
            retrieved_at=_parse(data.get("retrieved_at")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment.astimezone(UTC)


def _parse(text: Any) -> datetime | None:
    return None if text is None else _utc(str(text))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
