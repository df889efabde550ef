"""Heat-pump commands: validation, the API call, the optimistic update.

Every command is checked before anything is sent (a translated
`ServiceValidationError` names the allowed values); a refusal or failure of
Octopus becomes a translated `HomeAssistantError` carrying the API's reason. An
accepted command is shown at once and confirmed by one refresh
(`HeatPumpCoordinator.apply`).
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from ...api import HeatPump, OctopusEnergyError
from ...const import DOMAIN
from .entities import HeatPumpEntity
from .model import (
    ZoneView,
    default_boost_c,
    with_flow_configuration,
    with_zone_operation,
    zone_limits,
    zone_view,
)

MAX_BOOST: Final = timedelta(hours=12)
DEFAULT_BOOST: Final = timedelta(hours=1)
FLOW_LIMITS: Final = (30.0, 70.0)
FLOW_STEP: Final = 0.5
BOOST: Final = "BOOST"


def _invalid(key: str, **placeholders: Any) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={k: str(v) for k, v in placeholders.items()},
    )


def _number(value: float) -> str:
    return f"{value:g}"


def boost_duration(hours: int, minutes: int) -> timedelta:
    """A boost's length: more than zero, at most 12 hours."""
    duration = timedelta(hours=hours, minutes=minutes)
    if hours < 0 or minutes < 0 or not timedelta(0) < duration <= MAX_BOOST:
        raise _invalid("invalid_boost_duration", maximum=12)
    return duration


def check_target(value: float, limits: tuple[float, float]) -> float:
    """A zone setpoint inside the zone's limits."""
    low, high = limits
    if not low <= value <= high:
        raise _invalid(
            "invalid_target_temperature",
            temperature=_number(value),
            minimum=_number(low),
            maximum=_number(high),
        )
    return value


def check_flow_temperature(value: float) -> float:
    """A flow temperature: 30-70 °C in 0.5 °C steps."""
    low, high = FLOW_LIMITS
    if not low <= value <= high or (value / FLOW_STEP) % 1:
        raise _invalid(
            "invalid_flow_temperature",
            temperature=_number(value),
            minimum=_number(low),
            maximum=_number(high),
            step=_number(FLOW_STEP),
        )
    return value


class HeatPumpZoneEntity(HeatPumpEntity):
    """A climate or water-heater entity of one zone, with its commands."""

    zone: str

    @property
    def zone_view(self) -> ZoneView | None:
        """The zone's current data (None once the controller lost the zone)."""
        return zone_view(self.heat_pump, self.zone)

    @property
    def available(self) -> bool:
        """Available while the coordinator is and the zone exists."""
        return super().available and self.zone_view is not None

    def _zone(self) -> ZoneView:
        zone = self.zone_view
        if zone is None:
            raise _invalid("heat_pump_zone_missing", zone=self.zone)
        return zone

    @property
    def _limits(self) -> tuple[float, float]:
        zone = self.zone_view
        if zone is None:
            return 7.0, 60.0
        return zone_limits(self.heat_pump, zone)

    async def _async_command(
        self, request: Awaitable[Any], optimistic: HeatPump | None
    ) -> None:
        """Send a command; show its result at once, confirmed by a refresh."""
        try:
            await request
        except OctopusEnergyError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="heat_pump_command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        if optimistic is not None:
            self.coordinator.apply(optimistic)

    async def async_set_zone(
        self,
        mode: str,
        setpoint_c: float | None = None,
        end: datetime | None = None,
    ) -> None:
        """Set the zone's mode (and setpoint, and a boost's end)."""
        zone = self._zone()
        if setpoint_c is not None:
            check_target(setpoint_c, zone_limits(self.heat_pump, zone))
        coordinator = self.coordinator
        await self._async_command(
            coordinator.client.set_heat_pump_zone_mode(
                coordinator.account_number,
                coordinator.euid,
                zone.code,
                mode,
                setpoint_c=setpoint_c,
                end_at=end,
            ),
            with_zone_operation(self.heat_pump, zone.code, mode, setpoint_c, end),
        )

    async def async_set_setpoint(self, setpoint_c: float) -> None:
        """Change the target in the zone's current mode (a boost keeps its end)."""
        zone = self._zone()
        mode = zone.mode or "AUTO"
        end = None
        if mode == BOOST:
            end = zone.config.operation_end or dt_util.utcnow() + DEFAULT_BOOST
        await self.async_set_zone(mode, setpoint_c, end)

    async def async_boost(
        self,
        hours: int = 1,
        minutes: int = 0,
        target_temperature: float | None = None,
    ) -> None:
        """Boost for a duration at a target (the current one, else a default)."""
        zone = self._zone()
        duration = boost_duration(hours, minutes)
        target = target_temperature
        if target is None:
            target = zone.setpoint_c or default_boost_c(zone)
        await self.async_set_zone(BOOST, target, dt_util.utcnow() + duration)

    async def async_boost_heat_pump_zone(
        self, hours: int, minutes: int, target_temperature: float | None = None
    ) -> None:
        """The `boost_heat_pump_zone` action."""
        await self.async_boost(hours, minutes, target_temperature)

    async def async_boost_water_heater(
        self, hours: int, minutes: int, target_temperature: float | None = None
    ) -> None:
        """The `boost_water_heater` action."""
        await self.async_boost(hours, minutes, target_temperature)

    async def async_set_heat_pump_flow_temp_config(
        self,
        weather_comp_enabled: bool,
        weather_comp_min_temperature: float,
        weather_comp_max_temperature: float,
        fixed_flow_temperature: float,
    ) -> None:
        """The `set_heat_pump_flow_temp_config` action (the whole pump)."""
        for value in (
            weather_comp_min_temperature,
            weather_comp_max_temperature,
            fixed_flow_temperature,
        ):
            check_flow_temperature(value)
        if weather_comp_min_temperature >= weather_comp_max_temperature:
            raise _invalid(
                "invalid_weather_compensation_range",
                minimum=_number(weather_comp_min_temperature),
                maximum=_number(weather_comp_max_temperature),
            )
        coordinator = self.coordinator
        await self._async_command(
            coordinator.client.set_heat_pump_flow_temperature(
                coordinator.account_number,
                coordinator.euid,
                weather_compensation=weather_comp_enabled,
                flow_temperature_c=fixed_flow_temperature,
                weather_compensation_min_c=weather_comp_min_temperature,
                weather_compensation_max_c=weather_comp_max_temperature,
            ),
            with_flow_configuration(
                self.heat_pump,
                weather_compensation=weather_comp_enabled,
                flow_temperature_c=fixed_flow_temperature,
                minimum_c=weather_comp_min_temperature,
                maximum_c=weather_comp_max_temperature,
            ),
        )

    async def async_set_heat_pump_hush_mode(self, is_enabled: bool) -> None:
        """The `set_heat_pump_hush_mode` action (no readable state to update)."""
        coordinator = self.coordinator
        await self._async_command(
            coordinator.client.set_heat_pump_hush_mode(
                coordinator.account_number, coordinator.euid, enabled=is_enabled
            ),
            None,
        )
