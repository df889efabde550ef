"""Models of Octoplus, greener nights and smart-meter telemetry.

Octoplus covers points, saving sessions and the wheel of fortune.

Octopoints are integers; wheel-of-fortune prizes are in pence (see the client).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ._parse import (
    as_bool,
    as_date,
    as_datetime,
    as_dict,
    as_dicts,
    as_float,
    as_int,
    as_str,
    wh_to_kwh,
)


@dataclass(frozen=True, kw_only=True)
class SavingSessionEvent:
    """A saving session ("Power Down") event that can be joined."""

    id: str
    code: str | None
    start: datetime
    end: datetime
    reward_per_kwh_octopoints: int | None
    is_dev_event: bool
    region_id: str | None


@dataclass(frozen=True, kw_only=True)
class JoinedSavingSession:
    """An event the account joined, with the reward given (when known)."""

    event_id: str
    start: datetime
    end: datetime
    reward_octopoints: int | None


def _events(items: Any) -> list[SavingSessionEvent]:
    result = []
    for item in as_dicts(items):
        start, end = as_datetime(item.get("startAt")), as_datetime(item.get("endAt"))
        if item.get("id") is None or start is None or end is None:
            continue
        result.append(
            SavingSessionEvent(
                id=str(item["id"]),
                code=as_str(item.get("code")),
                start=start,
                end=end,
                reward_per_kwh_octopoints=as_int(item.get("rewardPerKwhInOctoPoints")),
                is_dev_event=as_bool(item.get("devEvent")) is True,
                region_id=as_str(as_dict(item.get("targetRegion")).get("regionId")),
            )
        )
    return result


def _joined(items: Any) -> list[JoinedSavingSession]:
    result = []
    for item in as_dicts(items):
        start, end = as_datetime(item.get("startAt")), as_datetime(item.get("endAt"))
        if item.get("eventId") is None or start is None or end is None:
            continue
        result.append(
            JoinedSavingSession(
                event_id=str(item["eventId"]),
                start=start,
                end=end,
                reward_octopoints=as_int(item.get("rewardGivenInOctoPoints")),
            )
        )
    return result


@dataclass(frozen=True, kw_only=True)
class SavingSessions:
    """Available and joined saving sessions of an account."""

    has_joined_campaign: bool
    region_id: str | None
    events: list[SavingSessionEvent]
    joined: list[JoinedSavingSession]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavingSessions:
        """Parse `savingSessions`."""
        sessions = as_dict(data.get("savingSessions"))
        account = as_dict(sessions.get("account"))
        return cls(
            has_joined_campaign=as_bool(account.get("hasJoinedCampaign")) is True,
            region_id=as_str(
                as_dict(account.get("signedUpMeterPoint")).get("regionId")
            ),
            events=_events(sessions.get("events")),
            joined=_joined(account.get("joinedEvents")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WheelOfFortuneSpins:
    """Spins left this month per supply."""

    electricity: int
    gas: int
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WheelOfFortuneSpins:
        """Parse the aliased `electricity` / `gas` spins."""
        return cls(
            electricity=as_int(as_dict(data.get("electricity")).get("spinsAllowed"))
            or 0,
            gas=as_int(as_dict(data.get("gas")).get("spinsAllowed")) or 0,
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class GreenerNight:
    """One night of the greener-nights forecast."""

    date: date
    is_greener_night: bool
    greenness_score: int | None
    greenness_index: str | None


def parse_greener_nights(data: dict[str, Any]) -> list[GreenerNight]:
    """Parse `greenerNightsForecast`, sorted by date."""
    nights = [
        GreenerNight(
            date=day,
            is_greener_night=as_bool(item.get("isGreenerNight")) is True,
            greenness_score=as_int(item.get("greennessScore")),
            greenness_index=as_str(item.get("greennessIndex")),
        )
        for item in as_dicts(data.get("greenerNightsForecast"))
        if (day := as_date(item.get("date"))) is not None
    ]
    return sorted(nights, key=lambda night: night.date)


@dataclass(frozen=True, kw_only=True)
class TelemetryReading:
    """A Home Mini reading: energy in kWh (converted from Wh), demand in W."""

    read_at: datetime
    consumption_kwh: float | None
    consumption_delta_kwh: float | None
    demand_w: float | None
    export_kwh: float | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TelemetryReading | None:
        """Parse one `smartMeterTelemetry` element; None without `readAt`."""
        read_at = as_datetime(data.get("readAt"))
        if read_at is None:
            return None
        return cls(
            read_at=read_at,
            consumption_kwh=wh_to_kwh(data.get("consumption")),
            consumption_delta_kwh=wh_to_kwh(data.get("consumptionDelta")),
            demand_w=as_float(data.get("demand")),
            export_kwh=wh_to_kwh(data.get("export")),
            raw=data,
        )


def parse_telemetry(items: Any) -> list[TelemetryReading]:
    """Parse a telemetry list, sorted by time."""
    readings = [TelemetryReading.from_dict(item) for item in as_dicts(items)]
    return sorted((r for r in readings if r is not None), key=lambda r: r.read_at)
