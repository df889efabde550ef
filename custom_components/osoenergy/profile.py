"""Conversion of the heater's 24-hour profile between UTC hours and local hours.

The heater stores its target-temperature schedule as 24 values indexed by **UTC**
hour. Users think in local hours, so the actions convert with the time zone's UTC
offset in force at the moment of the call:

    local hour H  <->  UTC hour floor(((H * 60 - offset_minutes) mod 1440) / 60)

For a given offset this is a fixed rotation of the 24 slots, hence a bijection:
every local hour gets exactly one value, so there is never a fake 0.0 or a doubled
slot (HA core built the mapping from today's dates and got both on clock-change
days). In a half-hour zone such as Asia/Kolkata (+05:30) local H:00 falls at xx:30
UTC; it maps to the UTC hour that *contains* local H:00. Reading and writing use
the same rule, so a write followed by a read round-trips exactly (core truncated on
write but converted xx:00 on read, shifting every written hour by one).

Consequences worth knowing:

- On a clock-change day the result reflects the offset in force at the time of the
  call, before or after the change; it never mixes the two.
- The heater keeps its UTC hours across a clock change, so a schedule set in winter
  runs one hour later on the local clock in summer (and the reverse). Reading the
  profile after the change shows that shift honestly.

The functions are pure: they take the offset as an argument and never mutate
their input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

HOURS: Final = 24
_MINUTES_PER_HOUR: Final = 60
_MINUTES_PER_DAY: Final = HOURS * _MINUTES_PER_HOUR

HOUR_KEYS: Final = tuple(f"hour_{hour:02d}" for hour in range(HOURS))
"""Action fields of the local hours (`hour_00` … `hour_23`), index = local hour."""


def utc_offset(moment: datetime) -> timedelta:
    """Return the UTC offset of an aware datetime (zero for a naive one)."""
    return moment.utcoffset() or timedelta(0)


def format_offset(offset: timedelta) -> str:
    """Format an offset as `+HH:MM` / `-HH:MM` (seconds are dropped)."""
    minutes = int(offset.total_seconds() // _MINUTES_PER_HOUR)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), _MINUTES_PER_HOUR)
    return f"{sign}{hours:02d}:{rest:02d}"


def utc_hour_for_local(hour: int, offset: timedelta) -> int:
    """Return the UTC hour (0-23) that contains local `hour`:00 at `offset`."""
    if not 0 <= hour < HOURS:
        msg = f"A local hour is 0-23, not {hour}"
        raise ValueError(msg)
    offset_minutes = int(offset.total_seconds() // _MINUTES_PER_HOUR)
    minutes = (hour * _MINUTES_PER_HOUR - offset_minutes) % _MINUTES_PER_DAY
    return minutes // _MINUTES_PER_HOUR


def _check_length(profile_utc: Sequence[float]) -> None:
    if len(profile_utc) != HOURS:
        msg = f"A profile has {HOURS} hours, not {len(profile_utc)}"
        raise ValueError(msg)


def to_local(profile_utc: Sequence[float], offset: timedelta) -> list[float]:
    """Return the profile indexed by local hour (a new list of 24 floats)."""
    _check_length(profile_utc)
    return [
        float(profile_utc[utc_hour_for_local(hour, offset)]) for hour in range(HOURS)
    ]


def patch_local(
    profile_utc: Sequence[float],
    changes: Mapping[int, float],
    offset: timedelta,
) -> list[float]:
    """Return a new UTC profile with the given local hours changed.

    `changes` maps local hours (0-23) to target temperatures; the other hours keep
    their value. The input is never modified.
    """
    _check_length(profile_utc)
    patched = list(profile_utc)
    for hour, value in changes.items():
        patched[utc_hour_for_local(hour, offset)] = value
    return patched


def whole_numbers_as_int(values: Sequence[float]) -> list[float]:
    """Return the values with whole numbers as `int` (sent as `60`, not `60.0`).

    The heater reports its profile as integers and HA core writes integers; keep
    the wire format the same.
    """
    return [int(value) if float(value).is_integer() else value for value in values]
