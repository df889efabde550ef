"""The cost tracker's ledger (pure functions and data, no Home Assistant state).

A cost tracker prices the consumption of any energy entity half hour by half hour
with the account meter's rates. The ledger holds three periods:

- **day**: the half-hour charges since the day sensor's last reset (UK midnight,
  or only the `reset_cost_tracker` action with `manual_reset`); tracked charges
  are costed, untracked ones (while tracking is paused) only listed;
- **week** and **month**: one row per UK day (consumption, cost and per-tier
  totals) since their last reset (the configured weekday / day of the month, or
  the action).

Every new reading updates the day's charge of its half hour *and* the rows of the
week and month at once, so resetting the day sensor never loses the week's or
month's cost, and a restart across midnight rolls the periods over exactly once
(`roll` is idempotent). A half hour whose price is not known yet is kept with
`rate` None and costed (day and rows) as soon as the price is known (`reprice`).

Readings (`consumption_of`): accumulative sources are diffed against the last
reading; a changed `last_reset`, or a drop of more than 10 %, is a reset (the new
value is the consumption since it); a smaller drop is jitter and ignored (the
last reading is kept, so nothing is counted twice when the value comes back).
Non-accumulative sources add each reading, except the first one after the source
was unavailable or unknown (it cannot be told apart from a restored reading).
Units are converted to kWh before anything else, so a unit change is no reset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.util import dt as dt_util

from ...const import CONF_ACCOUNT_ID
from ...timeutil import SLOT, floor_slot, uk_day, uk_midnight

CONF_NAME = "name"
CONF_MPAN = "mpan"
CONF_TARGET_ENTITY_ID = "target_entity_id"
CONF_ENTITY_ACCUMULATIVE_VALUE = "entity_accumulative_value"
CONF_MANUAL_RESET = "manual_reset"
CONF_WEEKDAY_RESET = "weekday_reset"
CONF_MONTH_DAY_RESET = "month_day_reset"

RESET_DROP = 0.9
"""A reading below 90 % of the last one is a reset of an accumulative source."""

type RateLookup = Callable[[datetime], tuple[float, str | None] | None]
"""Slot start → (GBP/kWh, tier or None), or None when the price is not known."""


@dataclass(frozen=True, kw_only=True)
class TrackerConfig:
    """The entry's settings (community keys, see `from_data`)."""

    name: str
    account_id: str
    mpan: str
    target_entity_id: str
    accumulative: bool
    manual_reset: bool
    weekday_reset: int
    month_day_reset: int

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TrackerConfig:
        """The settings of an entry (community layout; weekday as "0".."6" or int)."""
        return cls(
            name=str(data[CONF_NAME]),
            account_id=str(data[CONF_ACCOUNT_ID]),
            mpan=str(data[CONF_MPAN]),
            target_entity_id=str(data[CONF_TARGET_ENTITY_ID]),
            accumulative=bool(data.get(CONF_ENTITY_ACCUMULATIVE_VALUE, False)),
            manual_reset=bool(data.get(CONF_MANUAL_RESET, False)),
            weekday_reset=int(data.get(CONF_WEEKDAY_RESET, 0)),
            month_day_reset=int(data.get(CONF_MONTH_DAY_RESET, 1)),
        )


@dataclass(kw_only=True)
class Charge:
    """One half hour: kWh, its price (GBP/kWh) and the price's tier."""

    start: datetime
    consumption: float
    rate: float | None = None
    tier: str | None = None

    @property
    def end(self) -> datetime:
        """The end of the half hour."""
        return self.start + SLOT

    @property
    def cost(self) -> float | None:
        """GBP (None while the price is unknown)."""
        return None if self.rate is None else self.consumption * self.rate


@dataclass(kw_only=True)
class DayRow:
    """One UK day of the week or month: totals and per-tier [kWh, GBP]."""

    day: date
    consumption: float = 0.0
    cost: float = 0.0
    tiers: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kwh: float, cost: float | None, tier: str | None) -> None:
        """Add energy and (if known) its cost."""
        self.consumption += kwh
        self.cost += cost or 0.0
        if tier is not None:
            totals = self.tiers.setdefault(tier, [0.0, 0.0])
            totals[0] += kwh
            totals[1] += cost or 0.0

    def add_cost(self, cost: float, tier: str | None) -> None:
        """Add the cost of energy counted before its price was known."""
        self.cost += cost
        if tier is not None:
            self.tiers.setdefault(tier, [0.0, 0.0])[1] += cost


@dataclass(kw_only=True)
class Period:
    """The week or the month: rows per day since `since`."""

    since: date
    rows: dict[date, DayRow] = field(default_factory=dict)

    def row(self, day: date) -> DayRow | None:
        """The row of a day in the period (created), None before the period."""
        if day < self.since:
            return None
        return self.rows.setdefault(day, DayRow(day=day))

    def total(self, tier: str | None = None) -> tuple[float, float]:
        """(kWh, GBP) of the period or of one tier."""
        if tier is None:
            return (
                sum(r.consumption for r in self.rows.values()),
                sum(r.cost for r in self.rows.values()),
            )
        values = [r.tiers[tier] for r in self.rows.values() if tier in r.tiers]
        return sum(v[0] for v in values), sum(v[1] for v in values)

    def reset(self, since: date) -> None:
        """Start again on `since`, keeping rows from that day on."""
        self.rows = {day: row for day, row in self.rows.items() if day >= since}
        self.since = since


@dataclass(kw_only=True)
class Reading:
    """A source reading in kWh, with its `last_reset` and state class."""

    kwh: float
    last_reset: str | None = None
    state_class: str | None = None


@dataclass(kw_only=True)
class Ledger:
    """Everything a cost tracker keeps (stored as one document)."""

    day_since: datetime
    week: Period
    month: Period
    is_tracking: bool = True
    tracked: dict[datetime, Charge] = field(default_factory=dict)
    untracked: dict[datetime, Charge] = field(default_factory=dict)
    last_kwh: float | None = None
    """The last accumulative reading (kWh)."""
    last_reset: str | None = None

    # -- values --------------------------------------------------------------

    def day_total(self, tier: str | None = None) -> tuple[float, float]:
        """(kWh, GBP) of the tracked charges (or of one tier's)."""
        charges = [c for c in self.tracked.values() if tier is None or c.tier == tier]
        return (
            sum(c.consumption for c in charges),
            sum(c.cost or 0.0 for c in charges),
        )

    # -- readings ------------------------------------------------------------

    def consumption_of(
        self, reading: Reading, *, accumulative: bool, after_unavailable: bool
    ) -> float:
        """The kWh a reading adds (updates the last accumulative reading)."""
        if not accumulative:
            if after_unavailable or reading.kwh <= 0:
                return 0.0
            return reading.kwh
        last, last_reset = self.last_kwh, self.last_reset
        if last is None:
            self.last_kwh, self.last_reset = reading.kwh, reading.last_reset
            return 0.0
        if (
            reading.last_reset is not None
            and last_reset is not None
            and reading.last_reset != last_reset
        ) or reading.kwh < last * RESET_DROP:
            delta = max(reading.kwh, 0.0)
        elif reading.kwh < last:
            return 0.0  # jitter: keep the higher reading
        else:
            delta = reading.kwh - last
        self.last_kwh, self.last_reset = reading.kwh, reading.last_reset
        return delta

    def add(self, moment: datetime, kwh: float, lookup: RateLookup) -> None:
        """Book `kwh` in the half hour of `moment` (tracked or untracked)."""
        if kwh <= 0:
            return
        start = floor_slot(moment)
        price = lookup(start)
        rate, tier = price if price is not None else (None, None)
        charges = self.tracked if self.is_tracking else self.untracked
        charge = charges.get(start)
        if charge is None:
            charge = charges[start] = Charge(start=start, consumption=0.0)
        if charge.rate is None and rate is not None:
            self._price(charge, rate, tier, book=self.is_tracking)
        charge.consumption += kwh
        if not self.is_tracking:
            return
        cost = None if charge.rate is None else kwh * charge.rate
        for period in (self.week, self.month):
            if (row := period.row(uk_day(start))) is not None:
                row.add(kwh, cost, charge.tier)

    def reprice(self, lookup: RateLookup) -> bool:
        """Cost the charges whose price became known; True if any did."""
        changed = False
        for charges, book in ((self.tracked, True), (self.untracked, False)):
            for charge in charges.values():
                if charge.rate is not None or (price := lookup(charge.start)) is None:
                    continue
                self._price(charge, *price, book=book)
                changed = True
        return changed

    def _price(
        self, charge: Charge, rate: float, tier: str | None, *, book: bool
    ) -> None:
        """Set a charge's price; book the cost of its kWh in the week and month."""
        charge.rate, charge.tier = rate, tier
        if not book or not charge.consumption:
            return
        cost = charge.consumption * rate
        for period in (self.week, self.month):
            if (row := period.rows.get(uk_day(charge.start))) is not None:
                row.add_cost(cost, tier)
                if tier is not None:
                    row.tiers[tier][0] += charge.consumption

    # -- periods -------------------------------------------------------------

    def roll(self, now: datetime, config: TrackerConfig) -> bool:
        """Apply the automatic resets due at `now`; True if any was."""
        today = uk_day(now)
        changed = False
        midnight = uk_midnight(today)
        if not config.manual_reset and self.day_since < midnight:
            self.tracked, self.untracked = {}, {}
            self.day_since = midnight
            changed = True
        for period, start in (
            (self.week, week_start(today, config.weekday_reset)),
            (self.month, month_start(today, config.month_day_reset)),
        ):
            if period.since < start:
                period.reset(start)
                changed = True
        return changed

    def reset_day(self, now: datetime) -> None:
        """`reset_cost_tracker` on the day sensor."""
        self.tracked, self.untracked = {}, {}
        self.day_since = now

    # -- adjustments -----------------------------------------------------------

    def adjust(self, moment: datetime, kwh: float) -> bool:
        """Replace the consumption of the tracked half hour of `moment`."""
        charge = self.tracked.get(floor_slot(moment))
        if charge is None:
            return False
        delta = kwh - charge.consumption
        charge.consumption = kwh
        cost = None if charge.rate is None else delta * charge.rate
        for period in (self.week, self.month):
            if (row := period.rows.get(uk_day(charge.start))) is not None:
                row.add(delta, cost, charge.tier)
        return True


def adjust_row(period: Period, day: date, kwh: float, cost: float) -> bool:
    """Replace a day's totals in the week or month (tier totals are kept)."""
    row = period.rows.get(day)
    if row is None:
        return False
    row.consumption, row.cost = kwh, cost
    return True


def week_start(today: date, weekday: int) -> date:
    """The latest day on or before `today` that is `weekday` (0 = Monday)."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def month_start(today: date, day_of_month: int) -> date:
    """The latest day on or before `today` that is `day_of_month` (1..28)."""
    if today.day >= day_of_month:
        return today.replace(day=day_of_month)
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.replace(day=day_of_month)


def new_ledger(now: datetime, config: TrackerConfig) -> Ledger:
    """An empty ledger whose periods start now."""
    today = uk_day(now)
    return Ledger(
        day_since=uk_midnight(today) if not config.manual_reset else now,
        week=Period(since=week_start(today, config.weekday_reset)),
        month=Period(since=month_start(today, config.month_day_reset)),
    )


# -- storage ---------------------------------------------------------------------


def _charge_to(charge: Charge) -> dict[str, Any]:
    return {
        "start": charge.start.isoformat(),
        "consumption": charge.consumption,
        "rate": charge.rate,
        "tier": charge.tier,
    }


def _charge_from(data: dict[str, Any]) -> Charge:
    return Charge(
        start=datetime.fromisoformat(data["start"]),
        consumption=float(data["consumption"]),
        rate=None if data.get("rate") is None else float(data["rate"]),
        tier=data.get("tier"),
    )


def _period_to(period: Period) -> dict[str, Any]:
    return {
        "since": period.since.isoformat(),
        "rows": [
            {
                "day": row.day.isoformat(),
                "consumption": row.consumption,
                "cost": row.cost,
                "tiers": row.tiers,
            }
            for row in sorted(period.rows.values(), key=lambda r: r.day)
        ],
    }


def _period_from(data: dict[str, Any]) -> Period:
    rows = {}
    for item in data["rows"]:
        day = date.fromisoformat(item["day"])
        rows[day] = DayRow(
            day=day,
            consumption=float(item["consumption"]),
            cost=float(item["cost"]),
            tiers={
                str(k): [float(v[0]), float(v[1])]
                for k, v in (item.get("tiers") or {}).items()
            },
        )
    return Period(since=date.fromisoformat(data["since"]), rows=rows)


def to_stored(ledger: Ledger) -> dict[str, Any]:
    """The ledger as JSON."""
    return {
        "day_since": ledger.day_since.isoformat(),
        "is_tracking": ledger.is_tracking,
        "tracked": [_charge_to(c) for c in sorted_charges(ledger.tracked)],
        "untracked": [_charge_to(c) for c in sorted_charges(ledger.untracked)],
        "week": _period_to(ledger.week),
        "month": _period_to(ledger.month),
        "last_kwh": ledger.last_kwh,
        "last_reset": ledger.last_reset,
    }


def from_stored(data: dict[str, Any]) -> Ledger | None:
    """A stored ledger; None when unreadable."""
    try:
        tracked = [_charge_from(c) for c in data["tracked"]]
        untracked = [_charge_from(c) for c in data["untracked"]]
        return Ledger(
            day_since=datetime.fromisoformat(data["day_since"]),
            is_tracking=bool(data["is_tracking"]),
            tracked={c.start: c for c in tracked},
            untracked={c.start: c for c in untracked},
            week=_period_from(data["week"]),
            month=_period_from(data["month"]),
            last_kwh=None if data.get("last_kwh") is None else float(data["last_kwh"]),
            last_reset=data.get("last_reset"),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def sorted_charges(charges: dict[datetime, Charge]) -> list[Charge]:
    """Charges in time order."""
    return [charges[start] for start in sorted(charges)]


def _when(value: Any) -> datetime | None:
    """An ISO time of a restored attribute (naive: Home Assistant's time zone)."""
    try:
        return dt_util.as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        return None


def _community_charges(items: Any) -> list[Charge]:
    charges = []
    for item in items if isinstance(items, list) else ():
        try:
            start = _when(item["start"])
            consumption = float(item["consumption"])
            rate = None if item.get("rate") is None else float(item["rate"])
        except (KeyError, TypeError, ValueError):
            continue
        if start is not None:
            charges.append(Charge(start=start, consumption=consumption, rate=rate))
    return charges


def _community_rows(items: Any) -> dict[date, DayRow]:
    rows: dict[date, DayRow] = {}
    for item in items if isinstance(items, list) else ():
        try:
            start = _when(item["start"])
            consumption, cost = float(item["consumption"]), float(item["cost"])
        except (KeyError, TypeError, ValueError):
            continue
        if start is not None:
            day = uk_day(start)
            rows[day] = DayRow(day=day, consumption=consumption, cost=cost)
    return rows


def from_community(
    now: datetime,
    config: TrackerConfig,
    day: Mapping[str, Any] | None,
    week: Mapping[str, Any] | None,
    month: Mapping[str, Any] | None,
) -> Ledger | None:
    """A ledger from the restored attributes of a community tracker's sensors.

    The community integration keeps its totals in the sensors' attributes
    (`tracked_charges`, `untracked_charges`, `is_tracking`, `accumulated_data`);
    they are taken over on the first start after the switch. None when there is
    nothing to take over.
    """
    if not any((day, week, month)):
        return None
    ledger = new_ledger(now, config)
    if day:
        ledger.is_tracking = bool(day.get("is_tracking", True))
        for attribute, target in (
            ("tracked_charges", ledger.tracked),
            ("untracked_charges", ledger.untracked),
        ):
            for charge in _community_charges(day.get(attribute)):
                if charge.start >= ledger.day_since:
                    target[charge.start] = charge
    for attributes, period in ((week, ledger.week), (month, ledger.month)):
        if attributes:
            rows = _community_rows(attributes.get("accumulated_data"))
            period.rows = {d: row for d, row in rows.items() if d >= period.since}
    return ledger
