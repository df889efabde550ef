"""A feature with one coordinator per meter (rates, consumption).

The shared part: the coordinators by meter key, their entities per platform, and
following the account: a meter that appears gets its coordinator, its first
retrieval and its entities without a reload.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..api import Account
from ..coordinator import MeterCoordinator
from ..feature import Feature, FeatureRuntime
from ..models import ActiveMeter


class PerMeterFeature[CoordinatorT: MeterCoordinator[Any]](Feature):
    """One coordinator per meter of the account."""

    def __init__(self, runtime: FeatureRuntime) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(runtime)
        self.by_meter: dict[str, CoordinatorT] = {}

    @abstractmethod
    def _new_coordinator(self, meter: ActiveMeter) -> CoordinatorT:
        """A coordinator for a meter (nothing requested yet)."""

    @abstractmethod
    def _entities_of(
        self, coordinator: CoordinatorT, platform: Platform
    ) -> Iterable[Entity]:
        """A meter's entities of one platform."""

    def _create(self, meter: ActiveMeter) -> CoordinatorT:
        coordinator = self._new_coordinator(meter)
        self.by_meter[meter.key] = coordinator
        return coordinator

    async def _async_start_added(self, coordinator: CoordinatorT) -> None:
        """Restore and retrieve a coordinator of a meter added while running."""
        await coordinator.async_restore()
        await coordinator.async_refresh()

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Follow new meters: coordinator, first retrieval, entities."""
        for meter in list(self.runtime.meters.values()):
            if meter.key in self.by_meter:
                continue
            coordinator = self._create(meter)
            await self._async_start_added(coordinator)
            for platform in self.platforms:
                self.runtime.add_entities(
                    platform, self._entities_of(coordinator, platform)
                )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """Every meter's entities of the platform."""
        return [
            entity
            for coordinator in self.by_meter.values()
            for entity in self._entities_of(coordinator, platform)
        ]

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """One per meter."""
        return list(self.by_meter.values())
