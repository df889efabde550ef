"""Rows of the REST list endpoints, built lazily so long histories page cheaply.

A `Rows` object knows how many rows a query has and builds only the requested page.
Unit rates, standing charges and consumption all come through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from .state import GAS_KWH_PER_M3, TariffCode, meter_since
from .timeutil import (
    SLOT,
    at_local,
    ceil_slot,
    consumption_available_until,
    floor_slot,
    iso_local,
    iso_utc,
    local_date,
    parse_datetime,
    prices_published_until,
    slot_count,
)
from .values import VAT, agile_price, energy_wh, region_factor

Row = dict[str, Any]


@dataclass(frozen=True)
class Window:
    """The `period_from` / `period_to` of a request (either may be open)."""

    start: datetime | None = None
    end: datetime | None = None

    def clip(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """Intersect with [start, end)."""
        return max(start, self.start or start), min(end, self.end or end)

    def overlaps(self, start: datetime, end: datetime | None) -> bool:
        """Whether [start, end) meets the window."""
        before_end = self.end is None or start < self.end
        after_start = self.start is None or end is None or end > self.start
        return before_end and after_start


@dataclass(frozen=True)
class Rows:
    """`count` rows, row `i` built by `build(i)`."""

    count: int
    build: Callable[[int], Row]

    def page(self, start: int, stop: int) -> list[Row]:
        """Rows [start, stop)."""
        return [self.build(index) for index in range(start, min(stop, self.count))]

    @classmethod
    def of(cls, rows: list[Row]) -> Rows:
        """Rows already built."""
        return cls(len(rows), rows.__getitem__)


def slot_rows(
    first: datetime,
    last_end: datetime,
    make: Callable[[datetime], Row],
    *,
    ascending: bool,
) -> Rows:
    """One row per half-hour slot in [first, last_end)."""
    count = slot_count(first, last_end)

    def build(index: int) -> Row:
        offset = index if ascending else count - 1 - index
        return make(first + offset * SLOT)

    return Rows(count, build)


def price_row(
    value: float, start: datetime, end: datetime | None, method: str | None
) -> Row:
    """A unit rate or standing charge row, as the API shows it."""
    return {
        "value_exc_vat": round(value / VAT, 4),
        "value_inc_vat": round(value, 4),
        "valid_from": iso_utc(start),
        "valid_to": iso_utc(end) if end else None,
        "payment_method": method,
    }


def agile_rows(
    plan_start: datetime, tariff: TariffCode, window: Window, now: datetime
) -> Rows:
    """Half-hourly Agile rates, newest first, as published by `now`.

    Up to 23:00 UK today before 16:00 UK, up to 23:00 UK tomorrow from 16:00.
    """
    start, end = window.clip(plan_start, prices_published_until(now))
    first, last_end = floor_slot(start), ceil_slot(end)
    if last_end <= first:
        return Rows.of([])

    def make(slot: datetime) -> Row:
        return price_row(agile_price(slot, tariff.region), slot, slot + SLOT, None)

    return slot_rows(first, last_end, make, ascending=False)


def stepped_rows(
    steps: list[dict[str, Any]], tariff: TariffCode, window: Window
) -> Rows:
    """Fixed prices that change now and then, newest first, per payment method."""
    rows: list[Row] = []
    factor = region_factor(tariff.region)
    bounds = [parse_datetime(step["from"]) for step in steps]
    for index, step in enumerate(steps):
        end = bounds[index + 1] if index + 1 < len(steps) else None
        if not window.overlaps(bounds[index], end):
            continue
        value = step["value"] * factor
        rows.append(price_row(value, bounds[index], end, "DIRECT_DEBIT"))
        rows.append(price_row(value * VAT, bounds[index], end, "NON_DIRECT_DEBIT"))
    rows.reverse()
    return Rows.of(rows)


TIME_OF_USE_AHEAD = timedelta(days=2)
"""How far ahead of now time-of-use (IOG) rates are listed."""


def _time_of_use_segments(
    plan: dict[str, Any], start: datetime, end: datetime
) -> list[tuple[datetime, datetime, float]]:
    """(start, end, pence) of every price period meeting [start, end), oldest first.

    A plan has a `peak` price and `off_peak` windows of UK local times (a window
    may run past midnight, e.g. 23:30-05:30 for Intelligent Octopus Go).
    """
    day = local_date(start) - timedelta(days=1)
    cuts: list[tuple[datetime, float]] = []
    while at_local(day, "00:00") < end:
        for window in plan["off_peak"]:
            begin = at_local(day, window["start_local"])
            finish_day = (
                day + timedelta(days=1)
                if window["end_local"] <= window["start_local"]
                else day
            )
            cuts.append((begin, window["value"]))
            cuts.append((at_local(finish_day, window["end_local"]), plan["peak"]))
        day += timedelta(days=1)
    cuts.sort(key=lambda cut: cut[0])
    segments = [
        (cut[0], following[0], cut[1])
        for cut, following in pairwise(cuts)
        if cut[0] < following[0]
    ]
    return [seg for seg in segments if seg[1] > start and seg[0] < end]


def time_of_use_rows(
    plan: dict[str, Any],
    plan_start: datetime,
    tariff: TariffCode,
    window: Window,
    now: datetime,
) -> Rows:
    """Daily off-peak and peak periods (as the IOG tariffs list them), newest first."""
    start, end = window.clip(plan_start, floor_slot(now) + TIME_OF_USE_AHEAD)
    if end <= start:
        return Rows.of([])
    factor = region_factor(tariff.region)
    rows = [
        price_row(value * factor, begin, finish, None)
        for begin, finish, value in _time_of_use_segments(plan, start, end)
    ]
    rows.reverse()
    return Rows.of(rows)


RATE_KEYS = {
    "standard-unit-rates": "unit_rates",
    "day-unit-rates": "day_unit_rates",
    "night-unit-rates": "night_unit_rates",
    "standing-charges": "standing_charge",
}


def rate_rows(
    product: dict[str, Any],
    plan: dict[str, Any],
    tariff: TariffCode,
    *,
    kind: str,
    window: Window,
    now: datetime,
) -> Rows | None:
    """Rows of one rate endpoint; None when the tariff has no such rates."""
    if kind == "standard-unit-rates" and plan["pricing"] == "agile":
        return agile_rows(
            parse_datetime(product["available_from"]), tariff, window, now
        )
    if kind == "standard-unit-rates" and plan["pricing"] == "time_of_use":
        return time_of_use_rows(
            plan, parse_datetime(product["available_from"]), tariff, window, now
        )
    steps = plan.get(RATE_KEYS[kind])
    return None if steps is None else stepped_rows(steps, tariff, window)


def consumption_rows(
    point: dict[str, Any], fuel: str, window: Window, now: datetime, *, ascending: bool
) -> Rows:
    """Half-hourly consumption up to the end of yesterday (UK)."""
    start, end = window.clip(meter_since(point), consumption_available_until(now))
    first, last_end = ceil_slot(start), floor_slot(end)
    in_m3 = fuel == "gas" and point.get("consumption_units") == "m³"

    def make(slot: datetime) -> Row:
        kwh = energy_wh(point, slot, slot + SLOT) / 1000
        value = kwh / GAS_KWH_PER_M3 if in_m3 else kwh
        return {
            "consumption": round(value, 3),
            "interval_start": iso_local(slot),
            "interval_end": iso_local(slot + SLOT),
        }

    if last_end <= first:
        return Rows.of([])
    return slot_rows(first, last_end, make, ascending=ascending)
