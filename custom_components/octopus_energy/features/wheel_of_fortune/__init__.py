"""The wheel-of-fortune feature: the spins sensors and `spin_wheel_of_fortune`.

For accounts enrolled in Octoplus (the wheel is part of it) with the
`feature_wheel_of_fortune` option on. One coordinator (`SpinsCoordinator`, every
6 hours, stored). The action spins once per targeted sensor and returns, per
entity, `amount_won_in_pence` and `fuel`; the spins update at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import SupportsResponse
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ...api import Account
from ...const import CONF_FEATURE_WHEEL_OF_FORTUNE
from ...feature import EntityService, Feature
from .coordinator import SpinsCoordinator
from .entities import WheelOfFortuneSpinsSensor, spins_sensors

SERVICE_SPIN = "spin_wheel_of_fortune"


class WheelOfFortuneFeature(Feature):
    """Spins of the Octoplus wheel of fortune."""

    key = "wheel_of_fortune"
    option = CONF_FEATURE_WHEEL_OF_FORTUNE
    platforms = frozenset({Platform.SENSOR})
    services = (
        EntityService(
            name=SERVICE_SPIN,
            platform=Platform.SENSOR,
            method="async_spin",
            entity_types=(WheelOfFortuneSpinsSensor,),
            schema={},
            supports_response=SupportsResponse.OPTIONAL,
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.coordinator: SpinsCoordinator | None = None

    @classmethod
    def available(cls, account: Account) -> bool:
        """Only for accounts enrolled in Octoplus."""
        return account.is_octoplus_enrolled

    async def async_setup(self) -> None:
        """Restore the spins; retrieve them in the background when not fresh."""
        runtime = self.runtime
        self.coordinator = SpinsCoordinator(
            runtime.hass, runtime.entry, runtime.client, runtime.account_number
        )
        await self.coordinator.async_start()

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The two spins sensors."""
        if platform is not Platform.SENSOR or self.coordinator is None:
            return ()
        return spins_sensors(self.coordinator)

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """The spins coordinator."""
        return [self.coordinator] if self.coordinator else []
