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

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers.entity import Entity

from ...api import OctopusEnergyNotFoundError
from ...const import DOMAIN, LOGGER
from ...models import ActiveMeter
from ..intelligent import IntelligentFeature
from ..per_meter import PerMeterFeature
from .coordinator import RatesCoordinator
from .entities import rate_entities
from .repairs import async_track_unknown_product


class RatesFeature(PerMeterFeature[RatesCoordinator]):
    """Rates and standing charges of every meter."""

    key = "rates"
    platforms = frozenset({Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT})

    def rates_for(self, meter_key: str) -> RatesCoordinator | None:
        """The rates coordinator of a meter."""
        return self.by_meter.get(meter_key)

    def _new_coordinator(self, meter: ActiveMeter) -> RatesCoordinator:
        runtime = self.runtime
        intelligent = runtime.feature(IntelligentFeature)
        return RatesCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            meter,
            runtime.settings,
            account=runtime.account,
            adjust=intelligent.rate_adjustment(meter) if intelligent else None,
        )

    def _entities_of(
        self, coordinator: RatesCoordinator, platform: Platform
    ) -> Iterable[Entity]:
        return rate_entities(coordinator, platform)

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

    async def _async_start_added(self, coordinator: RatesCoordinator) -> None:
        await super()._async_start_added(coordinator)
        async_track_unknown_product(self.runtime.hass, self.runtime.entry, coordinator)
        LOGGER.info("Rates of a new meter added")
