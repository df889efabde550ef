"""Power Down and Power Up sessions, sorted from the `savingSessions` answer.

Octopus serves both programmes through one query (`savingSessions`, backend host):
the events of the campaign and the account's joined events. A session rewarding
0 Octopoints per kWh is free electricity, i.e. **Power Up**; every other session
is **Power Down** (formerly Saving Sessions). Sessions for another region than the
account's (`signedUpMeterPoint.regionId`) are dropped unless the account joined
them; a joined event missing from the event list is kept as Power Down.

Payloads (event entities and bus events) keep the community integration's keys;
joined and past sessions that ended more than `RECENT` ago are left out of them
(the calendars still show them), so the recorded attributes stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.util import dt as dt_util

from ...api import SavingSessions

RECENT = timedelta(days=7)


@dataclass(frozen=True, kw_only=True)
class Session:
    """One Power Down or Power Up session as the account sees it."""

    id: str
    code: str | None
    start: datetime
    end: datetime
    octopoints_per_kwh: int | None
    target_regions: tuple[str, ...]
    joined: bool
    rewarded_octopoints: int | None

    @property
    def is_power_up(self) -> bool:
        """Free electricity: no Octopoints per kWh."""
        return self.octopoints_per_kwh == 0

    @property
    def duration_in_minutes(self) -> int:
        """The session's length."""
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, kw_only=True)
class OctoplusSessions:
    """The sessions of one account, by programme, each sorted by start."""

    region_id: str | None
    power_down: tuple[Session, ...]
    power_up: tuple[Session, ...]
    raw: dict[str, Any]

    def available_power_down(self, now: datetime) -> list[Session]:
        """Power Down sessions the account can still join."""
        return [
            s
            for s in self.power_down
            if not s.joined and s.code is not None and s.start > now
        ]

    def joined_power_down(self) -> list[Session]:
        """Power Down sessions the account joined."""
        return [s for s in self.power_down if s.joined]

    def power_down_by_code(self, code: str) -> Session | None:
        """The Power Down session with that code (any state)."""
        return next((s for s in self.power_down if s.code == code), None)


def _in_region(region: str | None, event_region: str | None) -> bool:
    return region is None or event_region is None or event_region == region


def sort_sessions(api: SavingSessions) -> OctoplusSessions:
    """Sort the API's events into the account's Power Down and Power Up sessions."""
    joined = {item.event_id: item for item in api.joined}
    sessions: list[Session] = []
    for event in api.events:
        mine = joined.pop(event.id, None)
        if event.is_dev_event or (
            mine is None and not _in_region(api.region_id, event.region_id)
        ):
            continue
        sessions.append(
            Session(
                id=event.id,
                code=event.code,
                start=event.start,
                end=event.end,
                octopoints_per_kwh=event.reward_per_kwh_octopoints,
                target_regions=(event.region_id,) if event.region_id else (),
                joined=mine is not None,
                rewarded_octopoints=mine.reward_octopoints if mine else None,
            )
        )
    sessions += [
        Session(
            id=item.event_id,
            code=None,
            start=item.start,
            end=item.end,
            octopoints_per_kwh=None,
            target_regions=(),
            joined=True,
            rewarded_octopoints=item.reward_octopoints,
        )
        for item in joined.values()
    ]
    sessions.sort(key=lambda s: (s.start, s.id))
    return OctoplusSessions(
        region_id=api.region_id,
        power_down=tuple(s for s in sessions if not s.is_power_up),
        power_up=tuple(s for s in sessions if s.is_power_up),
        raw=api.raw,
    )


def _local(moment: datetime) -> datetime:
    return dt_util.as_local(moment)


def _recent(session: Session, now: datetime) -> bool:
    return session.end >= now - RECENT


def available_item(session: Session) -> dict[str, Any]:
    """An `available_events` item."""
    return {
        "id": session.id,
        "code": session.code,
        "start": _local(session.start),
        "end": _local(session.end),
        "duration_in_minutes": session.duration_in_minutes,
        "octopoints_per_kwh": session.octopoints_per_kwh,
        "target_regions": list(session.target_regions),
    }


def joined_item(session: Session) -> dict[str, Any]:
    """A `joined_events` item."""
    return {
        "id": session.id,
        "code": session.code,
        "start": _local(session.start),
        "end": _local(session.end),
        "duration_in_minutes": session.duration_in_minutes,
        "rewarded_octopoints": session.rewarded_octopoints,
        "octopoints_per_kwh": session.octopoints_per_kwh,
        "target_regions": list(session.target_regions),
    }


def power_up_item(session: Session) -> dict[str, Any]:
    """An `events` item of Power Up (`is_joined`: opted in)."""
    return {
        "code": session.code,
        "start": _local(session.start),
        "end": _local(session.end),
        "duration_in_minutes": session.duration_in_minutes,
        "is_joined": session.joined,
    }


def power_down_payload(
    account_number: str, data: OctoplusSessions, now: datetime
) -> dict[str, Any]:
    """The "all Power Down sessions" payload (community keys)."""
    return {
        "account_id": account_number,
        "account_region_id": data.region_id,
        "available_events": [available_item(s) for s in data.available_power_down(now)],
        "joined_events": [
            joined_item(s) for s in data.joined_power_down() if _recent(s, now)
        ],
    }


def power_up_payload(
    account_number: str, data: OctoplusSessions, now: datetime
) -> dict[str, Any]:
    """The "all Power Up sessions" payload (community keys plus `is_joined`)."""
    return {
        "account_id": account_number,
        "events": [power_up_item(s) for s in data.power_up if _recent(s, now)],
    }


def new_power_down_payload(
    account_number: str, data: OctoplusSessions, session: Session
) -> dict[str, Any]:
    """The "new Power Down session" payload (community keys)."""
    return {
        "account_id": account_number,
        "account_region_id": data.region_id,
        "event_code": session.code,
        "event_id": session.id,
        "event_start": _local(session.start),
        "event_end": _local(session.end),
        "event_duration_in_minutes": session.duration_in_minutes,
        "event_octopoints_per_kwh": session.octopoints_per_kwh,
        "event_target_regions": list(session.target_regions),
    }


def new_power_up_payload(account_number: str, session: Session) -> dict[str, Any]:
    """The "new Power Up session" payload (community keys)."""
    return {
        "account_id": account_number,
        "event_code": session.code,
        "event_start": _local(session.start),
        "event_end": _local(session.end),
        "event_duration_in_minutes": session.duration_in_minutes,
    }
