"""Rates and standing charge of one meter: fetched only when they can have changed.

Window: yesterday 00:00 → the end of tomorrow (UK days). The coordinator has no
polling interval; it schedules its own retrievals:

- Only the part of the window after the last known half hour is requested
  (incremental, like the community integration). Once the window is covered, the
  next retrieval is at the next UK midnight (a fixed tariff: one unit-rate request
  per day for the new tomorrow).
- Day-ahead tariffs (Agile, Agile Outgoing: learnt from a retrieval that did not
  cover tomorrow; presumed from "AGILE" in the tariff code) are not asked for
  tomorrow before 16:00 UK; from 16:00 every 15 minutes until tomorrow appears.
- A missing earlier part (today or yesterday) is retried every 60 minutes.
- The standing charge is requested when the UK day or the tariff changes.
- A failed retrieval is retried after 1, 5, 15, then every 30 minutes (or when the
  API's rate limit allows).

Listeners are updated exactly on half-hour boundaries (entities derive the current,
previous and next rates from the cached slots). Data is persisted with `Store` so a
restart while the API is down starts from the stored rates.

Failures: the retrieval error always reaches the API-health sensor, but entities go
unavailable only when the known slots no longer cover the current half hour; while
they do, the published prices are still right and stay available (one warning per
failure episode). An authentication failure starts reauth.

Events: `octopus_energy_{fuel}_{previous|current|next}_day_rates` for each day slice
whose rates changed (and on a UK day change), followed by
`target_timeframe_update_data_source` with every known slot.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from ...api import OctopusEnergyClient, OctopusEnergyRateLimitError
from ...const import (
    EVENT_PREFIX,
    EVENT_TARGET_TIMEFRAME_DATA_SOURCE,
    LOGGER,
    UK_TZ,
)
from ...coordinator import MeterCoordinator, api_errors
from ...data import OctopusEnergyConfigEntry
from ...models import AccountSettings, ActiveMeter, MeterRates, RateSlot
from .fetch import async_fetch_rates, async_fetch_standing_charge, floor_slot
from .store import STORAGE_VERSION, from_stored, to_stored
from .tariff import (
    day_rates_payload,
    day_slots,
    target_timeframe_payload,
    uk_day,
    uk_day_bounds,
)

SLOT = timedelta(minutes=30)
PUBLISH_TIME = time(16, 0)
DAY_AHEAD_RETRY = timedelta(minutes=15)
MISSING_RETRY = timedelta(minutes=60)
FAILURE_RETRIES = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
)
DAY_KINDS = ("previous", "current", "next")


def day_rates_event(meter: ActiveMeter, kind: str) -> str:
    """`octopus_energy_{fuel}_{kind}_day_rates` (community name)."""
    return f"{EVENT_PREFIX}_{meter.fuel.value}_{kind}_day_rates"


class RatesCoordinator(MeterCoordinator[MeterRates]):
    """Rates (3 UK days) and today's standing charge of one meter."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        meter: ActiveMeter,
        settings: AccountSettings,
    ) -> None:
        """Create the coordinator; nothing is fetched until the first refresh."""
        super().__init__(
            hass,
            entry,
            client,
            meter,
            settings,
            purpose="rates",
            store_version=STORAGE_VERSION,
            update_interval=None,
        )
        self.day_ahead = "AGILE" in meter.tariff_code.upper()
        self.next_retrieval: datetime | None = None
        self.day_payloads: dict[str, dict[str, Any]] = {}
        """The last payload fired per day kind (previous/current/next)."""
        self._fired: dict[str, tuple[Any, ...]] = {}
        self._failures = 0
        self._unsub_fetch: CALLBACK_TYPE | None = None
        self._unsub_tick: CALLBACK_TYPE | None = None

    def _restore(self, stored: dict[str, Any]) -> None:
        """Restore the stored rates unless the tariff changed since."""
        if stored.get("tariff_code") != self.meter.tariff_code:
            return
        self.data = from_stored(stored)
        self.day_ahead = bool(stored.get("day_ahead", self.day_ahead))

    async def _async_setup(self) -> None:
        """Restore before the first refresh."""
        await self.async_restore()

    async def async_shutdown(self) -> None:
        """Cancel the timers."""
        await super().async_shutdown()
        for unsub in (self._unsub_fetch, self._unsub_tick):
            if unsub is not None:
                unsub()
        self._unsub_fetch = self._unsub_tick = None

    async def _async_update_data(self) -> MeterRates:
        now = dt_util.utcnow()
        self._schedule_tick(now)
        try:
            data = await self._async_retrieve()
        except UpdateFailed as err:
            self.last_api_error = err
            self._schedule_fetch(now + self._failure_delay(err))
            self._failures += 1
            if self.data is None or not _covers(self.data, now):
                raise
            if self._failures == 1:
                LOGGER.warning("Rates kept from the last retrieval: %s", err)
            data = self._trimmed(self.data, now)
        else:
            if self._failures and self.last_update_success:
                LOGGER.info("Rates retrieval recovered")
            self._failures = 0
            self.last_api_error = None
            self._schedule_fetch(self._next_retrieval(data, now))
        self._fire_events(data, now)
        return data

    @api_errors
    async def _async_retrieve(self) -> MeterRates:
        """Fetch what is missing: the rates after the last known slot, the charge."""
        now = dt_util.utcnow()
        today = uk_day(now)
        current: MeterRates | None = None
        if self.data is not None and self.data.tariff_code == self.meter.tariff_code:
            current = self._trimmed(self.data, now)
        slots = list(current.slots) if current else []
        start = uk_day_bounds(today - timedelta(days=1))[0]
        end = uk_day_bounds(today + timedelta(days=1))[1]
        fetch_from = max(start, slots[-1].end) if slots else start
        if fetch_from < end and self._due(fetch_from, now):
            new = await async_fetch_rates(
                self.client, self.meter, self.settings, fetch_from, end
            )
            slots.extend(slot for slot in new if slot.start >= fetch_from)
            self._learn(fetch_from, slots, now)
        charge = current.standing_charge if current else None
        if current is None or current.standing_charge_day != today:
            charge = await async_fetch_standing_charge(
                self.client, self.meter, self.settings, today
            )
        data = MeterRates(
            tariff_code=self.meter.tariff_code,
            slots=tuple(slots),
            standing_charge=charge,
            standing_charge_day=today,
        )
        if data != self.data:
            await self._store.async_save(to_stored(data, day_ahead=self.day_ahead))
        return data

    def _trimmed(self, data: MeterRates, now: datetime) -> MeterRates:
        start = uk_day_bounds(uk_day(now) - timedelta(days=1))[0]
        if not data.slots or data.slots[0].start >= start:
            return data
        slots = tuple(slot for slot in data.slots if slot.start >= start)
        return MeterRates(
            tariff_code=data.tariff_code,
            slots=slots,
            standing_charge=data.standing_charge,
            standing_charge_day=data.standing_charge_day,
        )

    def _due(self, fetch_from: datetime, now: datetime) -> bool:
        """False when only tomorrow is missing on a day-ahead tariff before 16:00."""
        today = uk_day(now)
        tomorrow = uk_day_bounds(today)[1]
        publish = datetime.combine(today, PUBLISH_TIME, UK_TZ)
        return not (self.day_ahead and fetch_from >= tomorrow and now < publish)

    def _learn(
        self, fetch_from: datetime, slots: list[RateSlot], now: datetime
    ) -> None:
        """Learn whether the tariff publishes tomorrow only in the afternoon."""
        today = uk_day(now)
        tomorrow_start, tomorrow_end = uk_day_bounds(today + timedelta(days=1))
        if fetch_from > tomorrow_start:
            return
        covered = bool(slots) and slots[-1].end >= tomorrow_end
        if not covered:
            self.day_ahead = True
        elif now < datetime.combine(today, PUBLISH_TIME, UK_TZ):
            self.day_ahead = False

    def _next_retrieval(self, data: MeterRates, now: datetime) -> datetime:
        today = uk_day(now)
        midnight = uk_day_bounds(today)[1]
        tomorrow_end = uk_day_bounds(today + timedelta(days=1))[1]
        covered = data.slots[-1].end if data.slots else None
        if covered is not None and covered >= tomorrow_end:
            return midnight
        if covered is None or covered < midnight:
            return min(now + MISSING_RETRY, midnight)
        publish = datetime.combine(today, PUBLISH_TIME, UK_TZ)
        if self.day_ahead and now < publish:
            return publish
        return min(now + DAY_AHEAD_RETRY, midnight)

    def _failure_delay(self, err: UpdateFailed) -> timedelta:
        delay = FAILURE_RETRIES[min(self._failures, len(FAILURE_RETRIES) - 1)]
        cause = err.__cause__
        if isinstance(cause, OctopusEnergyRateLimitError) and cause.retry_after:
            delay = max(delay, timedelta(seconds=cause.retry_after))
        return delay

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

        The day-rate events of a new UK day normally come with the retrieval due at
        midnight; they are fired here too in case that retrieval is held back.
        """
        self._unsub_tick = None
        now = dt_util.utcnow()
        self._schedule_tick(now)
        if self.data is not None:
            self._fire_events(self.data, now)
        self.async_update_listeners()

    def _fire_events(self, data: MeterRates, now: datetime) -> None:
        today = uk_day(now)
        changed = False
        for offset, kind in enumerate(DAY_KINDS, start=-1):
            day = today + timedelta(days=offset)
            slots = day_slots(data.slots, day)
            key = (day, data.tariff_code, tuple(slots))
            if self._fired.get(kind) == key:
                continue
            self._fired[kind] = key
            payload = day_rates_payload(self.meter, data.tariff_code, slots)
            self.day_payloads[kind] = payload
            self.hass.bus.async_fire(day_rates_event(self.meter, kind), payload)
            changed = True
        if changed:
            self.hass.bus.async_fire(
                EVENT_TARGET_TIMEFRAME_DATA_SOURCE,
                target_timeframe_payload(self.meter, data.slots),
            )


def _covers(data: MeterRates, now: datetime) -> bool:
    return any(slot.start <= now < slot.end for slot in data.slots)


def create_rates_coordinators(
    hass: HomeAssistant,
    entry: OctopusEnergyConfigEntry,
    client: OctopusEnergyClient,
    meters: tuple[ActiveMeter, ...] | list[ActiveMeter],
    settings: AccountSettings,
) -> dict[str, RatesCoordinator]:
    """One rates coordinator per active meter, keyed by `ActiveMeter.key`.

    Call `async_config_entry_first_refresh()` on each: it restores the stored rates
    first (`async_restore`), so setup works while the API is down as long as the
    stored slots cover now.
    """
    return {
        meter.key: RatesCoordinator(hass, entry, client, meter, settings)
        for meter in meters
    }
