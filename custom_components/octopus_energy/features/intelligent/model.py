"""What the intelligent feature knows about a device, and the pure logic on it.

`DeviceData` is one device's state after a retrieval: its state and settings,
the planned dispatches (kept when Octopus answers "no data", KT-CT-4340), the
completed dispatches and the **started** dispatches derived locally (a half hour
in which the device was charging inside a planned smart dispatch; kept even when
Octopus later drops or shortens the dispatch, so the off-peak price that applied
stays known). `applicable_windows` merges what turns the dispatching sensor on.

Everything here is plain data with `to_dict`/`from_dict` for the Store; nothing
requests anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.util import dt as dt_util

from ...api import (
    ChargeSchedule,
    CompletedDispatch,
    IntelligentDeviceState,
    PlannedDispatch,
)
from ...timeutil import SLOT, floor_slot, uk_day, uk_midnight

SOURCE_SMART: Final = "smart-charge"
SOURCE_BUMP: Final = "bump-charge"
STATE_IN_PROGRESS: Final = "SMART_CONTROL_IN_PROGRESS"
KEEP_DAYS: Final = 2
"""Completed and started dispatches are kept from UK midnight this many days ago."""
HISTORY_KEEP: Final = timedelta(hours=48)
RATE_MODE_PLANNED_AND_STARTED: Final = "pending_and_started_dispatches"
RATE_MODE_STARTED_ONLY: Final = "started_dispatches_only"


def _iso(value: datetime) -> str:
    return value.isoformat()


def _parse(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


@dataclass(frozen=True, kw_only=True)
class Dispatch:
    """A planned or completed dispatch (`charge_in_kwh` positive = added)."""

    start: datetime
    end: datetime
    charge_in_kwh: float | None = None
    source: str | None = None
    location: str | None = None

    @property
    def is_bump(self) -> bool:
        """Whether the dispatch is a bump (boost) charge."""
        return self.source == SOURCE_BUMP

    def covers(self, moment: datetime) -> bool:
        """Whether `moment` lies inside the dispatch."""
        return self.start <= moment < self.end

    def to_dict(self) -> dict[str, Any]:
        """The stored form (also the service and attribute form)."""
        item: dict[str, Any] = {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "charge_in_kwh": self.charge_in_kwh,
            "source": self.source,
        }
        if self.location is not None:
            item["location"] = self.location
        return item

    @classmethod
    def from_dict(cls, data: Any) -> Dispatch | None:
        """Parse the stored form; None when unusable."""
        if not isinstance(data, dict):
            return None
        start, end = _parse(data.get("start")), _parse(data.get("end"))
        if start is None or end is None:
            return None
        charge = data.get("charge_in_kwh")
        return cls(
            start=start,
            end=end,
            charge_in_kwh=float(charge) if isinstance(charge, int | float) else None,
            source=data.get("source"),
            location=data.get("location"),
        )

    @classmethod
    def planned(cls, item: PlannedDispatch) -> Dispatch:
        """From the API's planned dispatch (type BOOST is a bump charge)."""
        return cls(
            start=item.start,
            end=item.end,
            charge_in_kwh=item.energy_added_kwh,
            source=SOURCE_BUMP if item.type == "BOOST" else SOURCE_SMART,
        )

    @classmethod
    def completed(cls, item: CompletedDispatch) -> Dispatch:
        """From the API's completed dispatch (its delta is negative when added)."""
        return cls(
            start=item.start,
            end=item.end,
            charge_in_kwh=abs(item.delta_kwh) if item.delta_kwh is not None else None,
            source=item.source,
            location=item.location,
        )


def _dispatches(items: Any) -> tuple[Dispatch, ...]:
    parsed = (Dispatch.from_dict(item) for item in items or ())
    return tuple(item for item in parsed if item is not None)


@dataclass(frozen=True, kw_only=True)
class DeviceData:
    """One intelligent device after a retrieval (see the module doc)."""

    device_id: str
    provider: str | None = None
    make: str | None = None
    model: str | None = None
    is_charge_point: bool = False
    current_state: str | None = None
    is_suspended: bool | None = None
    schedules: tuple[ChargeSchedule, ...] = ()
    planned: tuple[Dispatch, ...] = ()
    planned_stale: bool = False
    """The last answer had no planned dispatches (KT-CT-4340): these are older."""
    completed: tuple[Dispatch, ...] = ()
    started: tuple[Dispatch, ...] = ()
    history: tuple[HistoryRecord, ...] = field(default=(), compare=False)

    @property
    def charge_target(self) -> float | None:
        """The target state of charge (%) of the first schedule."""
        return self.schedules[0].max if self.schedules else None

    @property
    def target_time(self) -> str | None:
        """The ready-by time (`HH:MM`) of the first schedule."""
        first = self.schedules[0].time if self.schedules else None
        return first[:5] if first else None

    def dispatch_snapshot(self) -> dict[str, Any]:
        """What the point-in-time history keeps (and compares for changes)."""
        return {
            "current_state": self.current_state,
            "planned_dispatches": [d.to_dict() for d in self.planned],
            "completed_dispatches": [d.to_dict() for d in self.completed],
            "started_dispatches": [d.to_dict() for d in self.started],
        }

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "device_id": self.device_id,
            "provider": self.provider,
            "make": self.make,
            "model": self.model,
            "is_charge_point": self.is_charge_point,
            "is_suspended": self.is_suspended,
            "planned_stale": self.planned_stale,
            "schedules": [
                {
                    "day_of_week": s.day_of_week,
                    "time": s.time,
                    "min": s.min,
                    "max": s.max,
                }
                for s in self.schedules
            ],
            **self.dispatch_snapshot(),
            "history": [record.to_dict() for record in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeviceData | None:
        """Parse the stored form; None when unusable."""
        device_id = data.get("device_id")
        if not isinstance(device_id, str):
            return None
        schedules = tuple(
            ChargeSchedule(
                day_of_week=str(item["day_of_week"]),
                time=item.get("time"),
                min=item.get("min"),
                max=item.get("max"),
            )
            for item in data.get("schedules") or ()
            if isinstance(item, dict) and "day_of_week" in item
        )
        history = (HistoryRecord.from_dict(r) for r in data.get("history") or ())
        return cls(
            device_id=device_id,
            provider=data.get("provider"),
            make=data.get("make"),
            model=data.get("model"),
            is_charge_point=bool(data.get("is_charge_point")),
            current_state=data.get("current_state"),
            is_suspended=data.get("is_suspended"),
            schedules=schedules,
            planned=_dispatches(data.get("planned_dispatches")),
            planned_stale=bool(data.get("planned_stale")),
            completed=_dispatches(data.get("completed_dispatches")),
            started=_dispatches(data.get("started_dispatches")),
            history=tuple(r for r in history if r is not None),
        )


@dataclass(frozen=True, kw_only=True)
class HistoryRecord:
    """The dispatch state of a device from `timestamp` until the next record."""

    timestamp: datetime
    snapshot: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The stored (and service response) form."""
        return {"timestamp": _iso(self.timestamp), **self.snapshot}

    @classmethod
    def from_dict(cls, data: Any) -> HistoryRecord | None:
        """Parse the stored form; None when unusable."""
        if not isinstance(data, dict):
            return None
        timestamp = _parse(data.get("timestamp"))
        if timestamp is None:
            return None
        return cls(
            timestamp=timestamp,
            snapshot={k: v for k, v in data.items() if k != "timestamp"},
        )


def _keep_from(now: datetime) -> datetime:
    """UK midnight `KEEP_DAYS` days ago (as an aware datetime)."""
    return uk_midnight(uk_day(now) - timedelta(days=KEEP_DAYS))


def merge_windows(windows: Iterable[Dispatch]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching windows merged, sorted by start."""
    merged: list[tuple[datetime, datetime]] = []
    for item in sorted(windows, key=lambda d: d.start):
        if merged and item.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], item.end))
        else:
            merged.append((item.start, item.end))
    return merged


def _add_started(
    started: Sequence[Dispatch],
    planned: Sequence[Dispatch],
    state: str | None,
    now: datetime,
) -> tuple[Dispatch, ...]:
    """Add the current half hour when the device charges in a smart dispatch."""
    charging = state == STATE_IN_PROGRESS and any(
        d.covers(now) and not d.is_bump for d in planned
    )
    if not charging:
        return tuple(started)
    slot = floor_slot(now)
    windows = merge_windows([*started, Dispatch(start=slot, end=slot + SLOT)])
    return tuple(Dispatch(start=start, end=end) for start, end in windows)


def updated_device(
    previous: DeviceData | None,
    state: IntelligentDeviceState,
    completed: Sequence[CompletedDispatch],
    now: datetime,
) -> DeviceData:
    """The device after a retrieval: new state, kept or new planned dispatches."""
    device = state.device
    base = previous or DeviceData(device_id=device.id)
    if state.planned is None:
        planned = tuple(d for d in base.planned if d.end > now)
        stale = True
    else:
        planned = tuple(Dispatch.planned(d) for d in state.planned)
        stale = False
    since = _keep_from(now)
    settings = state.settings
    data = replace(
        base,
        provider=device.provider,
        make=device.make,
        model=device.model,
        is_charge_point=device.is_charge_point,
        current_state=state.current_state,
        is_suspended=settings.is_suspended if settings else base.is_suspended,
        schedules=tuple(settings.schedules) if settings else base.schedules,
        planned=planned,
        planned_stale=stale,
        completed=tuple(Dispatch.completed(d) for d in completed if d.end >= since),
        started=tuple(
            d
            for d in _add_started(base.started, planned, state.current_state, now)
            if d.end >= since
        ),
    )
    return with_history(data, now)


def with_history(data: DeviceData, now: datetime) -> DeviceData:
    """Record the dispatch state when it changed; keep 48 h plus one older record."""
    snapshot = data.dispatch_snapshot()
    history = list(data.history)
    if not history or history[-1].snapshot != snapshot:
        history.append(HistoryRecord(timestamp=now, snapshot=snapshot))
    cutoff = now - HISTORY_KEEP
    older = [i for i, record in enumerate(history) if record.timestamp < cutoff]
    if len(older) > 1:
        history = history[older[-1] :]
    return replace(data, history=tuple(history))


def history_at(data: DeviceData, moment: datetime) -> HistoryRecord | None:
    """The record in force at `moment` (None before the first)."""
    found = None
    for record in data.history:
        if record.timestamp > moment:
            break
        found = record
    return found


@dataclass(frozen=True, kw_only=True)
class DispatchRules:
    """How dispatches count (the community `intelligent_settings`)."""

    rate_mode: str = RATE_MODE_PLANNED_AND_STARTED
    minimum_minutes: int = 0


def applicable_windows(
    data: DeviceData, rules: DispatchRules
) -> list[tuple[datetime, datetime]]:
    """Merged windows in which the device is dispatching (never bump charges).

    Planned smart dispatches count unless the rate mode is "started only";
    started dispatches always count. Merged windows shorter than the minimum
    duration are dropped.
    """
    windows: list[Dispatch] = list(data.started)
    if rules.rate_mode != RATE_MODE_STARTED_ONLY:
        windows.extend(d for d in data.planned if not d.is_bump)
    minimum = timedelta(minutes=rules.minimum_minutes)
    return [(s, e) for s, e in merge_windows(windows) if e - s >= minimum]


def current_and_next(
    windows: Sequence[tuple[datetime, datetime]], now: datetime
) -> tuple[tuple[datetime, datetime] | None, tuple[datetime, datetime] | None]:
    """The window holding `now` and the next one to start."""
    current = next((w for w in windows if w[0] <= now < w[1]), None)
    following = next((w for w in windows if w[0] > now), None)
    return current, following


def recent(
    items: Iterable[Dispatch], now: datetime, *, past: timedelta, ahead: timedelta
) -> list[dict[str, Any]]:
    """The dispatches meeting [now - past, now + ahead] in attribute form."""
    return [
        d.to_dict() for d in items if d.end >= now - past and d.start <= now + ahead
    ]
