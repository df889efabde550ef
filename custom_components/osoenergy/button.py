"""Buttons of the OSO Energy integration: heat or pause for an hour or to the limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .api import OSOEnergyClient
from .coordinator import OSOEnergyConfigEntry
from .entity import OSOEnergyEntity, async_add_device_entities, described, oso_action

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class OSOEnergyButtonEntityDescription(ButtonEntityDescription):
    """Describe an OSO Energy button."""

    press_fn: Callable[[OSOEnergyClient, str], Awaitable[None]]


DESCRIPTIONS: tuple[OSOEnergyButtonEntityDescription, ...] = (
    OSOEnergyButtonEntityDescription(
        key="heat_one_hour",
        translation_key="heat_one_hour",
        press_fn=lambda client, device_id: client.turn_on(
            device_id, full_utilization=False
        ),
    ),
    OSOEnergyButtonEntityDescription(
        key="heat_until_full",
        translation_key="heat_until_full",
        press_fn=lambda client, device_id: client.turn_on(
            device_id, full_utilization=True
        ),
    ),
    OSOEnergyButtonEntityDescription(
        key="pause_one_hour",
        translation_key="pause_one_hour",
        press_fn=lambda client, device_id: client.turn_off(
            device_id, full_utilization=False
        ),
    ),
    OSOEnergyButtonEntityDescription(
        key="pause_until_minimum",
        translation_key="pause_until_minimum",
        press_fn=lambda client, device_id: client.turn_off(
            device_id, full_utilization=True
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Set up the buttons of every heater, now and when heaters appear."""
    async_add_device_entities(
        entry, async_add_entities, described(OSOEnergyButton, DESCRIPTIONS)
    )


class OSOEnergyButton(OSOEnergyEntity, ButtonEntity):
    """A one-shot heating command."""

    entity_description: OSOEnergyButtonEntityDescription

    @oso_action
    @override
    async def async_press(self) -> None:
        """Send the command to the heater."""
        await self.entity_description.press_fn(self.coordinator.client, self.device_id)
