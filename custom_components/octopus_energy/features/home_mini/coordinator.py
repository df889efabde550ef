"""Home Mini live consumption: one coordinator per account, one request per tick.

Every tick (`live_electricity_refresh_minutes`) makes **one** `smartMeterTelemetry`
GraphQL request that carries every electricity Home Mini and, once per half hour
(when a gas meter can have reported a new half hour), the gas Home Mini too; the
devices are aliases of the same document. With 1-minute electricity that is 60
requests an hour, two of which also carry gas (see `live_consumption.py` for the
rules and the minimal period). Without an electricity Home Mini the coordinator
ticks every `live_gas_refresh_minutes` and asks only when gas is due.

Today's half hours, the registers and the retrieval times are kept in a `Store`
(`octopus_energy.{entry_id}_home_mini`, written at most every `SAVE_DELAY` and on
unload/stop), so a restart asks only for the half hours since the newest stored
reading instead of the whole day.

Outages: after a failed request the last good values stay in use (entities
available, `stale` true, each sensor shows `data_age_minutes`) for up to
`STALE_AFTER` (2 hours) after the last successful retrieval; the day still rolls
over at UK midnight. After that the sensors are unavailable until Octopus answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ...api import Fuel, OctopusEnergyClient, OctopusEnergyError
from ...const import DOMAIN, LOGGER
from ...coordinator import OctopusEnergyCoordinator
from ...data import OctopusEnergyConfigEntry
from ...models import AccountSettings, ActiveMeter
from ...timeutil import floor_slot, uk_day
from ..rates.coordinator import RatesCoordinator
from .model import (
    SLOT,
    LiveConsumption,
    fetch_from,
    from_store,
    gas_due,
    merge,
    roll_over,
    to_store,
)

STORAGE_VERSION = 1
SAVE_DELAY = 600  # seconds
STALE_AFTER = timedelta(hours=2)
"""How long the last good values are shown through an outage."""


@dataclass(frozen=True, kw_only=True)
class HomeMiniData:
    """Live consumption per meter (`ActiveMeter.key`)."""

    devices: Mapping[str, LiveConsumption]


def home_mini_meters(meters: Iterable[ActiveMeter]) -> tuple[ActiveMeter, ...]:
    """The meters with live data: electricity import and gas, with a Home Mini."""
    return tuple(
        meter for meter in meters if meter.home_mini_device_id and not meter.is_export
    )


class HomeMiniCoordinator(OctopusEnergyCoordinator[HomeMiniData]):
    """Polls the Home Mini devices of one account in one request per tick."""

    config_entry: OctopusEnergyConfigEntry
    stale_after = STALE_AFTER

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        *,
        client: OctopusEnergyClient,
        meters: Iterable[ActiveMeter],
        settings: AccountSettings,
        rates: Mapping[str, RatesCoordinator],
    ) -> None:
        """Poll electricity every N minutes; gas joins once per half hour."""
        self.client = client
        self.meters = home_mini_meters(meters)
        self.settings = settings
        self.rates = rates
        self._gas_interval = timedelta(minutes=settings.live_gas_refresh_minutes)
        has_electricity = any(m.fuel is Fuel.ELECTRICITY for m in self.meters)
        self._interval = timedelta(
            minutes=settings.live_electricity_refresh_minutes
            if has_electricity
            else settings.live_gas_refresh_minutes
        )
        super().__init__(
            hass,
            entry,
            client,
            name="Octopus Energy Home Mini",
            update_interval=self._interval,
            always_update=False,
        )
        self._home_mini_store = home_mini_store(hass, entry.entry_id)
        self._live: dict[str, LiveConsumption] = {}
        self._save_pending = False

    async def async_restore(self) -> None:
        """Load the stored state (today's half hours) so a start asks for little.

        Call before the first refresh; later calls do nothing.
        """
        if self._restored:
            return
        self._restored = True
        stored = await self._home_mini_store.async_load() or {}
        devices = stored.get("devices")
        if not isinstance(devices, dict):
            return
        today = uk_day(dt_util.utcnow())
        for meter in self.meters:
            data = devices.get(meter.key)
            live = from_store(data) if isinstance(data, dict) else None
            if live is not None:
                self._live[meter.key] = roll_over(live, today)
        if self._live:
            self.data = HomeMiniData(devices=dict(self._live))

    def _due(self, now: datetime) -> list[ActiveMeter]:
        """The meters to ask for now: electricity always, gas when due."""
        return [
            meter
            for meter in self.meters
            if meter.fuel is Fuel.ELECTRICITY
            or gas_due(self._live.get(meter.key), now, self._gas_interval)
        ]

    def add_meters(self, meters: Iterable[ActiveMeter]) -> list[ActiveMeter]:
        """Poll new Home Mini meters too; returns those added."""
        known = {meter.key for meter in self.meters}
        added = [m for m in home_mini_meters(meters) if m.key not in known]
        self.meters = (*self.meters, *added)
        return added

    async def _async_fetch(self) -> HomeMiniData:
        """One telemetry request for the due devices, then roll the day over."""
        await self._async_poll()
        today = uk_day(dt_util.utcnow())
        for key, live in self._live.items():
            self._live[key] = roll_over(live, today)
        self._schedule_save()
        return HomeMiniData(devices=dict(self._live))

    async def _async_poll(self) -> None:
        """Ask for the due devices since their newest half hour, in one request."""
        now = dt_util.utcnow()
        if not (due := self._due(now)):
            return
        if self.data is not None and self.over_budget():
            LOGGER.debug("Home Mini poll skipped: the hour's request budget is used")
            return
        start = min(fetch_from(self._live.get(m.key), now) for m in due)
        device_ids = list(dict.fromkeys(str(m.home_mini_device_id) for m in due))
        readings = await self.client.get_smart_meter_telemetry(
            device_ids, start, floor_slot(now) + SLOT
        )
        for meter in due:
            live = self._live.get(meter.key) or LiveConsumption(day=uk_day(now))
            self._live[meter.key] = merge(
                live, readings.get(str(meter.home_mini_device_id), []), now
            )

    def _handle_failure(self, err: OctopusEnergyError, now: datetime) -> HomeMiniData:
        """Keep the last values (see the module doc); today's totals still reset."""
        today = uk_day(now)
        if self.data is not None and any(
            live.day != today for live in self._live.values()
        ):
            self._live = {
                key: roll_over(live, today) for key, live in self._live.items()
            }
            self.data = HomeMiniData(devices=dict(self._live))
        data = super()._handle_failure(err, now)
        # Unchanged data does not notify (`always_update=False`); the age changed.
        self.async_update_listeners()
        return data

    def _schedule_save(self) -> None:
        """Save at most every `SAVE_DELAY` (and on unload or stop)."""
        if not self._save_pending:
            self._save_pending = True
            self._home_mini_store.async_delay_save(self._stored, SAVE_DELAY)

    def _stored(self) -> dict[str, Any]:
        self._save_pending = False
        return {"devices": {key: to_store(live) for key, live in self._live.items()}}

    async def async_shutdown(self) -> None:
        """Stop polling and write what is pending."""
        await super().async_shutdown()
        if self._save_pending:
            await self._home_mini_store.async_save(self._stored())


def home_mini_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """The Home Mini store of an entry (`async_remove()` it when the entry goes)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}_home_mini")
