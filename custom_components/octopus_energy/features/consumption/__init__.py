"""The consumption feature: previous-day consumption and cost of every meter.

One `PreviousConsumptionCoordinator` per meter (sensors with tiers and gas units,
the previous-consumption-rates event, the Energy-dashboard external statistics),
and the actions `refresh_previous_consumption_data` (entity action) and
`purge_invalid_external_statistic_ids` (domain action). Its first retrieval runs
in the background after setup (yesterday's data is not needed to start, and the
setup stays within a few requests); the stored day is shown meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.entity import Entity
import voluptuous as vol

from ...feature import EntityService
from ...models import ActiveMeter
from ..per_meter import PerMeterFeature
from ..rates import RatesFeature
from .coordinator import PreviousConsumptionCoordinator
from .entities import PreviousAccumulativeSensor, consumption_entities
from .services import ATTR_START_DATE, SERVICE_REFRESH


class ConsumptionFeature(PerMeterFeature[PreviousConsumptionCoordinator]):
    """Previous-day consumption and cost of every meter."""

    key = "consumption"
    platforms = frozenset({Platform.SENSOR, Platform.EVENT})
    services = (
        EntityService(
            name=SERVICE_REFRESH,
            platform=Platform.SENSOR,
            method="async_refresh_history",
            entity_types=(PreviousAccumulativeSensor,),
            accepts=lambda entity: getattr(entity, "refreshable", False),
            schema={vol.Required(ATTR_START_DATE): cv.date},
        ),
    )

    def _new_coordinator(self, meter: ActiveMeter) -> PreviousConsumptionCoordinator:
        runtime = self.runtime
        rates = runtime.feature(RatesFeature)
        return PreviousConsumptionCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            meter,
            runtime.settings,
            rates=rates.rates_for(meter.key) if rates else None,
            account=runtime.account,
        )

    def _entities_of(
        self, coordinator: PreviousConsumptionCoordinator, platform: Platform
    ) -> Iterable[Entity]:
        return consumption_entities(coordinator, platform)

    async def async_setup(self) -> None:
        """Restore every meter's day (retrieved once setup is done)."""
        for meter in self.runtime.meters.values():
            await self._create(meter).async_restore()

    async def async_start(self) -> None:
        """Retrieve every meter's previous day after setup."""
        await asyncio.gather(*(c.async_refresh() for c in self.by_meter.values()))
