"""Greener-nights periods: each forecast night runs 23:00 → 06:00 UK time.

As in the community integration, the *current* period is the one in progress
(none during the day) and the *next* one the first that starts later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from homeassistant.util import dt as dt_util

from ...api import GreenerNight
from ...timeutil import uk_day, uk_time

NIGHT_START = time(23, 0)
NIGHT_END = time(6, 0)


@dataclass(frozen=True, kw_only=True)
class Night:
    """One forecast night with its period."""

    night: GreenerNight
    start: datetime
    end: datetime

    @property
    def highlighted(self) -> bool:
        """A greener night (Octopus's highlight)."""
        return self.night.is_greener_night

    def attributes(self) -> dict[str, Any]:
        """`start`, `end`, index, score and highlight (community keys)."""
        return {
            "start": dt_util.as_local(self.start),
            "end": dt_util.as_local(self.end),
            "greenness_index": self.night.greenness_index,
            "greenness_score": self.night.greenness_score,
            "is_highlighted": self.highlighted,
        }


def nights(forecast: list[GreenerNight]) -> list[Night]:
    """The forecast as periods, sorted."""
    return [
        Night(
            night=night,
            start=uk_time(night.date, NIGHT_START),
            end=uk_time(night.date + timedelta(days=1), NIGHT_END),
        )
        for night in sorted(forecast, key=lambda n: n.date)
    ]


def current_night(periods: list[Night], now: datetime) -> Night | None:
    """The period in progress."""
    return next((p for p in periods if p.start <= now < p.end), None)


def next_night(
    periods: list[Night], now: datetime, *, highlighted: bool = False
) -> Night | None:
    """The first period starting after now (optionally: highlighted only)."""
    return next(
        (p for p in periods if p.start > now and (p.highlighted or not highlighted)),
        None,
    )


def next_boundary(now: datetime) -> datetime:
    """The next 23:00 or 06:00 UK time after now."""
    today = uk_day(now)
    candidates = [
        uk_time(day, at)
        for day in (today - timedelta(days=1), today, today + timedelta(days=1))
        for at in (NIGHT_END, NIGHT_START)
    ]
    return min(c for c in candidates if c > now)


def encode(forecast: list[GreenerNight]) -> dict[str, Any]:
    """The forecast as a JSON document."""
    return {
        "nights": [
            {
                "date": n.date.isoformat(),
                "is_greener_night": n.is_greener_night,
                "greenness_score": n.greenness_score,
                "greenness_index": n.greenness_index,
            }
            for n in forecast
        ]
    }


def decode(document: dict[str, Any]) -> list[GreenerNight]:
    """The forecast of a stored document."""
    return [
        GreenerNight(
            date=date.fromisoformat(item["date"]),
            is_greener_night=bool(item["is_greener_night"]),
            greenness_score=item["greenness_score"],
            greenness_index=item["greenness_index"],
        )
        for item in document["nights"]
    ]
