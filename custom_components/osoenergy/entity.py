"""Base entity and action error handling of the OSO Energy integration."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Concatenate

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import (
    Device,
    OSOEnergyAuthenticationError,
    OSOEnergyError,
    OSOEnergyRateLimitError,
)
from .const import ATTR_LAST_UPDATE, ATTR_STALE, DOMAIN, MANUFACTURER
from .coordinator import OSOEnergyConfigEntry, OSOEnergyCoordinator


class OSOEnergyEntity(CoordinatorEntity[OSOEnergyCoordinator]):
    """An entity of one water heater; unique id `<deviceId>_<key>` as in HA core."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: OSOEnergyCoordinator,
        device_id: str,
        description: EntityDescription | None = None,
    ) -> None:
        """Attach the entity to its heater's device."""
        super().__init__(coordinator)
        self.device_id = device_id
        if description is None:
            self._attr_unique_id = device_id
        else:
            self.entity_description = description
            self._attr_unique_id = f"{device_id}_{description.key}"
        device = self._device = coordinator.data[device_id]
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, device_id)},
            manufacturer=MANUFACTURER,
            model=device.device_type,
            name=device.name,
        )

    @property
    def device(self) -> Device:
        """The heater's latest data (the last known, once the user removed it)."""
        if (device := self.coordinator.data.get(self.device_id)) is not None:
            self._device = device
        return self._device

    @property
    def available(self) -> bool:
        """Available while the heater is reported, connected and its data fresh.

        During a cloud outage the last values stay available (marked stale, see
        `extra_state_attributes`) until the coordinator's stale limit; a heater the
        cloud's answer left out is unavailable until it is reported again.
        """
        return (
            self.coordinator.fresh
            and self.coordinator.present(self.device_id)
            and self.device.connected
        )

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """While the cloud does not answer: `stale` and when the data is from."""
        return stale_attributes(self.coordinator)


def _number(value: float) -> str:
    """Format a number for an error message (`240`, `52.5`)."""
    return f"{value:g}"


def check_range(
    value: float, limits: tuple[float, float], translation_key: str
) -> None:
    """Raise a translated ServiceValidationError if `value` is outside `limits`."""
    low, high = limits
    if low <= value <= high:
        return
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders={
            "value": _number(value),
            "min": _number(low),
            "max": _number(high),
        },
    )


def check_v40_min(device: Device, value: float) -> int:
    """Return the V40 minimum as whole litres within the heater's range, or raise."""
    low, high = device.v40_range
    if not float(value).is_integer():
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="v40_not_whole",
            translation_placeholders={
                "value": _number(value),
                "min": _number(low),
                "max": _number(high),
            },
        )
    check_range(value, (low, high), "v40_out_of_range")
    return int(value)


def check_temperature(device: Device, value: float) -> None:
    """Raise unless `value` is a target temperature the heater accepts."""
    check_range(value, device.temperature_range, "temperature_out_of_range")


def stale_attributes(coordinator: OSOEnergyCoordinator) -> dict[str, Any] | None:
    """The attributes marking data kept from before a cloud outage (else None)."""
    if not coordinator.stale or coordinator.last_success_time is None:
        return None
    return {
        ATTR_STALE: True,
        ATTR_LAST_UPDATE: coordinator.last_success_time.isoformat(),
    }


def async_add_device_entities(
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
    create: Callable[[OSOEnergyCoordinator, Device], list[Entity]],
) -> None:
    """Add entities for every heater now and for heaters that appear later."""
    coordinator = entry.runtime_data
    known: set[str] = set()

    def _add_new_devices() -> None:
        known.intersection_update(coordinator.data)  # forget heaters the user removed
        new = [dev for dev_id, dev in coordinator.data.items() if dev_id not in known]
        if not new:
            return
        known.update(device.device_id for device in new)
        async_add_entities(
            entity for device in new for entity in create(coordinator, device)
        )

    _add_new_devices()
    entry.async_on_unload(coordinator.async_add_listener(_add_new_devices))


def described[DescriptionT: EntityDescription](
    entity_class: Callable[[OSOEnergyCoordinator, str, DescriptionT], Entity],
    descriptions: Iterable[DescriptionT],
    exists: Callable[[DescriptionT, Device], bool] = lambda _desc, _device: True,
) -> Callable[[OSOEnergyCoordinator, Device], list[Entity]]:
    """Build `entity_class` for each description that `exists` for a heater."""

    def create(coordinator: OSOEnergyCoordinator, device: Device) -> list[Entity]:
        return [
            entity_class(coordinator, device.device_id, description)
            for description in descriptions
            if exists(description, device)
        ]

    return create


type DeviceChanges = dict[str, Any] | None
"""What a command changed, as `Device` fields (applied until the next poll)."""


def oso_action[EntityT: OSOEnergyEntity, **P](
    func: Callable[Concatenate[EntityT, P], Coroutine[Any, Any, DeviceChanges]],
) -> Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]]:
    """Run an entity action: translate API errors, then refresh the heater's data.

        Nothing is written to the entity before the API has accepted the command. Then
        the fields the command set (the action's return value) are applied at once, so
        that state, entities and `get_profile` agree right away, and a refresh of the
        device list follows after REFRESH_COOLDOWN for what the heater did with it, in
    place of the next regular poll.
    """

    async def handler(self: EntityT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            changes = await func(self, *args, **kwargs)
        except OSOEnergyAuthenticationError as err:
            self.coordinator.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OSOEnergyRateLimitError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_rate_limited",
                translation_placeholders={"seconds": str(round(err.retry_after or 60))},
            ) from err
        except OSOEnergyError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        if changes:
            self.coordinator.async_patch_device(self.device_id, **changes)
        await self.coordinator.async_refresh_after_command()

    return handler
