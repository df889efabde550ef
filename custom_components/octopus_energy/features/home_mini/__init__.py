"""The Home Mini feature: live consumption from the Octopus Home Mini.

One `HomeMiniCoordinator` per account polls every electricity and gas Home Mini in
one request per tick (see its module). It is created when the user has switched
live consumption on (options) and the account has a meter with a Home Mini; a
meter with a Home Mini that appears later is polled and gets its sensors at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ...api import Account
from ...feature import Feature
from ..rates import RatesFeature
from .coordinator import HomeMiniCoordinator, home_mini_meters
from .entities import home_mini_entities


class HomeMiniFeature(Feature):
    """Live consumption of the meters with a Home Mini."""

    key = "home_mini"
    platforms = frozenset({Platform.SENSOR})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.coordinator: HomeMiniCoordinator | None = None

    async def async_setup(self) -> None:
        """Restore today's data (polled once setup is done)."""
        runtime = self.runtime
        meters = home_mini_meters(runtime.meters.values())
        if not runtime.settings.live_consumption or not meters:
            return
        rates = runtime.feature(RatesFeature)
        self.coordinator = HomeMiniCoordinator(
            runtime.hass,
            runtime.entry,
            client=runtime.client,
            meters=meters,
            settings=runtime.settings,
            rates=rates.by_meter if rates else {},
        )
        await self.coordinator.async_restore()

    async def async_start(self) -> None:
        """The first poll (a failure never fails setup)."""
        if self.coordinator is not None:
            await self.coordinator.async_refresh()

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Poll and show the Home Minis of new meters."""
        if self.coordinator is None:
            return
        added = self.coordinator.add_meters(self.runtime.meters.values())
        if added:
            await self.coordinator.async_request_refresh()
            self.runtime.add_entities(
                Platform.SENSOR, home_mini_entities(self.coordinator, added)
            )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The Home Mini sensors."""
        if platform is not Platform.SENSOR or self.coordinator is None:
            return ()
        return home_mini_entities(self.coordinator, self.coordinator.meters)

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """The Home Mini coordinator, when live consumption is on."""
        return [self.coordinator] if self.coordinator else []
