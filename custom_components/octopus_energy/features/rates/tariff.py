"""Tariff arithmetic on half-hour rate slots (pure functions, no Home Assistant state).

Days are UK local days (Europe/London): 48 half hours, 46 on the spring clock change
and 50 in the autumn. Slots are sorted, half-hour `RateSlot`s in UTC.

Tiers (community rule): only a day with 2 or 3 distinct rates has tiers. The lowest
rate is `off_peak`; with three rates the middle one is `standard` and the highest
`peak`; with two rates the higher one is `peak`.

Off-peak (community rule, kept for compatibility): a half hour is off peak when its
day has 2 or 3 distinct rates and its price is that day's lowest. So Economy 7,
Go, Cosy, Flux-style tariffs have off-peak windows, while Agile (dozens of prices a
day) and single-rate tariffs never have any: the off-peak binary sensor stays off on
them. Use the rate sensors or the day-rate events for price-driven automations on
Agile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.util import dt as dt_util

from ...models import ActiveMeter, RateSlot
from ...timeutil import half_hours_in_day, uk_day, uk_day_bounds

TIER_OFF_PEAK = "off_peak"
TIER_STANDARD = "standard"
TIER_PEAK = "peak"


@dataclass(frozen=True, kw_only=True)
class RateBlock:
    """Contiguous half hours at one price."""

    value: float
    start: datetime
    end: datetime
    is_capped: bool = False
    is_intelligent_adjusted: bool = False


@dataclass(frozen=True, kw_only=True)
class DayStats:
    """Lowest, highest and average rate of a day (GBP/kWh)."""

    min_rate: float
    max_rate: float
    average_rate: float


def day_slots(slots: Sequence[RateSlot], day: date) -> list[RateSlot]:
    """The slots of one UK local day."""
    start, end = uk_day_bounds(day)
    return [slot for slot in slots if start <= slot.start < end]


def is_day_complete(slots: Sequence[RateSlot], day: date) -> bool:
    """Whether every half hour of the UK day has a price."""
    return len(day_slots(slots, day)) == half_hours_in_day(day)


def _index(slots: Sequence[RateSlot], now: datetime) -> int | None:
    for index, slot in enumerate(slots):
        if slot.start <= now < slot.end:
            return index
    return None


def current_slot(slots: Sequence[RateSlot], now: datetime) -> RateSlot | None:
    """The slot containing `now`."""
    index = _index(slots, now)
    return None if index is None else slots[index]


def _block_at(slots: Sequence[RateSlot], index: int) -> tuple[int, int]:
    """First and last index of the contiguous same-price run containing `index`."""
    first = last = index
    value = slots[index].value
    while (
        first > 0
        and slots[first - 1].value == value
        and slots[first - 1].end == slots[first].start
    ):
        first -= 1
    while (
        last < len(slots) - 1
        and slots[last + 1].value == value
        and slots[last + 1].start == slots[last].end
    ):
        last += 1
    return first, last


def _block(slots: Sequence[RateSlot], index: int) -> RateBlock:
    first, last = _block_at(slots, index)
    slot = slots[index]
    return RateBlock(
        value=slot.value,
        start=slots[first].start,
        end=slots[last].end,
        is_capped=slot.is_capped,
        is_intelligent_adjusted=slot.is_intelligent_adjusted,
    )


def current_block(slots: Sequence[RateSlot], now: datetime) -> RateBlock | None:
    """The current price and the contiguous block it holds for."""
    index = _index(slots, now)
    return None if index is None else _block(slots, index)


def previous_block(slots: Sequence[RateSlot], now: datetime) -> RateBlock | None:
    """The most recent earlier block whose price differs from the current one."""
    index = _index(slots, now)
    if index is None:
        return None
    first, _ = _block_at(slots, index)
    return _block(slots, first - 1) if first > 0 else None


def next_block(slots: Sequence[RateSlot], now: datetime) -> RateBlock | None:
    """The next block whose price differs from the current one."""
    index = _index(slots, now)
    if index is None:
        return None
    _, last = _block_at(slots, index)
    return _block(slots, last + 1) if last + 1 < len(slots) else None


def day_stats(slots: Sequence[RateSlot]) -> DayStats | None:
    """Min, max and average (per half hour) of some slots; None when empty."""
    if not slots:
        return None
    values = [slot.value for slot in slots]
    return DayStats(
        min_rate=min(values),
        max_rate=max(values),
        average_rate=round(sum(values) / len(values), 6),
    )


def unique_rates(slots: Iterable[RateSlot]) -> list[float]:
    """The distinct prices, lowest first."""
    return sorted({slot.value for slot in slots})


def rate_tiers(slots: Iterable[RateSlot]) -> dict[float, str]:
    """Price → tier for a day with 2 or 3 distinct rates; empty otherwise."""
    rates = unique_rates(slots)
    if len(rates) == 2:  # noqa: PLR2004
        return {rates[0]: TIER_OFF_PEAK, rates[1]: TIER_PEAK}
    if len(rates) == 3:  # noqa: PLR2004
        return {rates[0]: TIER_OFF_PEAK, rates[1]: TIER_STANDARD, rates[2]: TIER_PEAK}
    return {}


def off_peak_rate(slots: Sequence[RateSlot], day: date) -> float | None:
    """The day's off-peak price: its lowest, when it has 2 or 3 distinct rates."""
    tiers = rate_tiers(day_slots(slots, day))
    return min(tiers) if tiers else None


def off_peak_windows(slots: Sequence[RateSlot]) -> list[tuple[datetime, datetime]]:
    """Contiguous off-peak windows (UTC), merged across midnight."""
    off_peak: dict[date, float | None] = {}
    windows: list[tuple[datetime, datetime]] = []
    for slot in slots:
        day = uk_day(slot.start)
        if day not in off_peak:
            off_peak[day] = off_peak_rate(slots, day)
        if off_peak[day] is None or slot.value != off_peak[day]:
            continue
        if windows and windows[-1][1] == slot.start:
            windows[-1] = (windows[-1][0], slot.end)
        else:
            windows.append((slot.start, slot.end))
    return windows


def off_peak_state(
    slots: Sequence[RateSlot], now: datetime
) -> tuple[tuple[datetime, datetime] | None, tuple[datetime, datetime] | None]:
    """The off-peak window containing `now` (or None) and the next one after it."""
    current: tuple[datetime, datetime] | None = None
    for window in off_peak_windows(slots):
        if window[0] <= now < window[1]:
            current = window
        elif window[0] > now:
            return current, window
    return current, None


def _rate_item(slot: RateSlot) -> dict[str, Any]:
    return {
        "start": dt_util.as_local(slot.start),
        "end": dt_util.as_local(slot.end),
        "value_inc_vat": slot.value,
        "is_capped": slot.is_capped,
        "is_intelligent_adjusted": slot.is_intelligent_adjusted,
    }


def meter_identity(meter: ActiveMeter) -> dict[str, str]:
    """`mpan` (electricity) or `mprn` (gas) and `serial_number`, as the events carry."""
    key = "mprn" if meter.fuel.value == "gas" else "mpan"
    return {key: meter.mpxn, "serial_number": meter.serial_number}


def day_rates_payload(
    meter: ActiveMeter, tariff_code: str, slots: Sequence[RateSlot]
) -> dict[str, Any]:
    """The payload of a `…_day_rates` event (GBP, local times), as the community one."""
    stats = day_stats(slots)
    return {
        "rates": [_rate_item(slot) for slot in slots],
        "min_rate": stats.min_rate if stats else None,
        "max_rate": stats.max_rate if stats else None,
        "average_rate": stats.average_rate if stats else None,
        **meter_identity(meter),
        "tariff_code": tariff_code,
    }


def target_timeframe_payload(
    meter: ActiveMeter, slots: Sequence[RateSlot]
) -> dict[str, Any]:
    """The `target_timeframe_update_data_source` payload (Target Timeframes)."""
    return {
        "data_source_id": f"octopus_energy_{meter.mpxn}_{meter.serial_number}",
        "data": [
            {
                "start": dt_util.as_local(slot.start),
                "end": dt_util.as_local(slot.end),
                "value": slot.value,
                "metadata": {
                    "is_capped": slot.is_capped,
                    "is_intelligent_adjusted": slot.is_intelligent_adjusted,
                },
            }
            for slot in slots
        ],
    }
