"""Switches of the OSO Energy integration: holiday (away) mode of a heater."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import dt as dt_util

from .api import Device, OSOEnergyClient
from .const import DEFAULT_AWAY_DAYS
from .coordinator import OSOEnergyConfigEntry
from .entity import (
    DeviceChanges,
    OSOEnergyEntity,
    async_add_device_entities,
    described,
    oso_action,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class OSOEnergySwitchEntityDescription(SwitchEntityDescription):
    """Describe an OSO Energy switch."""

    is_on_fn: Callable[[Device], bool]
    set_fn: Callable[[OSOEnergyClient, str, bool], Awaitable[None]]
    field: str
    """The `Device` field the switch shows (set at once after a command)."""


async def _set_holiday_mode(client: OSOEnergyClient, device_id: str, on: bool) -> None:
    """Start holiday mode now for DEFAULT_AWAY_DAYS days, or end it."""
    if not on:
        await client.disable_holiday_mode(device_id)
        return
    start = dt_util.utcnow()
    await client.enable_holiday_mode(
        device_id, start, start + timedelta(days=DEFAULT_AWAY_DAYS)
    )


DESCRIPTIONS: tuple[OSOEnergySwitchEntityDescription, ...] = (
    OSOEnergySwitchEntityDescription(
        key="holiday_mode",
        translation_key="holiday_mode",
        is_on_fn=lambda device: device.power_save,
        set_fn=_set_holiday_mode,
        field="power_save",
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up the switches of every heater, now and when heaters appear."""
    async_add_device_entities(
        entry, async_add_entities, described(OSOEnergySwitch, DESCRIPTIONS)
    )


class OSOEnergySwitch(OSOEnergyEntity, SwitchEntity):
    """A mode of a heater that can be switched on and off."""

    entity_description: OSOEnergySwitchEntityDescription

    @property
    @override
    def is_on(self) -> bool:
        """Whether the mode is on."""
        return self.entity_description.is_on_fn(self.device)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the mode on."""
        await self._async_set(on=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the mode off."""
        await self._async_set(on=False)

    @oso_action
    async def _async_set(self, *, on: bool) -> DeviceChanges:
        """Send the new state to the heater."""
        await self.entity_description.set_fn(
            self.coordinator.client, self.device_id, on
        )
        return {self.entity_description.field: on}
