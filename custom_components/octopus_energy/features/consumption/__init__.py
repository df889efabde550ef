"""The consumption feature: previous-day consumption and cost of every meter.

One `PreviousConsumptionCoordinator` per meter (sensors with tiers and gas units,
the previous-consumption-rates event, the Energy-dashboard external statistics),
and the actions `refresh_previous_consumption_data` (entity action) and
`purge_invalid_external_statistic_ids` (domain action). Its first retrieval runs
in the background after setup (yesterday's data is not needed to start, and the
setup stays within a few requests); the stored day is shown meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
import voluptuous as vol

from ...api import Account
from ...feature import EntityService, Feature
from ...models import ActiveMeter
from ..rates import RatesFeature
from .coordinator import PreviousConsumptionCoordinator
from .entities import PreviousAccumulativeSensor, consumption_entities
from .services import ATTR_START_DATE, SERVICE_REFRESH


class ConsumptionFeature(Feature):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.by_meter: dict[str, PreviousConsumptionCoordinator] = {}

    def _create(self, meter: ActiveMeter) -> PreviousConsumptionCoordinator:
        runtime = self.runtime
        rates = runtime.feature(RatesFeature)
        coordinator = PreviousConsumptionCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            meter,
            runtime.settings,
            rates=rates.rates_for(meter.key) if rates else None,
            account=runtime.account,
        )
        self.by_meter[meter.key] = coordinator
        return coordinator

    async def _async_start(self, coordinator: PreviousConsumptionCoordinator) -> None:
        await coordinator.async_restore()
        await coordinator.async_refresh()

    async def async_setup(self) -> None:
        """Restore every meter's day; retrieve in the background after setup."""
        runtime = self.runtime
        for meter in runtime.meters.values():
            coordinator = self._create(meter)
            await coordinator.async_restore()
            runtime.entry.async_create_task(
                runtime.hass,
                coordinator.async_refresh(),
                name=f"{coordinator.name} first retrieval",
            )

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Follow new meters: coordinator, retrieval, entities."""
        for meter in list(self.runtime.meters.values()):
            if meter.key in self.by_meter:
                continue
            coordinator = self._create(meter)
            await self._async_start(coordinator)
            for platform in self.platforms:
                self.runtime.add_entities(
                    platform, consumption_entities(coordinator, platform)
                )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """Every meter's previous-day entities of the platform."""
        return [
            entity
            for coordinator in self.by_meter.values()
            for entity in consumption_entities(coordinator, platform)
        ]

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """One per meter."""
        return list(self.by_meter.values())
