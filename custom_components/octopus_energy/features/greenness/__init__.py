"""The greenness-forecast feature: Octopus's greener-nights forecast.

With the `feature_greenness_forecast` option on (the forecast is the same for every
account). One coordinator (`GreennessCoordinator`, every 6 hours, stored; the
entities follow the 23:00 / 06:00 period boundaries without requests). Entities:
current and next score sensors and the highlighted binary sensor (disabled by
default), and the greener-nights calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ...const import CONF_FEATURE_GREENNESS
from ...feature import Feature
from .coordinator import GreennessCoordinator
from .entities import greenness_entities


class GreennessFeature(Feature):
    """The greener-nights forecast."""

    key = "greenness_forecast"
    option = CONF_FEATURE_GREENNESS
    platforms = frozenset({Platform.SENSOR, Platform.BINARY_SENSOR, Platform.CALENDAR})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.coordinator: GreennessCoordinator | None = None

    async def async_setup(self) -> None:
        """Restore the forecast; retrieve it in the background when not fresh."""
        runtime = self.runtime
        self.coordinator = GreennessCoordinator(
            runtime.hass, runtime.entry, runtime.client, runtime.account_number
        )
        await self.coordinator.async_start()

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The forecast's entities."""
        if self.coordinator is None:
            return ()
        return greenness_entities(self.coordinator, platform)

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """The forecast coordinator."""
        return [self.coordinator] if self.coordinator else []
