"""Tariff arithmetic: UK days (46/48/50 half hours), blocks, tiers, off peak, events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from homeassistant.util import dt as dt_util
import pytest

from custom_components.octopus_energy.const import UK_TZ
from custom_components.octopus_energy.features.rates.tariff import (
    current_block,
    current_slot,
    day_rates_payload,
    day_slots,
    day_stats,
    half_hours_in_day,
    is_day_complete,
    next_block,
    off_peak_rate,
    off_peak_state,
    off_peak_windows,
    previous_block,
    rate_tiers,
    target_timeframe_payload,
    uk_day,
    uk_day_bounds,
)
from custom_components.octopus_energy.models import RateSlot

from .rates_helpers import AGILE, FIXED_EXPORT, GAS, make_slots, utc

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


@pytest.fixture(autouse=True)
def uk_time_zone() -> Iterator[None]:
    """Payload times are local: run these tests in Europe/London."""
    dt_util.set_default_time_zone(UK_TZ)
    yield
    dt_util.set_default_time_zone(dt_util.UTC)


def economy7(slot: datetime) -> float:
    """Night 00:00-07:00 UK time at 0.15, day 0.32."""
    return 0.15 if slot.astimezone(UK_TZ).time() < time(7) else 0.32


def three_rate(slot: datetime) -> float:
    """Cosy-like: 0.12 at 04:00-07:00, 0.40 at 16:00-19:00, else 0.27 (UK time)."""
    local = slot.astimezone(UK_TZ).time()
    if time(4) <= local < time(7):
        return 0.12
    if time(16) <= local < time(19):
        return 0.40
    return 0.27


def agile(slot: datetime) -> float:
    """A different price every half hour, negative around 03:00 UTC."""
    return round((slot.hour * 2 + slot.minute // 30 - 7) / 100, 4)


def days_of(price: object, first: date, last: date) -> list[RateSlot]:
    """Slots from UK midnight of `first` to the end of `last`."""
    return make_slots(uk_day_bounds(first)[0], uk_day_bounds(last)[1], price)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "count", "start", "end"),
    [
        (SPRING, 46, utc(2026, 3, 29, 0), utc(2026, 3, 29, 23)),
        (date(2026, 6, 1), 48, utc(2026, 5, 31, 23), utc(2026, 6, 1, 23)),
        (AUTUMN, 50, utc(2026, 10, 24, 23), utc(2026, 10, 26, 0)),
        (date(2026, 11, 23), 48, utc(2026, 11, 23, 0), utc(2026, 11, 24, 0)),
    ],
)
def test_uk_days(day: date, count: int, start: datetime, end: datetime) -> None:
    """UK days have 46, 48 or 50 half hours; slots are bucketed by UK day."""
    assert half_hours_in_day(day) == count
    assert uk_day_bounds(day) == (start, end)
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    slots = days_of(economy7, before, after)
    assert len(day_slots(slots, day)) == count
    assert is_day_complete(slots, day)
    assert not is_day_complete(slots[1:], before)
    assert uk_day(start) == day
    assert uk_day(end) != day


@pytest.mark.parametrize(("day", "night_slots"), [(SPRING, 12), (AUTUMN, 16)])
def test_off_peak_on_clock_change_days(day: date, night_slots: int) -> None:
    """Economy 7 nights are 6 h on the spring change and 8 h in the autumn."""
    slots = days_of(economy7, day, day)
    assert rate_tiers(slots) == {0.15: "off_peak", 0.32: "peak"}
    assert off_peak_rate(slots, day) == 0.15
    windows = off_peak_windows(slots)
    start, end = uk_day_bounds(day)[0], datetime.combine(day, time(7), UK_TZ)
    assert windows == [(start, end)]
    assert (end - start).total_seconds() / 1800 == night_slots
    assert off_peak_state(slots, start) == ((start, end), None)
    assert off_peak_state(slots, end) == (None, None)


def test_off_peak_windows_merge_across_midnight() -> None:
    """A night window crossing midnight is one window; the next one is found."""
    slots = days_of(
        lambda s: (
            0.07
            if not time(5, 30) <= s.astimezone(UK_TZ).time() < time(23, 30)
            else 0.3
        ),
        date(2026, 11, 22),
        date(2026, 11, 24),
    )
    windows = off_peak_windows(slots)
    assert windows[1] == (utc(2026, 11, 22, 23, 30), utc(2026, 11, 23, 5, 30))
    current, following = off_peak_state(slots, utc(2026, 11, 23, 12))
    assert current is None
    assert following == (utc(2026, 11, 23, 23, 30), utc(2026, 11, 24, 5, 30))


def test_three_rate_tiers() -> None:
    """Three distinct rates: off_peak, standard, peak."""
    slots = days_of(three_rate, date(2026, 11, 23), date(2026, 11, 23))
    assert rate_tiers(slots) == {0.12: "off_peak", 0.27: "standard", 0.4: "peak"}
    now = utc(2026, 11, 23, 17)
    assert current_block(slots, now) is not None
    block = current_block(slots, now)
    assert block is not None
    assert (block.value, block.start, block.end) == (
        0.40,
        utc(2026, 11, 23, 16),
        utc(2026, 11, 23, 19),
    )
    previous = previous_block(slots, now)
    following = next_block(slots, now)
    assert previous is not None
    assert following is not None
    assert (previous.value, previous.start, previous.end) == (
        0.27,
        utc(2026, 11, 23, 7),
        utc(2026, 11, 23, 16),
    )
    assert (following.value, following.start, following.end) == (
        0.27,
        utc(2026, 11, 23, 19),
        utc(2026, 11, 24, 0),
    )
    assert off_peak_state(slots, utc(2026, 11, 23, 5))[0] == (
        utc(2026, 11, 23, 4),
        utc(2026, 11, 23, 7),
    )


def test_agile_negative_prices_have_no_tiers_or_off_peak() -> None:
    """Agile: many prices a day, some negative; blocks are single half hours."""
    slots = days_of(agile, date(2026, 11, 23), date(2026, 11, 23))
    stats = day_stats(slots)
    assert stats is not None
    assert stats.min_rate == -0.07
    assert stats.max_rate == 0.40
    assert rate_tiers(slots) == {}
    assert off_peak_windows(slots) == []
    now = utc(2026, 11, 23, 3, 10)
    assert current_slot(slots, now) == slots[6]
    block = current_block(slots, now)
    assert block is not None
    assert (block.value, block.start, block.end) == (
        -0.01,
        utc(2026, 11, 23, 3),
        utc(2026, 11, 23, 3, 30),
    )
    previous = previous_block(slots, now)
    assert previous is not None
    assert previous.value == -0.02


def test_fixed_single_rate() -> None:
    """One price: no previous/next differing rate, no tiers, no off peak."""
    slots = days_of(lambda _s: 0.15, date(2026, 11, 22), date(2026, 11, 24))
    now = utc(2026, 11, 23, 12)
    block = current_block(slots, now)
    assert block is not None
    assert (block.start, block.end) == (utc(2026, 11, 22), utc(2026, 11, 25))
    assert previous_block(slots, now) is None
    assert next_block(slots, now) is None
    assert rate_tiers(slots) == {}
    assert off_peak_state(slots, now) == (None, None)


def test_nothing_known() -> None:
    """No slot covers now: no current, previous or next rate; no stats."""
    now = utc(2026, 11, 23, 12)
    assert current_block([], now) is None
    assert previous_block([], now) is None
    assert next_block([], now) is None
    assert day_stats([]) is None


def test_day_rates_payload_export_and_gas() -> None:
    """Payloads keep the community keys: mpan for electricity, mprn for gas."""
    slots = days_of(lambda _s: 0.15, date(2026, 10, 25), date(2026, 10, 25))
    payload = day_rates_payload(FIXED_EXPORT, FIXED_EXPORT.tariff_code, slots)
    assert len(payload["rates"]) == 50
    assert payload["rates"][0] == {
        "start": datetime(2026, 10, 25, 0, tzinfo=UK_TZ),
        "end": datetime(2026, 10, 25, 0, 30, tzinfo=UK_TZ),
        "value_inc_vat": 0.15,
        "is_capped": False,
        "is_intelligent_adjusted": False,
    }
    assert payload["mpan"] == FIXED_EXPORT.mpxn
    assert (payload["min_rate"], payload["max_rate"], payload["average_rate"]) == (
        0.15,
        0.15,
        0.15,
    )
    gas = day_rates_payload(GAS, GAS.tariff_code, [])
    assert gas["mprn"] == GAS.mpxn
    assert "mpan" not in gas
    assert gas["rates"] == []
    assert gas["min_rate"] is None


def test_target_timeframe_payload() -> None:
    """The Target Timeframes data source id and data."""
    slots = days_of(agile, date(2026, 11, 23), date(2026, 11, 23))
    payload = target_timeframe_payload(AGILE, slots)
    assert (
        payload["data_source_id"]
        == f"octopus_energy_{AGILE.mpxn}_{AGILE.serial_number}"
    )
    assert len(payload["data"]) == 48
    assert payload["data"][0]["metadata"] == {
        "is_capped": False,
        "is_intelligent_adjusted": False,
    }
    assert payload["data"][0]["value"] == -0.07
