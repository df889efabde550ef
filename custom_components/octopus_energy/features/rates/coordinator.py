"""Rates and standing charge of one meter: fetched only when they can have changed.

Window: yesterday 00:00 → the end of tomorrow (UK days). **Each UK day is priced
with the tariff of the agreement valid at its start** (from the account
coordinator), so a tariff change while running (Flexible → Agile at midnight) is
followed without a restart: the slots of a day whose tariff changed are dropped
and fetched again at the new tariff, under the same entities. Every slot carries
its tariff code.

The coordinator has no polling interval; it schedules its own retrievals:

- Only the half hours missing from the known slots are requested (per tariff).
- Complete means: every half hour of the window, except on a day-ahead tariff
  (Agile, Agile Outgoing: presumed from "AGILE" in the tariff code, learnt when a
  retrieval stops short), whose prices are published at about 16:00 UK up to
  23:00 UK of the next day: complete once the prices reach that horizon. So a
  fixed tariff makes one unit-rate request a day (after midnight) and Agile one at
  16:00 (retried every 10 minutes until the prices appear).
- A missing earlier part (today or yesterday) is retried every 60 minutes.
- The standing charge is requested when the UK day or the current tariff changes.
- A failed retrieval follows the base's back-off (1, 5, 15, 30 minutes, never
  before the API's Retry-After), realigned to the publication while day-ahead
  prices are awaited: never later than 16:00 UK before it, at most 10 minutes
  apart after it, so a fault around the publication does not delay tomorrow's
  prices by a whole back-off step (a rate limit's Retry-After still wins).

Listeners are updated exactly on half-hour boundaries (entities derive the current,
previous and next rates from the cached slots). Data is persisted with the
settings that shaped it (price cap, direct-debit choice): a changed setting is not
hidden by stored slots.

Failures: entities go unavailable only when the known slots no longer cover the
current half hour; while they do, the prices are still right and stay available.

Intelligent tariffs: with an `adjust` function (from the intelligent feature) the
slots shown are the retrieved ones with the dispatch half hours at the off-peak
price; the retrieved slots (`raw_slots`) are what is cached and stored, and
`async_readjust` re-applies the dispatches without a request when they change
(the day-rate events then carry `intelligent_dispatches_updated: true`).

Events: `octopus_energy_{fuel}_{previous|current|next}_day_rates` for each day slice
whose rates changed (and on a UK day change), followed by
`target_timeframe_update_data_source` with every known slot. What was fired is
stored, so a reload or restart fires only for new data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ...api import (
    Account,
    OctopusEnergyClient,
    OctopusEnergyError,
    OctopusEnergyRateLimitError,
)
from ...const import EVENT_PREFIX, EVENT_TARGET_TIMEFRAME_DATA_SOURCE
from ...coordinator import MeterCoordinator
from ...data import OctopusEnergyConfigEntry
from ...entity import payload_digest
from ...models import AccountSettings, ActiveMeter, MeterRates, RateSlot
from ...timeutil import SLOT, floor_slot, uk_day, uk_day_bounds, uk_time
from ..account.meters import meter_on
from .fetch import async_fetch_rates, async_fetch_standing_charge
from .store import from_stored, settings_fingerprint, to_stored
from .tariff import day_rates_payload, day_slots, target_timeframe_payload

PUBLISH_TIME: Final = time(16, 0)
HORIZON_TIME: Final = time(23, 0)
DAY_AHEAD_RETRY: Final = timedelta(minutes=10)
MISSING_RETRY: Final = timedelta(minutes=60)
DAY_KINDS: Final = ("previous", "current", "next")
DISPATCHES_UPDATED: Final = "intelligent_dispatches_updated"

type RateAdjust = Callable[[Sequence[RateSlot]], tuple[RateSlot, ...]]


class NoTariffError(OctopusEnergyError):
    """The meter has no agreement with a tariff now."""


def day_rates_event(meter: ActiveMeter, kind: str) -> str:
    """`octopus_energy_{fuel}_{kind}_day_rates` (community name)."""
    return f"{EVENT_PREFIX}_{meter.fuel.value}_{kind}_day_rates"


def is_day_ahead(tariff_code: str) -> bool:
    """Whether a tariff publishes tomorrow's prices in the afternoon (Agile)."""
    return "AGILE" in tariff_code.upper()


class RatesCoordinator(MeterCoordinator[MeterRates]):
    """Rates (3 UK days) and today's standing charge of one meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        meter: ActiveMeter,
        settings: AccountSettings,
        *,
        account: DataUpdateCoordinator[Account],
        adjust: RateAdjust | None = None,
    ) -> None:
        """Create the coordinator; nothing is fetched until the first refresh."""
        super().__init__(
            hass,
            entry,
            client,
            meter,
            settings,
            purpose="rates",
            update_interval=None,
        )
        self.account = account
        self.adjust = adjust
        self.raw_slots: tuple[RateSlot, ...] = ()
        """The slots as retrieved (before any intelligent adjustment)."""
        self.day_ahead_tariffs: set[str] = set()
        """Tariffs learnt to publish day-ahead (besides the presumed Agile ones)."""
        self.next_retrieval: datetime | None = None
        self.day_payloads: dict[str, dict[str, Any]] = {}
        """The last payload fired per day kind (previous/current/next)."""
        self.fired: dict[str, str] = {}
        """Digest of the last payload fired per day kind (stored)."""
        self._unsub_fetch: CALLBACK_TYPE | None = None
        self._unsub_tick: CALLBACK_TYPE | None = None

    # -- persistence -------------------------------------------------------------

    def _fingerprint(self) -> dict[str, Any]:
        return settings_fingerprint(self.settings, self.meter.fuel)

    def _from_stored(self, stored: dict[str, Any]) -> MeterRates | None:
        data = from_stored(stored, self._fingerprint())
        if data is not None:
            self.day_ahead_tariffs = set(stored.get("day_ahead_tariffs") or ())
            self.fired = dict(stored.get("fired") or {})
            self.raw_slots = data.slots
            data = self._adjusted(data)
        return data

    def _adjusted(self, raw: MeterRates) -> MeterRates:
        """The data shown for retrieved data (intelligent adjustment applied)."""
        return replace(raw, slots=self.adjust(raw.slots)) if self.adjust else raw

    def _retrieved(self, data: MeterRates | None) -> tuple[RateSlot, ...]:
        """The retrieved slots behind `data` (the same without adjustment)."""
        if data is None:
            return ()
        return self.raw_slots if self.adjust else data.slots

    def _to_stored(self, data: MeterRates) -> dict[str, Any]:
        document = to_stored(
            replace(data, slots=self._retrieved(data)),
            day_ahead=self._day_ahead(data.tariff_code),
            settings=self._fingerprint(),
        )
        document["day_ahead_tariffs"] = sorted(self.day_ahead_tariffs)
        document["fired"] = self.fired
        return document

    # -- tariffs -------------------------------------------------------------------

    def _day_ahead(self, tariff_code: str) -> bool:
        return is_day_ahead(tariff_code) or tariff_code in self.day_ahead_tariffs

    def meter_on(self, moment: datetime) -> ActiveMeter | None:
        """This meter with the tariff of its agreement at `moment`."""
        return meter_on(self.account.data, self.meter, moment)

    def _days(self, now: datetime) -> list[date]:
        today = uk_day(now)
        return [today + timedelta(days=offset) for offset in (-1, 0, 1)]

    def _horizon(self, tariff_code: str, day: date, now: datetime) -> datetime:
        """Up to when `day`'s prices can be known now (day-ahead: 23:00 UK)."""
        end = uk_day_bounds(day)[1]
        if not self._day_ahead(tariff_code):
            return end
        today = uk_day(now)
        published = (
            today + timedelta(days=1) if now >= uk_time(today, PUBLISH_TIME) else today
        )
        return min(end, uk_time(published, HORIZON_TIME))

    # -- retrieval -----------------------------------------------------------------

    async def async_shutdown(self) -> None:
        """Cancel the timers."""
        await super().async_shutdown()
        for unsub in (self._unsub_fetch, self._unsub_tick):
            if unsub is not None:
                unsub()
        self._unsub_fetch = self._unsub_tick = None

    async def _async_fetch(self) -> MeterRates:
        now = dt_util.utcnow()
        self._schedule_tick(now)
        current = self.meter_on(now)
        if current is None:
            raise NoTariffError("no agreement with a tariff now")
        slots, complete = await self._async_slots(now)
        charge = self.data.standing_charge if self.data else None
        today = uk_day(now)
        if (
            self.data is None
            or self.data.standing_charge_day != today
            or self.data.tariff_code != current.tariff_code
        ):
            charge = await async_fetch_standing_charge(
                self.client, current, self.settings, today
            )
        raw = MeterRates(
            tariff_code=current.tariff_code,
            slots=tuple(sorted(slots, key=lambda slot: slot.start)),
            standing_charge=charge,
            standing_charge_day=today,
        )
        self.raw_slots = raw.slots
        data = self._adjusted(raw)
        self._schedule_fetch(self._next_retrieval(data, complete, now))
        self._fire_events(data, now)
        if data != self.data:
            await self.async_save(data)
        return data

    async def _async_slots(self, now: datetime) -> tuple[list[RateSlot], bool]:
        """The window's slots, each day at its tariff, fetching what is missing.

        Days missing prices at the same tariff share one request.
        """
        known = self._retrieved(self.data)
        slots: list[RateSlot] = []
        wanted: dict[str, tuple[ActiveMeter, datetime, datetime]] = {}
        for day in self._days(now):
            start, end = uk_day_bounds(day)
            meter = self.meter_on(start)
            if meter is None:
                continue
            day_known = [
                s
                for s in known
                if start <= s.start < end and s.tariff_code == meter.tariff_code
            ]
            slots.extend(day_known)
            covered = max((s.end for s in day_known), default=start)
            if covered >= self._horizon(meter.tariff_code, day, now):
                continue
            first = wanted.get(meter.tariff_code, (meter, covered, end))
            wanted[meter.tariff_code] = (meter, min(first[1], covered), end)
        for meter, fetch_from, fetch_to in wanted.values():
            new = await async_fetch_rates(
                self.client, meter, self.settings, fetch_from, fetch_to
            )
            starts = {s.start for s in slots}
            slots.extend(s for s in new if s.start not in starts)
            self._learn(meter, new, fetch_to)
        return slots, self._complete(slots, now)

    def _learn(self, meter: ActiveMeter, new: list[RateSlot], end: datetime) -> None:
        """Prices that stop short of what was asked: a day-ahead tariff after all."""
        if new and new[-1].end < end and not self._day_ahead(meter.tariff_code):
            self.day_ahead_tariffs.add(meter.tariff_code)

    def _complete(self, slots: list[RateSlot], now: datetime) -> bool:
        """Whether every day of the window has its prices up to its horizon."""
        for day in self._days(now):
            start, end = uk_day_bounds(day)
            meter = self.meter_on(start)
            if meter is None:
                continue
            covered = max(
                (s.end for s in slots if start <= s.start < end), default=start
            )
            if covered < self._horizon(meter.tariff_code, day, now):
                return False
        return True

    def _next_retrieval(
        self, data: MeterRates, complete: bool, now: datetime
    ) -> datetime:
        today = uk_day(now)
        midnight = uk_day_bounds(today)[1]
        if complete:
            # A new day needs its standing charge (and a tariff may change).
            publish = uk_time(today, PUBLISH_TIME)
            if self._day_ahead(data.tariff_code) and now < publish:
                return publish
            return midnight
        if not any(slot.start <= now < slot.end for slot in data.slots):
            return min(now + MISSING_RETRY, midnight)
        return min(now + DAY_AHEAD_RETRY, midnight)

    def _handle_failure(self, err: OctopusEnergyError, now: datetime) -> MeterRates:
        """Retry after the back-off; keep publishing the known prices."""
        self._schedule_tick(now)
        self._schedule_fetch(self._realigned(now + self.retry_delay(err), now, err))
        data = super()._handle_failure(err, now)
        self._fire_events(data, now)
        return data

    def _realigned(
        self, when: datetime, now: datetime, err: OctopusEnergyError
    ) -> datetime:
        """A retry no later than the day-ahead publication it waits for."""
        data = self.data
        if (
            data is None
            or not self._day_ahead(data.tariff_code)
            or isinstance(err, OctopusEnergyRateLimitError)
        ):
            return when
        today = uk_day(now)
        if any(
            s.end >= uk_time(today + timedelta(days=1), HORIZON_TIME)
            for s in data.slots
        ):
            return when  # tomorrow's prices are in
        publish = uk_time(today, PUBLISH_TIME)
        if now < publish:
            return min(when, publish)
        return min(when, now + DAY_AHEAD_RETRY)

    def _keep_on_failure(self, now: datetime) -> bool:
        """The known prices stay right while they cover the current half hour."""
        return self.data is not None and any(
            slot.start <= now < slot.end for slot in self.data.slots
        )

    # -- timers ----------------------------------------------------------------------

    def _schedule_fetch(self, when: datetime) -> None:
        if self._unsub_fetch is not None:
            self._unsub_fetch()
        self.next_retrieval = when
        self._unsub_fetch = async_track_point_in_utc_time(
            self.hass, self._handle_fetch, when
        )

    @callback
    def _handle_fetch(self, _now: datetime) -> None:
        self._unsub_fetch = None
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), name=f"{self.name} retrieval"
        )

    def _schedule_tick(self, now: datetime) -> None:
        if self._unsub_tick is None:
            self._unsub_tick = async_track_point_in_utc_time(
                self.hass, self._handle_tick, floor_slot(now) + SLOT
            )

    @callback
    def _handle_tick(self, _point: datetime) -> None:
        """Half-hour boundary: entities re-read the cached slots.

        The day-rate events of a new UK day are fired here (the slots are known).
        """
        self._unsub_tick = None
        now = dt_util.utcnow()
        self._schedule_tick(now)
        if self.data is not None and self._fire_events(self.data, now):
            self.config_entry.async_create_background_task(
                self.hass, self.async_save(self.data), name=f"{self.name} save"
            )
        self.async_update_listeners()

    @callback
    def async_readjust(self) -> None:
        """Re-apply the intelligent dispatches (no request); fire what changed."""
        if self.data is None or self.adjust is None:
            return
        data = self._adjusted(replace(self.data, slots=self.raw_slots))
        if data == self.data:
            return
        self.data = data
        self._fire_events(data, dt_util.utcnow(), dispatches_updated=True)
        self.config_entry.async_create_background_task(
            self.hass, self.async_save(data), name=f"{self.name} save"
        )
        self.async_update_listeners()

    def _fire_events(
        self, data: MeterRates, now: datetime, *, dispatches_updated: bool = False
    ) -> bool:
        """Fire the day-rate events whose payload changed; True if any did."""
        today = uk_day(now)
        changed = False
        for offset, kind in enumerate(DAY_KINDS, start=-1):
            slots = day_slots(data.slots, today + timedelta(days=offset))
            tariff = slots[0].tariff_code if slots else data.tariff_code
            payload = day_rates_payload(self.meter, tariff or data.tariff_code, slots)
            self.day_payloads[kind] = payload
            digest = payload_digest(payload)
            if self.fired.get(kind) == digest:
                continue
            self.fired[kind] = digest
            if dispatches_updated:
                payload = {**payload, DISPATCHES_UPDATED: True}
                self.day_payloads[kind] = payload
            self.hass.bus.async_fire(day_rates_event(self.meter, kind), payload)
            changed = True
        if changed:
            self.hass.bus.async_fire(
                EVENT_TARGET_TIMEFRAME_DATA_SOURCE,
                target_timeframe_payload(self.meter, data.slots),
            )
        return changed
