"""A coordinator of account data that changes slowly: polled, stored, not re-asked.

`StoredPollCoordinator` polls every `interval` and keeps its data and the time it
was retrieved in its `Store`. `async_start()` restores the stored data; when it is
younger than `interval` nothing is requested and the first poll comes when the
stored data is due, so a restart or a reload makes no request for it. An action
(join, redeem, spin) asks for one targeted retrieval with `async_refresh()`.

Subclasses give `_encode`/`_decode` (the data as a JSON document) and `_async_poll`
(one retrieval, raising the client's exceptions); `_extra_stored` and
`_restore_extra` keep more state (e.g. what was already announced). `phase` shifts a
coordinator's polls against others of the same interval (the wait after its first
retrieval is `interval - phase`), so they do not all ask in the same hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api import OctopusEnergyClient
from .coordinator import OctopusEnergyCoordinator
from .data import OctopusEnergyConfigEntry

MINIMUM_WAIT = timedelta(minutes=1)


class StoredPollCoordinator[DataT](OctopusEnergyCoordinator[DataT]):
    """Polls every `interval`; a restart within the interval makes no request."""

    interval: ClassVar[timedelta]
    phase: ClassVar[timedelta] = timedelta(0)
    """Shortens the wait after the first retrieval of a start, so coordinators of
    the same interval do not all ask in the same hour."""
    stale_after: ClassVar[timedelta | None] = None

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
        *,
        name: str,
        store_key: str,
    ) -> None:
        """Poll the account's data every `interval` (stored as `store_key`)."""
        super().__init__(
            hass,
            entry,
            client,
            name=name,
            update_interval=self.interval,
            store_key=store_key,
        )
        self.account_number = account_number
        self.retrieved: datetime | None = None
        self._phased = False

    def _encode(self, data: DataT) -> dict[str, Any]:
        raise NotImplementedError

    def _decode(self, document: dict[str, Any]) -> DataT | None:
        raise NotImplementedError

    async def _async_poll(self) -> DataT:
        raise NotImplementedError

    def _extra_stored(self) -> dict[str, Any]:
        """More state to store next to the data."""
        return {}

    def _restore_extra(self, stored: dict[str, Any]) -> None:
        """Take the extra state back from the stored document."""

    def _from_stored(self, stored: dict[str, Any]) -> DataT | None:
        retrieved = stored.get("retrieved")
        document = stored.get("data")
        if not isinstance(retrieved, str) or not isinstance(document, dict):
            return None
        try:
            data = self._decode(document)
            moment = dt_util.parse_datetime(retrieved)
        except (KeyError, TypeError, ValueError):
            return None
        if data is None or moment is None:
            return None
        self.retrieved = moment
        self._restore_extra(stored)
        return data

    def _to_stored(self, data: DataT) -> dict[str, Any] | None:
        if self.retrieved is None:
            return None
        return {
            "retrieved": self.retrieved.isoformat(),
            "data": self._encode(data),
            **self._extra_stored(),
        }

    async def async_start(self) -> None:
        """Restore; retrieve (in the background) only when nothing fresh is stored.

        Fresh stored data is shown at once and polled again when it is due.
        """
        await self.async_restore()
        if self.data is not None and self.retrieved is not None:
            wait = self.retrieved + self.interval - dt_util.utcnow()
            if wait > timedelta(0):
                self._phased = True  # the stored retrieval keeps the phase
                self.update_interval = max(wait, MINIMUM_WAIT)
                return
        self.config_entry.async_create_task(
            self.hass, self.async_refresh(), name=f"{self.name} first retrieval"
        )

    async def _async_fetch(self) -> DataT:
        data = await self._async_poll()
        self.retrieved = dt_util.utcnow()
        await self.async_save(data)
        if not self._phased:
            self._phased = True
            self.update_interval = self.interval - self.phase
        return data
