"""Events that recur on UK local days: saving sessions and intelligent dispatches.

Both are deterministic functions of the date: a saving session every few days at a
fixed local time, a smart-charging dispatch every night and another on some
afternoons. What the API shows depends on the clock: announced events appear
some hours ahead, past ones stay visible for a few days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .timeutil import at_local, local_date
from .values import unit_hash


@dataclass(frozen=True)
class Event:
    """One Octoplus session: Power Down (points per kWh) or Power Up (0, free)."""

    day: date
    start: datetime
    end: datetime
    series: str = "power_down"
    reward_per_kwh: int = 0
    region: str | None = None

    @property
    def id(self) -> int:
        """The event id (the date's ordinal and the series)."""
        return self.day.toordinal() * 10 + SERIES.index(self.series)

    @property
    def code(self) -> str:
        """The event code used to join it."""
        return f"{CODE_PREFIX[self.series]}-{self.day:%Y%m%d}"


SERIES = ("power_down", "power_up", "regional")
"""The scenario's series: `saving_sessions` itself (Power Down in the account's
region), its optional `power_up` (free sessions, reward 0) and `regional` (Power
Down sessions for another region, which the account cannot join)."""
CODE_PREFIX = {"power_down": "EVENT", "power_up": "POWERUP", "regional": "REGIONAL"}


def _series(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    if name == "power_down":
        return config
    return config.get(name)


def _announced(
    config: dict[str, Any], series: dict[str, Any], name: str, now: datetime
) -> list[Event]:
    today = local_date(now)
    events = []
    for offset in range(-config["history_days"], 3):
        day = today + timedelta(days=offset)
        if (day.toordinal() + series.get("offset_days", 0)) % series["every_days"]:
            continue
        start = at_local(day, series["start_local"])
        if start - timedelta(hours=series["announce_hours"]) > now:
            continue
        end = start + timedelta(minutes=series["duration_minutes"])
        reward = 0 if name == "power_up" else int(series["reward_per_kwh"])
        region = None if name == "power_down" else series.get("region_id")
        events.append(Event(day, start, end, name, reward, region))
    return events


def saving_sessions(config: dict[str, Any], now: datetime) -> list[Event]:
    """Sessions announced by `now`, oldest first, over the configured history."""
    events = [
        event
        for name in SERIES
        if (series := _series(config, name)) is not None
        for event in _announced(config, series, name, now)
    ]
    return sorted(events, key=lambda e: (e.start, e.id))


def session_reward(config: dict[str, Any], event: Event, now: datetime) -> int | None:
    """Octopoints given for a joined session, a day after it ends (0 if free)."""
    del config
    if now < event.end + timedelta(days=1):
        return None
    saved_kwh = 0.5 + unit_hash("saving", event.code) * 1.5
    return int(saved_kwh * event.reward_per_kwh)


@dataclass(frozen=True)
class Dispatch:
    """One charging dispatch of an intelligent device."""

    start: datetime
    end: datetime
    kind: str  # SMART or BOOST
    energy_kwh: float


def _daily(device: dict[str, Any], day: date) -> list[Dispatch]:
    night = device["night_dispatch"]
    start = at_local(day, night["start_local"])
    end = at_local(day + timedelta(days=1), night["end_local"])
    found = [Dispatch(start, end, "SMART", night["energy_kwh"])]
    extra = device.get("day_dispatch")
    if extra and day.toordinal() % extra["every_days"] == 0:
        found.append(
            Dispatch(
                at_local(day, extra["start_local"]),
                at_local(day, extra["end_local"]),
                "SMART",
                extra["energy_kwh"],
            )
        )
    return found


def boosts(device: dict[str, Any]) -> list[Dispatch]:
    """Boosts requested through `updateBoostCharge`."""
    return [
        Dispatch(
            datetime.fromisoformat(b["start"]),
            datetime.fromisoformat(b["end"]),
            "BOOST",
            b["energy_kwh"],
        )
        for b in device.get("boosts", [])
    ]


def dispatches(device: dict[str, Any], now: datetime) -> list[Dispatch]:
    """Every dispatch around `now` (history and the next day), sorted by start."""
    today = local_date(now)
    found = [
        dispatch
        for offset in range(-device["history_days"] - 1, 2)
        for dispatch in _daily(device, today + timedelta(days=offset))
    ]
    return sorted([*found, *boosts(device)], key=lambda d: d.start)


def planned(device: dict[str, Any], now: datetime) -> list[Dispatch]:
    """Dispatches not yet finished and already planned (none while suspended)."""
    ahead = timedelta(hours=device["announce_hours"])
    return [
        d
        for d in dispatches(device, now)
        if d.end > now
        and d.start - ahead <= now
        and (d.kind == "BOOST" or not device.get("suspended"))
    ]


def completed(device: dict[str, Any], now: datetime) -> list[Dispatch]:
    """Dispatches that finished within the history window."""
    since = now - timedelta(days=device["history_days"])
    return [d for d in dispatches(device, now) if since <= d.end <= now]
