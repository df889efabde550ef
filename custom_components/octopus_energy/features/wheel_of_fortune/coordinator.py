"""The wheel-of-fortune coordinator: spins left per supply, every 6 hours.

Spins are granted monthly, so four requests a day are plenty (the community
integration asks every hour); a spin makes one request and one targeted
retrieval. The spins are stored with their retrieval time: a restart within the
interval asks nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...api import Fuel, OctopusEnergyError, WheelOfFortuneSpins
from ...polled import StoredPollCoordinator
from ..octoplus.coordinator import api_failure, invalid


class SpinsCoordinator(StoredPollCoordinator[WheelOfFortuneSpins]):
    """Spins left this month for electricity and gas."""

    interval = timedelta(hours=6)
    phase = timedelta(hours=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Store as `wheel_of_fortune`."""
        super().__init__(
            *args, name="Wheel of fortune", store_key="wheel_of_fortune", **kwargs
        )

    def _encode(self, data: WheelOfFortuneSpins) -> dict[str, Any]:
        return data.raw

    def _decode(self, document: dict[str, Any]) -> WheelOfFortuneSpins | None:
        return WheelOfFortuneSpins.from_dict(document)

    async def _async_poll(self) -> WheelOfFortuneSpins:
        return await self.client.get_wheel_of_fortune_spins(self.account_number)

    async def async_spin(self, fuel: Fuel) -> int:
        """Spin once for a supply; return the prize in pence; retrieve the spins."""
        data = self.data
        left = spins_of(data, fuel) if data is not None else 0
        if left < 1:
            raise invalid("wheel_of_fortune_no_spins", fuel=fuel.value)
        try:
            prize = await self.client.spin_wheel_of_fortune(self.account_number, fuel)
        except OctopusEnergyError as err:
            raise api_failure("wheel_of_fortune_spin_failed", err) from err
        await self.async_refresh()
        return prize


def spins_of(data: WheelOfFortuneSpins, fuel: Fuel) -> int:
    """The spins left for one supply."""
    return data.electricity if fuel is Fuel.ELECTRICITY else data.gas
