"""The cost tracker's ledger: periods, pricing, adjustments and storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from custom_components.octopus_energy.features.cost_tracker.model import (
    Ledger,
    Reading,
    TrackerConfig,
    from_stored,
    month_start,
    new_ledger,
    to_stored,
    week_start,
)

from .cost_tracker_helpers import tracker_data

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
CONFIG = TrackerConfig.from_data(tracker_data())


def _lookup(rate: float | None, tier: str | None = None) -> object:
    def lookup(_start: datetime) -> tuple[float, str | None] | None:
        return None if rate is None else (rate, tier)

    return lookup


def test_config_from_community_data() -> None:
    """The weekday may be stored as text ("0".."6"); defaults apply."""
    config = TrackerConfig.from_data(
        {
            "name": "x",
            "account_id": "A",
            "mpan": "1",
            "target_entity_id": "s.x",
            "weekday_reset": "6",
        }
    )
    assert config.weekday_reset == 6
    assert config.month_day_reset == 1
    assert not config.accumulative
    assert not config.manual_reset


@pytest.mark.parametrize(
    ("today", "weekday", "expected"),
    [
        (date(2026, 11, 20), 0, date(2026, 11, 16)),
        (date(2026, 11, 20), 4, date(2026, 11, 20)),
        (date(2026, 11, 20), 5, date(2026, 11, 14)),
    ],
)
def test_week_start(today: date, weekday: int, expected: date) -> None:
    """The latest configured weekday on or before today."""
    assert week_start(today, weekday) == expected


@pytest.mark.parametrize(
    ("today", "day", "expected"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 1)),
        (date(2026, 11, 20), 20, date(2026, 11, 20)),
        (date(2026, 11, 20), 28, date(2026, 10, 28)),
        (date(2026, 1, 5), 28, date(2025, 12, 28)),
        (date(2026, 3, 1), 28, date(2026, 2, 28)),
    ],
)
def test_month_start(today: date, day: int, expected: date) -> None:
    """The latest configured day of the month on or before today."""
    assert month_start(today, day) == expected


def test_roll_is_idempotent() -> None:
    """Rolling twice at the same time changes nothing the second time."""
    ledger = new_ledger(NOW - timedelta(days=7), CONFIG)
    ledger.add(NOW - timedelta(days=7), 1.0, _lookup(0.2))  # type: ignore[arg-type]
    assert ledger.roll(NOW, CONFIG)
    assert not ledger.roll(NOW, CONFIG)
    assert ledger.tracked == {}
    assert ledger.week.rows == {}
    assert ledger.month.total() == (pytest.approx(1.0), pytest.approx(0.2))


def test_late_price_with_tier() -> None:
    """Energy booked without a price gets its cost and tier when it is known."""
    ledger = new_ledger(NOW, CONFIG)
    ledger.add(NOW, 2.0, _lookup(None))  # type: ignore[arg-type]
    ledger.add(NOW, 1.0, _lookup(0.1, "off_peak"))  # type: ignore[arg-type]
    assert ledger.day_total("off_peak") == (pytest.approx(3.0), pytest.approx(0.3))
    assert ledger.week.total("off_peak") == (pytest.approx(3.0), pytest.approx(0.3))
    assert ledger.week.total("peak") == (0, 0)
    # repricing a priced ledger changes nothing
    assert not ledger.reprice(_lookup(0.5))  # type: ignore[arg-type]


def test_reprice_untracked_and_out_of_period() -> None:
    """Untracked kWh get a price but no cost in the periods."""
    ledger = new_ledger(NOW, CONFIG)
    ledger.is_tracking = False
    ledger.add(NOW, 1.0, _lookup(None))  # type: ignore[arg-type]
    assert ledger.reprice(_lookup(0.2, "peak"))  # type: ignore[arg-type]
    assert ledger.untracked[next(iter(ledger.untracked))].cost == pytest.approx(0.2)
    assert ledger.week.total() == (0, 0)


def test_jitter_and_negative_readings() -> None:
    """A non-accumulative reading of 0 or less adds nothing."""
    ledger = new_ledger(NOW, CONFIG)
    assert (
        ledger.consumption_of(
            Reading(kwh=-1.0), accumulative=False, after_unavailable=False
        )
        == 0
    )
    ledger.add(NOW, 0.0, _lookup(0.2))  # type: ignore[arg-type]
    assert ledger.tracked == {}


def test_storage_round_trip() -> None:
    """A stored ledger reads back the same; unreadable documents give None."""
    ledger = new_ledger(NOW, CONFIG)
    ledger.consumption_of(
        Reading(kwh=5.0, last_reset="x"), accumulative=True, after_unavailable=False
    )
    ledger.add(NOW, 1.0, _lookup(0.2, "peak"))  # type: ignore[arg-type]
    ledger.is_tracking = False
    ledger.add(NOW, 0.5, _lookup(0.2, "peak"))  # type: ignore[arg-type]
    restored = from_stored(to_stored(ledger))
    assert isinstance(restored, Ledger)
    assert to_stored(restored) == to_stored(ledger)
    assert restored.last_kwh == 5.0
    assert from_stored({}) is None
    assert from_stored({**to_stored(ledger), "day_since": "not a date"}) is None
