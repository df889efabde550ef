"""The account: meter points, meters, agreements and Octoplus enrolment.

Retrieved every 6 hours and persisted (`storage`). When the first retrieval fails
for any reason but authentication, the stored account is used (one warning) and
retried every 15 minutes until the API answers; without a stored account the entry
is not ready yet (HA retries). An authentication failure starts reauth.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ...api import Account, OctopusEnergyClient
from ...const import LOGGER
from ...coordinator import api_errors
from ...data import OctopusEnergyConfigEntry
from .store import async_load_account, async_save_account

ACCOUNT_INTERVAL = timedelta(hours=6)
STORED_RETRY = timedelta(minutes=15)


class AccountCoordinator(DataUpdateCoordinator[Account]):
    """Retrieves the account of one entry."""

    config_entry: OctopusEnergyConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
    ) -> None:
        """Create the coordinator; nothing is fetched until the first refresh."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name="Octopus Energy account",
            update_interval=ACCOUNT_INTERVAL,
        )
        self.client = client
        self.account_number = account_number
        self.stored: Account | None = None
        self.from_storage = False
        """True while the data is the stored account (the API has not answered)."""
        self.on_account: Callable[[Account], None] | None = None
        """Called with every account retrieved after setup (repairs)."""
        self._loaded = False
        self._first = True

    async def async_restore(self) -> None:
        """Load the stored account (once)."""
        if self._loaded:
            return
        self._loaded = True
        self.stored = await async_load_account(
            self.hass, self.config_entry.entry_id, self.account_number
        )

    async def _async_setup(self) -> None:
        await self.async_restore()

    async def _async_update_data(self) -> Account:
        first, self._first = self._first, False
        try:
            account = await self._async_fetch()
        except UpdateFailed as err:
            if first and self.stored is not None:
                LOGGER.warning(
                    "Using the stored account until Octopus answers: %s", err
                )
                self.from_storage = True
                self.update_interval = STORED_RETRY
                return self.stored
            raise
        self.from_storage = False
        self.update_interval = ACCOUNT_INTERVAL
        if self.stored is None or account.raw != self.stored.raw:
            await async_save_account(self.hass, self.config_entry.entry_id, account)
            self.stored = account
        if self.on_account is not None:
            self.on_account(account)
        return account

    @api_errors
    async def _async_fetch(self) -> Account:
        return await self.client.get_account(self.account_number)
