"""The account feature: the meters the entry has, their repairs, the API health.

The account coordinator itself is created by the entry's setup (every feature
needs the account); this feature follows each retrieval: a meter that gets a tariff
joins `runtime.meters` (the meter features then add its entities), a meter that
loses it raises `meter_removed` (its entities stay, unavailable), and meter points
without a tariff raise `no_active_tariff`. Its one entity is the API-health sensor.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api import Account
from ...feature import Feature
from ...repairs import async_delete_entry_issues
from .coordinator import AccountCoordinator
from .health import ApiHealthSensor
from .meters import active_meters
from .repairs import async_update_meter_issues, async_update_tariff_issues


class AccountFeature(Feature):
    """Meters, their repairs and the API-health sensor."""

    key = "account"
    platforms = frozenset({Platform.SENSOR})

    async def async_setup(self) -> None:
        """Raise the repairs of the account as retrieved at setup."""
        runtime = self.runtime
        async_delete_entry_issues(runtime.hass, runtime.entry.entry_id)
        coordinator = runtime.account
        if not (isinstance(coordinator, AccountCoordinator) and coordinator.stale):
            self._check(coordinator.data)

    def _check(self, account: Account) -> None:
        runtime = self.runtime
        now = dt_util.utcnow()
        async_update_tariff_issues(runtime.hass, runtime.entry, account, now)
        async_update_meter_issues(
            runtime.hass, runtime.entry, runtime.meters.values(), account, now
        )

    async def async_account_updated(self, account: Account) -> None:
        """Add meters that have a tariff now; report those that lost it."""
        for meter in active_meters(account, dt_util.utcnow()):
            self.runtime.add_meter(meter)
        self._check(account)

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The API-health sensor."""
        if platform is not Platform.SENSOR:
            return ()
        runtime = self.runtime
        return (
            ApiHealthSensor(
                runtime.client,
                runtime.account_number,
                runtime.coordinators,
            ),
        )
