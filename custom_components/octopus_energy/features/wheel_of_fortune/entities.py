"""The wheel-of-fortune spins sensors (`…_wheel_of_fortune_spins_electricity` / `_gas`).

On the Octoplus service device (the community sensors had no device; the ids are
the same). Each is the target of `spin_wheel_of_fortune` for its supply.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass

from ...api import Fuel, WheelOfFortuneSpins
from ...entity import OctopusEnergyEntity
from ..octoplus.entities import octoplus_device_info
from ..octoplus.names import account_prefix
from .coordinator import SpinsCoordinator, spins_of


class WheelOfFortuneSpinsSensor(OctopusEnergyEntity[SpinsCoordinator], SensorEntity):
    """Spins left this month for one supply."""

    _attr_state_class = SensorStateClass.TOTAL

    def __init__(self, coordinator: SpinsCoordinator, fuel: Fuel) -> None:
        """Unique id `octopus_energy_{ACC}_wheel_of_fortune_spins_{fuel}`."""
        account = coordinator.account_number
        super().__init__(
            coordinator,
            platform="sensor",
            unique_id=f"{account_prefix(account)}_wheel_of_fortune_spins_{fuel.value}",
            device_info=octoplus_device_info(account),
        )
        self.fuel = fuel
        self._attr_translation_key = f"wheel_of_fortune_spins_{fuel.value}"

    @property
    def native_value(self) -> int | None:
        """Spins left."""
        data: WheelOfFortuneSpins | None = self.coordinator.data
        return spins_of(data, self.fuel) if data is not None else None

    async def async_spin(self) -> dict[str, Any]:
        """Spin the wheel once; the prize is the action's response."""
        prize = await self.coordinator.async_spin(self.fuel)
        return {"amount_won_in_pence": prize, "fuel": self.fuel.value}


def spins_sensors(coordinator: SpinsCoordinator) -> list[WheelOfFortuneSpinsSensor]:
    """Both supplies' sensors."""
    return [
        WheelOfFortuneSpinsSensor(coordinator, fuel)
        for fuel in (Fuel.ELECTRICITY, Fuel.GAS)
    ]
