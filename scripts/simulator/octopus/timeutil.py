"""Time helpers: UK local days, half-hour slots and the API's date formats.

Slots are half hours in UTC; a UK local day runs from one Europe/London midnight to
the next, so it holds 46 slots on the spring clock change and 50 in the autumn.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
SLOT = timedelta(minutes=30)
PRICES_PUBLISHED_AT = time(16, 0)
"""When the next Agile day's unit rates appear (UK time)."""
AGILE_DAY_ENDS_AT = "23:00"
"""Agile days end (and the published rates stop) at 23:00 UK time."""


def parse_datetime(value: str) -> datetime:
    """Parse ISO 8601 (a trailing Z or an offset; naive means UTC)."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_midnight(day: date) -> datetime:
    """The UTC instant at which a UK local day starts."""
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def at_local(day: date, clock: str) -> datetime:
    """The UTC instant of local time `HH:MM` on a UK local day."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The UK local date of an instant."""
    return moment.astimezone(LONDON).date()


def floor_slot(moment: datetime) -> datetime:
    """The start of the half-hour slot holding `moment` (UTC)."""
    moment = moment.astimezone(UTC)
    return moment.replace(
        minute=moment.minute - moment.minute % 30, second=0, microsecond=0
    )


def ceil_slot(moment: datetime) -> datetime:
    """The first slot boundary at or after `moment`."""
    start = floor_slot(moment)
    return start if start == moment else start + SLOT


def slot_count(start: datetime, end: datetime) -> int:
    """How many whole slots lie in [start, end) (both on slot boundaries)."""
    return max(0, int((end - start) / SLOT))


def prices_published_until(now: datetime) -> datetime:
    """End of the last published Agile (day-ahead) unit rate.

    Agile days run from 23:00 to 23:00 UK time. Before 16:00 UK the rates end at
    23:00 UK today; at 16:00 UK those up to 23:00 UK tomorrow appear. Across a clock
    change the newly published block holds 46 or 50 half hours instead of 48.
    """
    local_now = now.astimezone(LONDON)
    day = local_now.date()
    if local_now.time() >= PRICES_PUBLISHED_AT:
        day += timedelta(days=1)
    return at_local(day, AGILE_DAY_ENDS_AT)


def consumption_available_until(now: datetime) -> datetime:
    """Consumption arrives a day late: up to the end of yesterday (UK)."""
    return local_midnight(local_date(now))


def iso_utc(moment: datetime) -> str:
    """`2024-03-31T00:00:00Z`, the rates endpoints' format."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(moment: datetime) -> str:
    """UK local time with offset (`Z` in winter), the consumption endpoints' format."""
    local = moment.astimezone(LONDON)
    text = local.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")
