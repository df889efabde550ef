"""Previous-day consumption of one meter: polls until yesterday is complete.

Schedule: at 00:05 UK time the day that just ended becomes "yesterday" and one
consumption request asks for it (together with any day the external statistics
still miss, up to `MAX_BACKFILL_DAYS`). While yesterday is incomplete the request is
repeated after 30, 30, 60, 60 and then every 120 minutes; once it is complete
(46, 48 or 50 half hours) nothing is requested until the next day. Rates come from
the meter's rates coordinator when it holds the day (it keeps yesterday), else one
`async_fetch_rates`; the standing charge likewise.

A new complete day is stored (`octopus_energy.{entry_id}_previous_consumption_
{meter}`), fires `octopus_energy_{fuel}_previous_consumption_rates` and is imported
into the external statistics together with every complete day missed since the
last imported hour (HA downtime leaves no gaps). A day still incomplete 3 days
after it ended is imported as it is, so one missing reading cannot stall the
import.

Failures raise (entities go unavailable, HA logs once), except on the first
refresh when stored data exists: setup then works offline with the stored day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ...api import Account, OctopusEnergyClient
from ...const import EVENT_PREFIX
from ...coordinator import MeterCoordinator
from ...data import OctopusEnergyConfigEntry
from ...models import AccountSettings, ActiveMeter, MeterRates, RateSlot
from ...timeutil import UK_TZ, uk_day, uk_day_bounds
from ..account.meters import meter_on
from ..rates.coordinator import RatesCoordinator
from ..rates.fetch import async_fetch_rates, async_fetch_standing_charge
from ..rates.tariff import day_rates_payload, is_day_complete
from .model import (
    PreviousDay,
    from_stored,
    is_complete,
    previous_day,
    readings_by_day,
    to_stored,
)
from .statistics import async_import_days, async_next_day_to_import

CHECK_AFTER_MIDNIGHT = time(0, 5)
RETRY_DELAYS = (
    timedelta(minutes=30),
    timedelta(minutes=30),
    timedelta(minutes=60),
    timedelta(minutes=60),
    timedelta(minutes=120),
)
FAILURE_RETRY = timedelta(minutes=30)
MAX_BACKFILL_DAYS = 14
CONSUMPTION_PAGE_SIZE = 1500
"""Half hours per page: a backfill (14 days = 672) takes one request."""
IMPORT_INCOMPLETE_AFTER_DAYS = 3


def previous_consumption_event(meter: ActiveMeter) -> str:
    """`octopus_energy_{fuel}_previous_consumption_rates` (community name)."""
    return f"{EVENT_PREFIX}_{meter.fuel.value}_previous_consumption_rates"


class PreviousConsumptionCoordinator(MeterCoordinator[PreviousDay | None]):
    """The latest complete UK day of one meter (None until one is known)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        meter: ActiveMeter,
        settings: AccountSettings,
        *,
        rates: RatesCoordinator | None,
        account: DataUpdateCoordinator[Account],
    ) -> None:
        """Create the coordinator; nothing is fetched until the first refresh."""
        super().__init__(
            hass,
            entry,
            client,
            meter,
            settings,
            purpose="previous consumption",
            update_interval=FAILURE_RETRY,
        )
        self.rates = rates
        self.account = account
        self._attempts = 0
        self._attempt_day: date | None = None

    def _from_stored(self, stored: dict[str, Any]) -> PreviousDay | None:
        return from_stored(stored)

    def _to_stored(self, data: PreviousDay | None) -> dict[str, Any] | None:
        return to_stored(data) if data is not None else None

    def rates_payload(self) -> dict[str, Any] | None:
        """The previous-consumption-rates payload of the published day."""
        data = self.data
        if data is None:
            return None
        return day_rates_payload(self.meter, data.tariff_code, data.rates)

    def _keep_on_failure(self, now: datetime) -> bool:  # noqa: ARG002
        """The stored day is shown when the first retrieval after setup fails."""
        return self.last_success is None and self.failures == 1

    async def _async_fetch(self) -> PreviousDay | None:
        now = dt_util.utcnow()
        yesterday = uk_day(now) - timedelta(days=1)
        first_missing = await self._first_missing_statistics_day(yesterday)
        have_yesterday = self.data is not None and self.data.day >= yesterday
        if have_yesterday and (first_missing is None or first_missing > yesterday):
            self.update_interval = _until_next_check(now)
            return self.data
        # Without a stored day (e.g. after switching from the community
        # integration, whose statistics are complete) yesterday is still asked for.
        start_day = (
            yesterday if first_missing is None else min(first_missing, yesterday)
        )
        by_day = await self._readings(start_day, yesterday)
        complete = [day for day in sorted(by_day) if is_complete(day, by_day[day])]
        latest = complete[-1] if complete else None
        to_import = _days_to_import(by_day, start_day, yesterday)
        needed = {*to_import}
        publish = latest is not None and (self.data is None or latest > self.data.day)
        if publish and latest is not None:
            needed.add(latest)
        slots = await self._rates_for(needed)
        data = self.data
        if publish and latest is not None:
            data = await self._publish(latest, by_day[latest], slots)
        if to_import and "recorder" in self.hass.config.components:
            await self._import(to_import, by_day, slots)
        self.update_interval = (
            _until_next_check(now)
            if latest == yesterday
            else self._retry_delay(yesterday)
        )
        return data

    async def _first_missing_statistics_day(self, yesterday: date) -> date | None:
        """The first day the statistics miss (bounded); None without history."""
        if "recorder" not in self.hass.config.components:
            return None
        next_day = await async_next_day_to_import(self.hass, self.meter)
        if next_day is None:
            return None
        return max(next_day, yesterday - timedelta(days=MAX_BACKFILL_DAYS - 1))

    async def _readings(
        self, first: date, last: date
    ) -> dict[date, dict[datetime, float]]:
        start = uk_day_bounds(first)[0]
        end = uk_day_bounds(last)[1]
        readings = await self.client.get_consumption(
            self.meter.fuel,
            self.meter.mpxn,
            self.meter.serial_number,
            period_from=start,
            period_to=end,
            page_size=CONSUMPTION_PAGE_SIZE,
        )
        return {
            day: values
            for day, values in readings_by_day(readings).items()
            if first <= day <= last
        }

    async def _cached_rates(self) -> MeterRates | None:
        """The rates coordinator's data (restored first when set up in parallel)."""
        if self.rates is None:
            return None
        await self.rates.async_restore()  # idempotent: loads its stored rates
        return self.rates.data

    def _meter_on(self, day: date) -> ActiveMeter:
        """The meter with the tariff of its agreement on `day`.

        A day before a tariff change is priced with the tariff it had; without an
        agreement that day the current tariff is used.
        """
        return (
            meter_on(self.account.data, self.meter, uk_day_bounds(day)[0]) or self.meter
        )

    async def _rates_for(self, days: set[date]) -> list[RateSlot]:
        """Rates covering `days`, each day at its own tariff: cached, else fetched."""
        if not days:
            return []
        cached = await self._cached_rates()
        slots = list(cached.slots) if cached else []
        cached_tariff = cached.tariff_code if cached else ""
        to_fetch: dict[ActiveMeter, list[date]] = {}
        for day in sorted(days):
            meter = self._meter_on(day)
            day_slots = [s for s in slots if uk_day(s.start) == day]
            if not is_day_complete(day_slots, day) or any(
                (s.tariff_code or cached_tariff) != meter.tariff_code for s in day_slots
            ):
                to_fetch.setdefault(meter, []).append(day)
        for meter, group in to_fetch.items():
            fetched = await async_fetch_rates(
                self.client,
                meter,
                self.settings,
                uk_day_bounds(group[0])[0],
                uk_day_bounds(group[-1])[1],
            )
            wanted = [slot for slot in fetched if uk_day(slot.start) in group]
            starts = {slot.start for slot in wanted}
            slots = [*wanted, *(s for s in slots if s.start not in starts)]
        return sorted(slots, key=lambda slot: slot.start)

    async def _standing_charge(self, day: date) -> float | None:
        meter = self._meter_on(day)
        cached = await self._cached_rates()
        start = uk_day_bounds(day)[0]
        charge = (
            cached.standing_charge
            if cached is not None and cached.tariff_code == meter.tariff_code
            else None
        )
        if (
            charge is not None
            and (charge.start is None or charge.start <= start)
            and (charge.end is None or charge.end > start)
        ):
            return charge.value
        fetched = await async_fetch_standing_charge(
            self.client, meter, self.settings, day
        )
        return fetched.value if fetched else None

    async def _publish(
        self, day: date, readings: dict[datetime, float], slots: list[RateSlot]
    ) -> PreviousDay:
        data = previous_day(
            self.meter,
            day,
            readings,
            slots,
            standing_charge=await self._standing_charge(day),
            calorific_value=self.settings.calorific_value,
        )
        await self.async_save(data)
        self.hass.bus.async_fire(
            previous_consumption_event(self.meter),
            day_rates_payload(self.meter, data.tariff_code, data.rates),
        )
        return data

    async def _import(
        self,
        days: list[date],
        by_day: Mapping[date, dict[datetime, float]],
        slots: list[RateSlot],
    ) -> None:
        await async_import_days(
            self.hass,
            self.meter,
            [
                previous_day(
                    self.meter,
                    day,
                    by_day[day],
                    slots,
                    standing_charge=None,
                    calorific_value=self.settings.calorific_value,
                )
                for day in days
            ],
        )

    def _retry_delay(self, yesterday: date) -> timedelta:
        if self._attempt_day != yesterday:
            self._attempt_day, self._attempts = yesterday, 0
        delay = RETRY_DELAYS[min(self._attempts, len(RETRY_DELAYS) - 1)]
        self._attempts += 1
        return delay

    async def async_import_history(
        self,
        start: date,
        progress: Callable[[date, int, int], None],
        chunk_days: int = 7,
    ) -> int:
        """Re-import the statistics from `start` to yesterday, chunk by chunk.

        Sequential requests (one consumption and one rates request per chunk);
        `progress(day, done, total)` is called after each day. API errors are
        raised as they are (the service maps them). Returns the days processed.
        """
        yesterday = uk_day(dt_util.utcnow()) - timedelta(days=1)
        total = (yesterday - start).days + 1
        sums: dict[str, float] = {}
        done = 0
        first = start
        while first <= yesterday:
            last = min(first + timedelta(days=chunk_days - 1), yesterday)
            by_day = await self._readings(first, last)
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            slots = await self._rates_for(set(days))
            for day in days:
                previous = previous_day(
                    self.meter,
                    day,
                    by_day.get(day, {}),
                    slots,
                    standing_charge=None,
                    calorific_value=self.settings.calorific_value,
                )
                if previous.charges:
                    sums = await async_import_days(
                        self.hass, self.meter, [previous], sums
                    )
                done += 1
                progress(day, done, total)
            first = last + timedelta(days=1)
        return done


def _days_to_import(
    by_day: Mapping[date, dict[datetime, float]], first: date, yesterday: date
) -> list[date]:
    """Consecutive days from `first` to import now (stops at a recent gap)."""
    days = []
    day = first
    while day <= yesterday:
        readings = by_day.get(day, {})
        if not is_complete(day, readings):
            if (yesterday - day).days < IMPORT_INCOMPLETE_AFTER_DAYS:
                break
            if not readings:
                day += timedelta(days=1)
                continue
        days.append(day)
        day += timedelta(days=1)
    return days


def _until_next_check(now: datetime) -> timedelta:
    """Time until 00:05 UK of the next day."""
    tomorrow = uk_day(now) + timedelta(days=1)
    check = datetime.combine(tomorrow, CHECK_AFTER_MIDNIGHT, UK_TZ)
    return max(check - now, timedelta(minutes=1))
