"""The one base of every Octopus Energy coordinator.

`OctopusEnergyCoordinator` owns what every feature's coordinator needs:

- **Restore once.** With a `store_key`, the coordinator's data is kept in a
  versioned `Store` (`octopus_energy.{entry_id}_{store_key}`): `async_restore()`
  loads it once before the first refresh (`_from_stored`), and every retrieval
  whose data changed is saved (`_to_stored`). A start while Octopus is down shows
  the stored data.
- **Errors keep their type.** `_async_fetch` raises the client's exceptions; the
  base maps an authentication failure to `ConfigEntryAuthFailed` (reauth) only
  when the client's token manager says the key is refused for good (3 refused
  token requests with the key over at least 2 hours, `key_refused_for_good`);
  before that, and for any other API error, it backs off like any failure
  (`UpdateFailed`: entities unavailable unless the stale policy keeps the data;
  one log line). The API error itself is kept in `last_error` / `last_error_time`
  for the API-health sensor and the repairs.
- **Stale policy.** After a failure the last data is kept (entities stay
  available, `stale` is true) while `_keep_on_failure(now)` says it is still
  right: by default for `stale_after` after the last success.
- **One back-off.** The next attempt after a failure waits 1, 5, 15, then 30
  minutes, never less than the API's `Retry-After`, and at least 5 minutes on a
  rate limit without one (`retry_delay`).
- **The request budget.** Octopus shares about 100 requests an hour between the
  app, this integration and anything else using the account. `over_budget()` tells
  an elastic poller (Home Mini telemetry) to skip a poll while the account has used
  `ELASTIC_LIMIT` requests in the last hour, which keeps the account's busiest hour
  at `HOURLY_BUDGET` or less whatever else is due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyClient,
    OctopusEnergyError,
    OctopusEnergyRateLimitError,
)
from .const import DOMAIN, LOGGER
from .data import OctopusEnergyConfigEntry
from .models import AccountSettings, ActiveMeter

HOURLY_BUDGET: Final = 60
"""The most requests the account makes in any rolling hour."""
ELASTIC_LIMIT: Final = 50
"""Elastic polls give way from this many requests in the last hour; the rest of the
budget is kept for requests that cannot wait (tokens, rates, yesterday's data)."""
BACKOFF: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
)
RATE_LIMIT_MINIMUM: Final = timedelta(minutes=5)


class OctopusEnergyCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """A coordinator of one account entry (see the module doc)."""

    config_entry: OctopusEnergyConfigEntry
    store_version: ClassVar[int] = 1
    stale_after: ClassVar[timedelta | None] = None
    """How long the last data stays in use after failures (None: not at all)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        *,
        name: str,
        update_interval: timedelta | None,
        store_key: str | None = None,
        always_update: bool = True,
    ) -> None:
        """Create the coordinator; nothing is loaded or fetched yet."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=name,
            update_interval=update_interval,
            always_update=always_update,
        )
        self.client = client
        self.default_interval = update_interval
        self.last_error: OctopusEnergyError | None = None
        self.last_error_time: datetime | None = None
        self.last_success: datetime | None = None
        self.failures = 0
        self.stale = False
        self.retry_at: datetime | None = None
        self._started = dt_util.utcnow()
        self._store: Store[dict[str, Any]] | None = (
            Store(hass, self.store_version, f"{DOMAIN}.{entry.entry_id}_{store_key}")
            if store_key
            else None
        )
        self._restored = False

    async def async_restore(self) -> None:
        """Load the stored data (once; later calls do nothing)."""
        if self._restored:
            return
        self._restored = True
        if self._store is None:
            return
        stored = await self._store.async_load()
        if isinstance(stored, dict) and (data := self._from_stored(stored)) is not None:
            self.data = data

    def _from_stored(self, stored: dict[str, Any]) -> DataT | None:  # noqa: ARG002
        """The data of a stored document, or None when it no longer applies."""
        return None

    def _to_stored(self, data: DataT) -> dict[str, Any] | None:  # noqa: ARG002
        """The document to store for `data` (None: nothing to store)."""
        return None

    async def async_save(self, data: DataT) -> None:
        """Store `data` now."""
        if self._store is not None and (document := self._to_stored(data)):
            await self._store.async_save(document)

    async def async_remove_store(self) -> None:
        """Delete the stored data (the entry is being removed)."""
        if self._store is not None:
            await self._store.async_remove()

    async def _async_setup(self) -> None:
        """Restore before the first refresh."""
        await self.async_restore()

    async def _async_fetch(self) -> DataT:
        """Retrieve the data (raise the client's exceptions)."""
        raise NotImplementedError

    async def _async_update_data(self) -> DataT:
        now = dt_util.utcnow()
        self.update_interval = self.default_interval
        try:
            data = await self._async_fetch()
        except OctopusEnergyAuthenticationError as err:
            if not self.client.tokens.key_refused_for_good:
                return self._handle_failure(err, now)
            self._record_error(err, now)
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OctopusEnergyError as err:
            return self._handle_failure(err, now)
        if self.failures:
            LOGGER.info("%s: Octopus Energy answers again", self.name)
        self.failures = 0
        self.stale = False
        self.retry_at = None
        self.last_error = None
        self.last_success = now
        return data

    def _record_error(self, err: OctopusEnergyError, now: datetime) -> None:
        self.last_error = err
        self.last_error_time = now

    def _handle_failure(self, err: OctopusEnergyError, now: datetime) -> DataT:
        """Back off; keep the last data while it is still right, else raise."""
        self._record_error(err, now)
        delay = self.retry_delay(err)
        self.failures += 1
        self.retry_at = now + delay
        if self.update_interval is not None:
            self.update_interval = delay
        if self.data is not None and self._keep_on_failure(now):
            if not self.stale:
                LOGGER.warning("%s: keeping the last data: %s", self.name, err)
            self.stale = True
            return self.data
        raise self._update_failed(err, delay)

    def _keep_on_failure(self, now: datetime) -> bool:
        """Whether the last data may still be shown after a failure."""
        if self.stale_after is None:
            return False
        since = self.last_success or self._started
        return now - since <= self.stale_after

    def retry_delay(self, err: OctopusEnergyError | None) -> timedelta:
        """The wait before the next attempt after the current number of failures."""
        delay = BACKOFF[min(self.failures, len(BACKOFF) - 1)]
        if isinstance(err, OctopusEnergyRateLimitError):
            wait = timedelta(seconds=err.retry_after or 0)
            delay = max(delay, wait if err.retry_after else RATE_LIMIT_MINIMUM)
        return delay

    def over_budget(self) -> bool:
        """Whether an elastic poll should give way to the account's request budget."""
        return self.client.request_counter.requests_last_hour >= ELASTIC_LIMIT

    def _update_failed(self, err: OctopusEnergyError, delay: timedelta) -> UpdateFailed:
        """The translated failure, naming the wait before the next attempt."""
        seconds = str(round(delay.total_seconds()))
        if isinstance(err, OctopusEnergyRateLimitError):
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": seconds},
            )
        if isinstance(err, OctopusEnergyAuthenticationError):
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="authorisation_refused",
                translation_placeholders={"seconds": seconds},
            )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="communication_error",
            translation_placeholders={"error": str(err)},
        )


class MeterCoordinator[DataT](OctopusEnergyCoordinator[DataT]):
    """The data of one meter, stored as `{purpose}_{meter key}`."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        meter: ActiveMeter,
        settings: AccountSettings,
        *,
        purpose: str,
        update_interval: timedelta | None,
    ) -> None:
        """Name the coordinator and its Store after the meter and `purpose`."""
        super().__init__(
            hass,
            entry,
            client,
            name=f"{meter.fuel.value}{meter.export_part} {purpose}",
            update_interval=update_interval,
            store_key=f"{purpose.replace(' ', '_')}_{meter.key}",
        )
        self.meter = meter
        self.settings = settings
