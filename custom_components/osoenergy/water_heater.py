"""The water_heater platform of the OSO Energy integration: one entity per heater."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

# HA 2026 defines WaterHeaterEntityFeature in .const and imports it into the package
# without re-exporting it for type checkers; 2025.4 defines it in the package itself.
from homeassistant.components.water_heater import (  # type: ignore[attr-defined,unused-ignore]
    WaterHeaterEntity,
    WaterHeaterEntityFeature,
)
from homeassistant.components.water_heater.const import (
    STATE_ECO,
    STATE_ELECTRIC,
    STATE_HIGH_DEMAND,
)
from homeassistant.const import ATTR_TEMPERATURE, STATE_OFF, UnitOfTemperature
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.util import dt as dt_util

from . import profile
from .api import Device
from .const import DEFAULT_AWAY_DAYS, DOMAIN
from .coordinator import OSOEnergyConfigEntry, OSOEnergyCoordinator
from .entity import (
    DeviceChanges,
    OSOEnergyEntity,
    async_add_device_entities,
    check_temperature,
    check_v40_min,
    oso_action,
)

PARALLEL_UPDATES = 1

_STATE_BY_HEATER_MODE: Final[dict[str, str]] = {
    "off": STATE_OFF,
    "powersave": STATE_OFF,
    "extraenergy": STATE_HIGH_DEMAND,
}
"""Heater modes that decide the state whoever optimises."""

_STATE_BY_OPTIMIZATION_AND_MODE: Final[dict[tuple[str, str], str]] = {
    ("oso", "auto"): STATE_ECO,
}
"""States of an optimised heater; every other combination is electric."""


def current_operation(device: Device) -> str:
    """Map heater mode and optimisation to the water-heater state.

    Unlike HA core, the element's instantaneous on/off (`control.heater`) is not
    used: "off" means the heater is really off or saving power, not that the
    thermostat is between two heating cycles.
    """
    if (state := _STATE_BY_HEATER_MODE.get(device.heater_mode)) is not None:
        return state
    return _STATE_BY_OPTIMIZATION_AND_MODE.get(
        (device.optimization_mode, device.heater_mode), STATE_ELECTRIC
    )


def _profile_changes(hours: list[float]) -> DeviceChanges:
    """The device fields a new profile (index = UTC hour) changes right away."""
    return {
        "profile": tuple(map(float, hours)),
        "target_temperature": float(hours[dt_util.utcnow().hour]),
    }


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add a water heater for every heater of the account, now and later."""

    def _create(coordinator: OSOEnergyCoordinator, device: Device) -> list[Entity]:
        return [OSOEnergyWaterHeater(coordinator, device.device_id)]

    async_add_device_entities(entry, async_add_entities, _create)


class OSOEnergyWaterHeater(OSOEnergyEntity, WaterHeaterEntity):
    """An OSO water heater (unique id = the bare device id, as in HA core).

    Its actions are temporary, as the cloud offers them: turn on heats until the
    upper limit, turn off blocks heating until the minimum, and the heater then
    resumes its schedule by itself. Setting a temperature writes a flat 24-hour
    profile (as HA core does).
    """

    _attr_name = None
    _attr_supported_features = (
        WaterHeaterEntityFeature.TARGET_TEMPERATURE
        | WaterHeaterEntityFeature.AWAY_MODE
        | WaterHeaterEntityFeature.ON_OFF
    )
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 1

    @property
    def current_operation(self) -> str:
        """The state (see `current_operation`)."""
        return current_operation(self.device)

    @property
    def current_temperature(self) -> float | None:
        """The representative tank temperature."""
        return self.device.current_temperature

    @property
    def target_temperature(self) -> float | None:
        """The target of the current hour."""
        return self.device.target_temperature

    @property
    def target_temperature_low(self) -> float | None:
        """The lower edge of the regulation band."""
        return self.device.target_temperature_low

    @property
    def target_temperature_high(self) -> float | None:
        """The upper edge of the regulation band."""
        return self.device.target_temperature_high

    @property
    def min_temp(self) -> float:
        """The lowest settable target (the same range as `set_profile`)."""
        return self.device.temperature_range[0]

    @property
    def max_temp(self) -> float:
        """The highest settable target (the same range as `set_profile`)."""
        return self.device.temperature_range[1]

    @property
    def is_away_mode_on(self) -> bool:
        """Away (holiday) mode: the heater reports power save while it lasts."""
        return self.device.power_save

    @oso_action
    async def async_set_temperature(self, /, **kwargs: Any) -> DeviceChanges:
        """Set one target for every hour: a flat 24-hour profile, as HA core."""
        temperature = float(kwargs[ATTR_TEMPERATURE])
        check_temperature(self.device, temperature)
        hours = [int(temperature)] * profile.HOURS
        await self.coordinator.client.set_profile(self.device_id, hours)
        return _profile_changes(list(map(float, hours)))

    @oso_action
    async def async_turn_on(self, /, **kwargs: Any) -> None:  # noqa: ARG002
        """Heat until the upper limit (temporary, as HA core)."""
        await self.coordinator.client.turn_on(self.device_id, full_utilization=True)

    @oso_action
    async def async_turn_off(self, /, **kwargs: Any) -> None:  # noqa: ARG002
        """Block heating until the minimum (temporary, as HA core)."""
        await self.coordinator.client.turn_off(self.device_id, full_utilization=True)

    async def async_turn_away_mode_on(self) -> None:
        """Start holiday mode for DEFAULT_AWAY_DAYS days (as HA core)."""
        await self.async_oso_turn_away_mode_on(DEFAULT_AWAY_DAYS)

    @oso_action
    async def async_turn_away_mode_off(self) -> DeviceChanges:
        """End holiday mode."""
        await self.coordinator.client.disable_holiday_mode(self.device_id)
        return {"power_save": False}

    # Actions of the osoenergy domain (registered in services.py).

    async def async_get_profile(self) -> ServiceResponse:
        """Return the schedule by local hour, by UTC hour, and the offset used."""
        profile_utc = self.device.profile
        if profile_utc is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="profile_unavailable"
            )
        offset = profile.utc_offset(dt_util.now())
        return {
            "profile": [*profile.to_local(profile_utc, offset)],
            "profile_utc": [*profile_utc],
            "utc_offset": profile.format_offset(offset),
        }

    @oso_action
    async def async_set_profile(self, /, **kwargs: Any) -> DeviceChanges:
        """Change the given local hours (`hour_00` … `hour_23`) of a fresh profile.

        The profile is read from the cloud right now, not from the coordinator's
        cache, so a change made elsewhere in the meantime is kept. The cache is
        replaced only after the cloud has accepted the new profile.
        """
        changes = {
            hour: kwargs[key]
            for hour, key in enumerate(profile.HOUR_KEYS)
            if key in kwargs
        }
        for value in changes.values():
            check_temperature(self.device, value)
        device = await self._async_fetch_device()
        if device.profile is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="profile_unavailable"
            )
        offset = profile.utc_offset(dt_util.now())
        hours = profile.patch_local(device.profile, changes, offset)
        await self.coordinator.client.set_profile(
            self.device_id, profile.whole_numbers_as_int(hours)
        )
        return _profile_changes(hours)

    async def _async_fetch_device(self) -> Device:
        """Fetch this heater's current data from the cloud (bypassing the cache)."""
        for device in await self.coordinator.client.get_devices():
            if device.device_id == self.device_id:
                return device
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="device_not_found"
        )

    @oso_action
    async def async_set_v40_min(self, v40_min: float) -> DeviceChanges:
        """Set the V40 floor: whole litres within the heater's (or model's) range."""
        litres = check_v40_min(self.device, v40_min)
        await self.coordinator.client.set_v40_min(self.device_id, litres)
        return {"v40_min": float(litres)}

    @oso_action
    async def async_oso_turn_on(self, until_temp_limit: bool) -> None:
        """Heat until the upper limit (true) or for one hour (false)."""
        await self.coordinator.client.turn_on(
            self.device_id, full_utilization=until_temp_limit
        )

    @oso_action
    async def async_oso_turn_off(self, until_temp_limit: bool) -> None:
        """Block heating until the minimum (true) or for one hour (false)."""
        await self.coordinator.client.turn_off(
            self.device_id, full_utilization=until_temp_limit
        )

    @oso_action
    async def async_oso_turn_away_mode_on(self, duration_days: int) -> DeviceChanges:
        """Start holiday mode now for `duration_days` days."""
        start = dt_util.utcnow()
        await self.coordinator.client.enable_holiday_mode(
            self.device_id, start, start + timedelta(days=duration_days)
        )
        return {"power_save": True}
