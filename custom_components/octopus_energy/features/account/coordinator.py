"""The account: meter points, meters, agreements and Octoplus enrolment.

Retrieved every 6 hours and persisted (`store`). The first refresh of an entry
that the config flow has just created reuses the account the flow retrieved (no
request). When a retrieval fails for any reason but authentication, the stored
account stays in use (one warning) and the next attempt follows the base's back-off
(`Retry-After` honoured); without a stored account the first failure makes the
entry not ready yet (HA retries). A key that may not see the account (KT-CT-1111,
a wrong account number) is such a failure with its own message ("no account
A-... for this API key"), not an authentication failure. A refused key starts
reauth only once it is refused for good (see `coordinator`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import UpdateFailed

from ...api import (
    Account,
    OctopusEnergyClient,
    OctopusEnergyError,
    OctopusEnergyNotVisibleError,
    normalize_account_number,
)
from ...const import DOMAIN
from ...coordinator import OctopusEnergyCoordinator
from ...data import OctopusEnergyConfigEntry
from .store import async_load_account, async_save_account

ACCOUNT_INTERVAL = timedelta(hours=6)


class AccountCoordinator(OctopusEnergyCoordinator[Account]):
    """Retrieves the account of one entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
        *,
        initial: Account | None = None,
    ) -> None:
        """Create the coordinator; `initial` is the flow's account, if any."""
        super().__init__(
            hass,
            entry,
            client,
            name="Octopus Energy account",
            update_interval=ACCOUNT_INTERVAL,
        )
        self.account_number = account_number
        self.stored: Account | None = None
        self._initial = initial

    @property
    def from_storage(self) -> bool:
        """True while the data is the stored account (the API has not answered)."""
        return self.stale

    async def async_restore(self) -> None:
        """Load the stored account (once)."""
        if self._restored:
            return
        self._restored = True
        self.stored = await async_load_account(
            self.hass, self.config_entry.entry_id, self.account_number
        )
        if self.stored is not None:
            self.data = self.stored

    def _keep_on_failure(self, now: datetime) -> bool:  # noqa: ARG002
        """The stored or last account stays right until a new one arrives."""
        return True

    async def _async_fetch(self) -> Account:
        if self._initial is not None:
            account, self._initial = self._initial, None
        else:
            account = await self.client.get_account(self.account_number)
        if self.stored is None or account.raw != self.stored.raw:
            await async_save_account(self.hass, self.config_entry.entry_id, account)
            self.stored = account
        return account

    def _update_failed(self, err: OctopusEnergyError, delay: timedelta) -> UpdateFailed:
        """Name the account the key may not see."""
        if isinstance(err, OctopusEnergyNotVisibleError):
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="account_not_found",
                translation_placeholders={
                    "account_id": normalize_account_number(self.account_number)
                },
            )
        return super()._update_failed(err, delay)

    def diagnostics(self) -> dict[str, Any]:
        """Whether the stored account is in use."""
        return {"from_storage": self.from_storage}
