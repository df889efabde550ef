"""The heat-pump feature: Octopus Cosy controllers, their zones and sensors.

The account query does not say whether a property has a heat pump, so the
feature is available on accounts with an occupied property and finds the
controllers with one `heatPumpControllersAtLocation` request per property at
setup and after every account retrieval (`HeatPumpDiscoveryCoordinator`). Each
controller gets a `HeatPumpCoordinator` (one request every 3 minutes) and, once
its configuration is known (from the API or the store), its entities: sensors,
the weather-compensation binary sensor, a climate entity per heating zone and a
water heater per water zone. A controller found later, or whose first data
arrives later, gets its entities without a reload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ...api import Account, HeatPump
from ...const import CONF_FEATURE_HEAT_PUMP
from ...feature import Feature
from .coordinator import HeatPumpCoordinator, HeatPumpDiscoveryCoordinator
from .entities import binary_sensor_entities, sensor_entities
from .model import heating_zones, water_zones
from .services import HEAT_PUMP_SERVICES
from .zones import climate_entities, water_heater_entities

ENTITIES: dict[Platform, Callable[[HeatPumpCoordinator], list[Entity]]] = {
    Platform.SENSOR: sensor_entities,
    Platform.BINARY_SENSOR: binary_sensor_entities,
    Platform.CLIMATE: climate_entities,
    Platform.WATER_HEATER: water_heater_entities,
}


class HeatPumpFeature(Feature):
    """The heat pumps at the account's properties."""

    key = "heat_pump"
    option = CONF_FEATURE_HEAT_PUMP
    platforms = frozenset(ENTITIES)
    services = HEAT_PUMP_SERVICES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.discovery: HeatPumpDiscoveryCoordinator | None = None
        self.controllers: dict[str, HeatPumpCoordinator] = {}
        self._initial: list[HeatPumpCoordinator] = []

    @classmethod
    def available(cls, account: Account) -> bool:
        """Heat pumps are looked up per property: an occupied one is needed."""
        now = dt_util.utcnow()
        return any(prop.is_occupied(now) for prop in account.properties)

    async def async_setup(self) -> None:
        """Find the controllers (stored ones if Octopus is down) and poll each."""
        runtime = self.runtime
        self.discovery = HeatPumpDiscoveryCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            runtime.account_number,
            runtime.account,
        )
        await self.discovery.async_restore()
        await self._async_discover(at_setup=True)

    async def _async_discover(self, *, at_setup: bool) -> None:
        """Ask for the controllers; poll the new ones and show their entities."""
        assert self.discovery is not None  # noqa: S101  (created in async_setup)
        await self.discovery.async_refresh()
        euids: tuple[str, ...] | None = self.discovery.data
        runtime = self.runtime
        for euid in euids or ():
            if euid in self.controllers:
                continue
            coordinator = HeatPumpCoordinator(
                runtime.hass,
                runtime.entry,
                runtime.client,
                runtime.account_number,
                euid,
            )
            self.controllers[euid] = coordinator
            await coordinator.async_restore()
            await coordinator.async_refresh()
            known: HeatPump | None = coordinator.data
            if known is None:
                self._add_when_known(coordinator)
            elif at_setup:
                self._initial.append(coordinator)
            else:
                self._add_entities(coordinator)

    def _add_entities(self, coordinator: HeatPumpCoordinator) -> None:
        for platform, build in ENTITIES.items():
            self.runtime.add_entities(platform, build(coordinator))

    def _add_when_known(self, coordinator: HeatPumpCoordinator) -> None:
        """Add a controller's entities once its configuration is known."""
        listening = True

        @callback
        def _stop() -> None:
            nonlocal listening
            if listening:
                listening = False
                remove()

        @callback
        def _on_update() -> None:
            if coordinator.data is not None and listening:
                _stop()
                self._add_entities(coordinator)

        remove = coordinator.async_add_listener(_on_update)
        self.runtime.entry.async_on_unload(_stop)

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Look for new controllers; poll and show them."""
        if self.discovery is not None:
            await self._async_discover(at_setup=False)

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The entities of the controllers known at setup."""
        build = ENTITIES.get(platform)
        if build is None:
            return []
        return [entity for c in self._initial for entity in build(c)]

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """Discovery and one coordinator per controller."""
        found: list[DataUpdateCoordinator[Any]] = (
            [self.discovery] if self.discovery else []
        )
        return [*found, *self.controllers.values()]

    def diagnostics(self) -> dict[str, Any]:
        """Controllers and zones, without EUIDs or serial numbers."""
        return {
            "controllers": [
                {
                    "has_data": c.data is not None,
                    "stale": c.stale,
                    "heating_zones": heating_zones(c.data) if c.data else [],
                    "water_zones": water_zones(c.data) if c.data else [],
                    "lifetime_retrieved": c.lifetime_at.isoformat()
                    if c.lifetime_at
                    else None,
                }
                for c in self.controllers.values()
            ]
        }
