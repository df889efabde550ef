"""Power Down / Power Up baselines per electricity meter (octopus-energy.md B.3.3).

The baseline of a session's half hour is the mean consumption in the same UK time
of day on the previous **10 weekdays** (weekday sessions) or **4 weekend days**
(weekend sessions), skipping days that had a session of the same programme;
`is_incomplete_calculation` is set when fewer days had data.

The half-hourly history is a local store per meter (`BaselineCoordinator`, not
polled): it is completed with **one** consumption request only when a joined Power
Down or a Power Up session is within `LOOKAHEAD`, a day it needs is missing and a
baseline sensor is enabled, at most every `REFETCH`; days are kept for `KEEP_DAYS`.
Baselines exist for electricity import meters (a Power Down or Power Up is about
import).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.util import dt as dt_util

from ...api import Consumption, Fuel
from ...const import UK_TZ
from ...coordinator import MeterCoordinator
from ...timeutil import uk_day, uk_midnight
from .coordinator import SessionsCoordinator
from .model import OctoplusSessions, Session
from .names import Programme

WEEKDAYS = 10
WEEKEND_DAYS = 4
SEARCH_DAYS = 21
"""How far back the days of a baseline are looked for."""
KEEP_DAYS = 28
LOOKAHEAD = timedelta(days=2)
REFETCH = timedelta(hours=6)
SLOT = timedelta(minutes=30)
MIN_SLOTS = 46
"""A day with fewer half hours is incomplete (46: the spring clock change)."""

type History = dict[date, dict[str, float]]
"""kWh per UK day and UK time of day (`HH:MM` of the half hour's start)."""


def slot_key(moment: datetime) -> str:
    """The UK time of day of a half hour's start."""
    return moment.astimezone(UK_TZ).strftime("%H:%M")


def _weekend(day: date) -> bool:
    return day.weekday() >= 5  # noqa: PLR2004 - Saturday and Sunday


def _session_days(sessions: Iterable[Session]) -> set[date]:
    return {uk_day(s.start) for s in sessions}


def baseline_days(session_day: date, skip: set[date]) -> tuple[list[date], int]:
    """The candidate days of a session's baseline (newest first) and how many count."""
    weekend = _weekend(session_day)
    days = [
        day
        for back in range(1, SEARCH_DAYS + 1)
        if (day := session_day - timedelta(days=back)) not in skip
        and _weekend(day) == weekend
    ]
    return days, WEEKEND_DAYS if weekend else WEEKDAYS


@dataclass(frozen=True, kw_only=True)
class SlotBaseline:
    """The baseline of one half hour of a session."""

    start: datetime
    end: datetime
    baseline: float
    consumption_items: int
    is_incomplete_calculation: bool

    def attributes(self) -> dict[str, Any]:
        """The community keys of a `baselines` item."""
        return {
            "start": dt_util.as_local(self.start),
            "end": dt_util.as_local(self.end),
            "baseline": round(self.baseline, 4),
            "consumption_items": self.consumption_items,
            "is_incomplete_calculation": self.is_incomplete_calculation,
        }


def session_baselines(
    session: Session, history: History, skip: set[date]
) -> list[SlotBaseline]:
    """The baseline of every half hour of a session."""
    candidates, wanted = baseline_days(uk_day(session.start), skip)
    used = [day for day in candidates if len(history.get(day, {})) >= MIN_SLOTS]
    used = used[:wanted]
    result = []
    moment = session.start
    while moment < session.end:
        values = [
            history[day][key]
            for day in used
            if (key := slot_key(moment)) in history[day]
        ]
        result.append(
            SlotBaseline(
                start=moment,
                end=moment + SLOT,
                baseline=sum(values) / len(values) if values else 0.0,
                consumption_items=len(values),
                is_incomplete_calculation=len(values) < wanted,
            )
        )
        moment += SLOT
    return result


def relevant(data: OctoplusSessions | None, programme: Programme) -> list[Session]:
    """The sessions a baseline is shown for: joined Power Down, every Power Up."""
    if data is None:
        return []
    if programme is Programme.POWER_DOWN:
        return data.joined_power_down()
    return list(data.power_up)


def skip_days(data: OctoplusSessions | None, programme: Programme) -> set[date]:
    """Days that had a session of the programme (not part of a baseline)."""
    if data is None:
        return set()
    sessions = data.power_down if programme is Programme.POWER_DOWN else data.power_up
    return _session_days(sessions)


def add_records(history: History, records: Iterable[Consumption]) -> History:
    """The history with the records added, trimmed to `KEEP_DAYS`."""
    merged = {day: dict(slots) for day, slots in history.items()}
    for record in records:
        merged.setdefault(uk_day(record.interval_start), {})[
            slot_key(record.interval_start)
        ] = record.consumption
    oldest = uk_day(dt_util.utcnow()) - timedelta(days=KEEP_DAYS)
    return {day: slots for day, slots in merged.items() if day >= oldest}


class BaselineCoordinator(MeterCoordinator[History]):
    """The half-hourly history of one electricity meter, completed on demand."""

    def __init__(
        self, *args: Any, sessions: SessionsCoordinator, **kwargs: Any
    ) -> None:
        """Not polled: the sessions say when history is needed."""
        super().__init__(
            *args, purpose="octoplus baseline", update_interval=None, **kwargs
        )
        self.sessions = sessions
        self.fetched: datetime | None = None
        self.shown = 0
        """Enabled baseline sensors (nothing is requested without one)."""
        self._unsub: CALLBACK_TYPE | None = None

    def _from_stored(self, stored: dict[str, Any]) -> History | None:
        days = stored.get("days")
        if not isinstance(days, dict):
            return None
        fetched = stored.get("fetched")
        self.fetched = (
            dt_util.parse_datetime(fetched) if isinstance(fetched, str) else None
        )
        return {
            date.fromisoformat(day): {str(k): float(v) for k, v in slots.items()}
            for day, slots in days.items()
        }

    def _to_stored(self, data: History) -> dict[str, Any]:
        return {
            "fetched": self.fetched.isoformat() if self.fetched else None,
            "days": {day.isoformat(): slots for day, slots in data.items()},
        }

    async def async_start(self) -> None:
        """Restore the history and follow the sessions."""
        await self.async_restore()
        if not self.data:
            self.async_set_updated_data({})
        self._unsub = self.sessions.async_add_listener(self.async_check)

    @callback
    def async_check(self) -> None:
        """Complete the history in the background when a shown baseline needs it.

        Nothing is requested while no baseline sensor is enabled.
        """
        if self.shown and self._missing(dt_util.utcnow()):
            self.config_entry.async_create_task(
                self.hass, self.async_refresh(), name=f"{self.name} history"
            )

    def _missing(self, now: datetime) -> list[date]:
        """Complete past days that an upcoming session needs and the store lacks."""
        if self.fetched is not None and now - self.fetched < REFETCH:
            return []
        history = self.data or {}
        today = uk_day(now)
        missing: set[date] = set()
        for programme in Programme:
            skip = skip_days(self.sessions.data, programme)
            for session in relevant(self.sessions.data, programme):
                if not (session.end > now and session.start - now <= LOOKAHEAD):
                    continue
                days, _ = baseline_days(uk_day(session.start), skip)
                missing |= {
                    d for d in days if d < today and len(history.get(d, {})) < MIN_SLOTS
                }
        return sorted(missing)

    async def _async_fetch(self) -> History:
        now = dt_util.utcnow()
        history = self.data or {}
        if not (missing := self._missing(now)):
            return history
        records = await self.client.get_consumption(
            Fuel.ELECTRICITY,
            self.meter.mpxn,
            self.meter.serial_number,
            period_from=uk_midnight(missing[0]),
            period_to=uk_midnight(missing[-1] + timedelta(days=1)),
            page_size=1500,
        )
        self.fetched = now
        history = add_records(history, records)
        await self.async_save(history)
        return history

    async def async_shutdown(self) -> None:
        """Stop following the sessions."""
        await super().async_shutdown()
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
