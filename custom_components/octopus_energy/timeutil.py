"""UK time: local days, half-hour slots and 46/48/50-slot days (pure functions).

Octopus days, tariffs and consumption days are Europe/London local days: 48 half
hours, 46 on the spring clock change and 50 in the autumn. Every module that needs
a day or a slot boundary uses these definitions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

UK_TZ: Final = ZoneInfo("Europe/London")
SLOT: Final = timedelta(minutes=30)


def floor_slot(moment: datetime) -> datetime:
    """The start (UTC) of the half hour containing `moment`."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute // 30 * 30, second=0, microsecond=0)


def uk_day(moment: datetime) -> date:
    """The UK local day of an aware moment."""
    return moment.astimezone(UK_TZ).date()


def uk_time(day: date, at: time) -> datetime:
    """`at` UK local time on `day`, in UTC."""
    return datetime.combine(day, at, UK_TZ).astimezone(UTC)


def uk_midnight(day: date) -> datetime:
    """00:00 UK time of `day`, in UTC."""
    return uk_time(day, time())


def uk_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start and end (UTC) of a UK local day: 23, 24 or 25 hours apart."""
    return uk_midnight(day), uk_midnight(day + timedelta(days=1))


def half_hours_in_day(day: date) -> int:
    """46, 48 or 50: the half hours of a UK local day."""
    start, end = uk_day_bounds(day)
    return int((end - start) / SLOT)


def slot_starts(day: date) -> list[datetime]:
    """The start (UTC) of every half hour of a UK local day."""
    start = uk_midnight(day)
    return [start + SLOT * index for index in range(half_hours_in_day(day))]
