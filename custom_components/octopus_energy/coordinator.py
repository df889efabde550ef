"""What the Octopus Energy coordinators share: API error mapping, a stored meter."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyClient,
    OctopusEnergyError,
    OctopusEnergyRateLimitError,
)
from .const import DOMAIN, LOGGER
from .data import OctopusEnergyConfigEntry
from .models import AccountSettings, ActiveMeter


def api_errors[CoordinatorT: DataUpdateCoordinator[Any], DataT](
    func: Callable[[CoordinatorT], Coroutine[Any, Any, DataT]],
) -> Callable[[CoordinatorT], Coroutine[Any, Any, DataT]]:
    """Map API errors of an update to what HA's coordinator machinery expects.

    Authentication → ConfigEntryAuthFailed (HA starts reauth); rate limit →
    UpdateFailed and no new attempt before Octopus allows it; any other API error →
    UpdateFailed (entities go unavailable, one log line, recovery logged once).
    The API error stays the `__cause__` (the API-health sensor and the repairs
    read it).
    """

    @wraps(func)
    async def update(self: CoordinatorT) -> DataT:
        try:
            return await func(self)
        except OctopusEnergyAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OctopusEnergyRateLimitError as err:
            if err.retry_after and self.update_interval is not None:
                wait = timedelta(seconds=err.retry_after)
                self.update_interval = max(self.update_interval, wait)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(err.retry_after or 0))},
            ) from err
        except OctopusEnergyError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err

    return update


class MeterCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """The data of one meter, kept in a Store so a start with the API down has it.

    Subclasses restore their data from the stored payload in `_restore`.
    """

    config_entry: OctopusEnergyConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        meter: ActiveMeter,
        settings: AccountSettings,
        *,
        purpose: str,
        store_version: int,
        update_interval: timedelta | None,
    ) -> None:
        """Name the coordinator and its Store after the meter and `purpose`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{meter.fuel.value}{meter.export_part} {purpose}",
            update_interval=update_interval,
        )
        self.client = client
        self.meter = meter
        self.settings = settings
        self.last_api_error: BaseException | None = None
        """A failure hidden by stored data still in use (for the API health sensor)."""
        key = purpose.replace(" ", "_")
        self._store: Store[dict[str, Any]] = Store(
            hass, store_version, f"{DOMAIN}.{entry.entry_id}_{key}_{meter.key}"
        )
        self._restored = False

    async def async_restore(self) -> None:
        """Load the stored data (once, before the first refresh)."""
        if self._restored:
            return
        self._restored = True
        stored = await self._store.async_load()
        if stored is not None:
            self._restore(stored)

    def _restore(self, stored: dict[str, Any]) -> None:
        """Set `self.data` from a stored payload."""
        raise NotImplementedError
