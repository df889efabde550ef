"""The rates feature: unit rates and standing charges of every meter.

On intelligent tariffs the rates follow the intelligent feature's dispatches (set
up before this feature; see `RatesCoordinator`).

One `RatesCoordinator` per meter (current, previous and next rate, standing
charge, off peak, the previous/current/next-day rate events). A meter that appears
on the account gets its coordinator and entities at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ...api import Account, OctopusEnergyNotFoundError
from ...const import DOMAIN, LOGGER
from ...feature import Feature
from ...models import ActiveMeter
from ..intelligent import IntelligentFeature
from .coordinator import RatesCoordinator
from .entities import rate_entities
from .repairs import async_track_unknown_product


class RatesFeature(Feature):
    """Rates and standing charges of every meter."""

    key = "rates"
    platforms = frozenset({Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.by_meter: dict[str, RatesCoordinator] = {}

    def rates_for(self, meter_key: str) -> RatesCoordinator | None:
        """The rates coordinator of a meter."""
        return self.by_meter.get(meter_key)

    def _create(self, meter: ActiveMeter) -> RatesCoordinator:
        runtime = self.runtime
        intelligent = runtime.feature(IntelligentFeature)
        coordinator = RatesCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            meter,
            runtime.settings,
            account=runtime.account,
            adjust=intelligent.rate_adjustment(meter) if intelligent else None,
        )
        self.by_meter[meter.key] = coordinator
        return coordinator

    async def async_setup(self) -> None:
        """Restore and refresh every meter's rates concurrently.

        Setup fails only when a meter's rates are neither retrievable nor stored
        (HA retries), or on a refused key (reauth). A product Octopus does not know
        (404) raises a repair and leaves that meter's entities unavailable.
        """
        coordinators = [self._create(m) for m in self.runtime.meters.values()]
        self._follow_dispatches()
        results = await asyncio.gather(
            *(c.async_config_entry_first_refresh() for c in coordinators),
            return_exceptions=True,
        )
        for coordinator, result in zip(coordinators, results, strict=True):
            async_track_unknown_product(
                self.runtime.hass, self.runtime.entry, coordinator
            )
            if isinstance(result, ConfigEntryAuthFailed):
                raise result
            if isinstance(result, BaseException) and not isinstance(
                coordinator.last_error, OctopusEnergyNotFoundError
            ):
                raise ConfigEntryNotReady(
                    translation_domain=DOMAIN, translation_key="rates_unavailable"
                ) from result

    def _follow_dispatches(self) -> None:
        """Re-adjust the rates whenever the intelligent dispatches change."""
        intelligent = self.runtime.feature(IntelligentFeature)
        if intelligent is None or intelligent.coordinator is None:
            return

        @callback
        def _readjust() -> None:
            for coordinator in self.by_meter.values():
                coordinator.async_readjust()

        self.runtime.entry.async_on_unload(
            intelligent.coordinator.async_add_listener(_readjust)
        )

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Follow new meters: coordinator, first retrieval, entities."""
        for meter in list(self.runtime.meters.values()):
            if meter.key in self.by_meter:
                continue
            coordinator = self._create(meter)
            await coordinator.async_restore()
            await coordinator.async_refresh()
            async_track_unknown_product(
                self.runtime.hass, self.runtime.entry, coordinator
            )
            LOGGER.info("Rates of a new meter added")
            for platform in self.platforms:
                self.runtime.add_entities(
                    platform, rate_entities(coordinator, platform)
                )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """Every meter's rate entities of the platform."""
        return [
            entity
            for coordinator in self.by_meter.values()
            for entity in rate_entities(coordinator, platform)
        ]

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """One per meter."""
        return list(self.by_meter.values())
