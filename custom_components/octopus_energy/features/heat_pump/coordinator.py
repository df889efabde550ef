"""Heat-pump coordinators: controller discovery, and one poller per controller.

- `HeatPumpDiscoveryCoordinator` asks `heatPumpControllersAtLocation` once per
  occupied property at setup and after every account retrieval (every 6 hours);
  it does not poll. The EUIDs are stored (`octopus_energy.{entry_id}_heat_pump_ids`)
  so a start while Octopus is down still knows the controllers.
- `HeatPumpCoordinator` (one per controller) polls every 3 minutes with **one**
  request carrying status, configuration and live performance; the lifetime
  figures join that request once an hour (20 requests an hour per controller,
  live values at most 3 minutes old). The last answer is stored
  (`octopus_energy.{entry_id}_heat_pump_{euid}`, written when the configuration
  changes or the lifetime figures are new) so a restart shows the zones at once,
  and one failed poll keeps the data (`stale_after`).

The polls give way to the account's hourly budget only near its end
(`POLL_LIMIT`, 56 requests in the last hour, against the Home Mini's 50): next to
a 1-minute Home Mini the Home Mini yields, the heat pump keeps its 20 polls an
hour (a few wait in the hour of setup) and the account stays within
`HOURLY_BUDGET`.

A command accepted by Octopus is shown at once (`apply`); one refresh
`CONFIRM_DELAY` later confirms it or reverts it to what the controller reports.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util, slugify

from ...api import Account, HeatPump, OctopusEnergyClient
from ...const import LOGGER
from ...coordinator import HOURLY_BUDGET, OctopusEnergyCoordinator
from ...data import OctopusEnergyConfigEntry
from .model import with_lifetime_of

UPDATE_INTERVAL: Final = timedelta(minutes=3)
LIFETIME_INTERVAL: Final = timedelta(hours=1)
CONFIRM_DELAY: Final = timedelta(seconds=5)
STALE_AFTER: Final = UPDATE_INTERVAL + timedelta(seconds=30)
POLL_LIMIT: Final = HOURLY_BUDGET - 4
"""A poll waits while the account made this many requests in the last hour."""


class HeatPumpDiscoveryCoordinator(OctopusEnergyCoordinator[tuple[str, ...]]):
    """The heat-pump controllers (EUIDs) at the account's occupied properties."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
        account: DataUpdateCoordinator[Account],
    ) -> None:
        """Ask only when refreshed (setup and account retrievals)."""
        super().__init__(
            hass,
            entry,
            client,
            name="Octopus Energy heat pump controllers",
            update_interval=None,
            store_key="heat_pump_ids",
        )
        self.account_number = account_number
        self.account = account

    def _from_stored(self, stored: dict[str, Any]) -> tuple[str, ...] | None:
        euids = stored.get("euids")
        if not isinstance(euids, list):
            return None
        return tuple(str(euid) for euid in euids)

    def _to_stored(self, data: tuple[str, ...]) -> dict[str, Any] | None:
        return {"euids": list(data)}

    def _keep_on_failure(self, now: datetime) -> bool:  # noqa: ARG002
        """Controllers do not come and go: the known ones stay right."""
        return self.data is not None

    async def _async_fetch(self) -> tuple[str, ...]:
        now = dt_util.utcnow()
        euids: list[str] = []
        for prop in self.account.data.properties:
            if prop.is_occupied(now):
                euids += await self.client.get_heat_pump_controllers(
                    self.account_number, prop.id
                )
        found = tuple(dict.fromkeys(euids))
        if found != self.data:
            await self.async_save(found)
        return found


class HeatPumpCoordinator(OctopusEnergyCoordinator[HeatPump]):
    """Status, configuration and performance of one controller."""

    stale_after = STALE_AFTER

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
        euid: str,
    ) -> None:
        """Poll every 3 minutes; nothing is loaded or fetched yet."""
        super().__init__(
            hass,
            entry,
            client,
            name="Octopus Energy heat pump",
            update_interval=UPDATE_INTERVAL,
            store_key=f"heat_pump_{slugify(euid)}",
        )
        self.account_number = account_number
        self.euid = euid
        self.lifetime_at: datetime | None = None
        self._confirm: CALLBACK_TYPE | None = None
        self._confirming = False

    def _from_stored(self, stored: dict[str, Any]) -> HeatPump | None:
        raw = stored.get("heat_pump")
        if stored.get("euid") != self.euid or not isinstance(raw, dict):
            return None
        at = stored.get("lifetime_at")
        self.lifetime_at = dt_util.parse_datetime(at) if isinstance(at, str) else None
        return HeatPump.from_dict(raw)

    def _to_stored(self, data: HeatPump) -> dict[str, Any] | None:
        return {
            "euid": self.euid,
            "heat_pump": data.raw,
            "lifetime_at": self.lifetime_at.isoformat() if self.lifetime_at else None,
        }

    def _lifetime_due(self, now: datetime) -> bool:
        return (
            self.data is None
            or self.data.lifetime is None
            or self.lifetime_at is None
            or now - self.lifetime_at >= LIFETIME_INTERVAL
        )

    async def _async_fetch(self) -> HeatPump:
        """One request; the lifetime figures only when an hour old."""
        now = dt_util.utcnow()
        previous = self.data
        if previous is not None and not self._confirming and self._over_limit():
            LOGGER.debug("Heat pump poll skipped: the hour's request budget is used")
            return previous
        lifetime = self._lifetime_due(now)
        fetched = await self.client.get_heat_pump(
            self.account_number, self.euid, lifetime=lifetime
        )
        if lifetime:
            self.lifetime_at = now
        elif previous is not None:
            fetched = with_lifetime_of(fetched, previous)
        if (
            lifetime
            or previous is None
            or fetched.configuration != previous.configuration
        ):
            await self.async_save(fetched)
        return fetched

    def _over_limit(self) -> bool:
        return self.client.request_counter.requests_last_hour >= POLL_LIMIT

    @callback
    def apply(self, data: HeatPump) -> None:
        """Show an accepted command now; confirm it with one refresh shortly."""
        self.async_set_updated_data(data)
        if self._confirm is not None:
            self._confirm()
        self._confirm = async_call_later(self.hass, CONFIRM_DELAY, self._async_confirm)

    async def _async_confirm(self, _now: datetime) -> None:
        self._confirm = None
        self._confirming = True
        try:
            await self.async_refresh()
        finally:
            self._confirming = False

    async def async_shutdown(self) -> None:
        """Stop polling and drop a pending confirmation."""
        if self._confirm is not None:
            self._confirm()
            self._confirm = None
        await super().async_shutdown()
