"""The zone entities: a climate entity per heating zone, a water heater per water zone.

Climate (`climate.octopus_energy_heat_pump_{EUID}_{ZONE}`): HVAC modes heat / off
/ auto = Octopus `ON` / `OFF` / `AUTO`; a boost shows as auto with the preset
boost (choosing the preset boosts for an hour, leaving it returns to auto);
current temperature and humidity from the zone's primary sensor.

Water heater (`water_heater.octopus_energy_heat_pump_{EUID}`): operations
electric / off / heat_pump / high_demand = `ON` / `OFF` / `AUTO` / `BOOST`. The
first water zone keeps the community unique id `{H}`; a further one gets
`{H}_{ZONE}` so the two cannot collide (the community integration's defect).
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.climate import (  # type: ignore[attr-defined,unused-ignore]
    ClimateEntity,
    ClimateEntityFeature,
)
from homeassistant.components.climate.const import (
    DOMAIN as CLIMATE_DOMAIN,
    PRESET_BOOST,
    PRESET_NONE,
    HVACAction,
    HVACMode,
)
from homeassistant.components.water_heater import (  # type: ignore[attr-defined,unused-ignore]
    WaterHeaterEntity,
    WaterHeaterEntityFeature,
)
from homeassistant.components.water_heater.const import (
    DOMAIN as WATER_HEATER_DOMAIN,
    STATE_ELECTRIC,
    STATE_HEAT_PUMP,
    STATE_HIGH_DEMAND,
)
from homeassistant.const import ATTR_TEMPERATURE, STATE_OFF, UnitOfTemperature
from homeassistant.helpers.entity import Entity

from .commands import BOOST, HeatPumpZoneEntity
from .coordinator import HeatPumpCoordinator
from .model import heating_zones, sensor_status, water_zones

HVAC_TO_OCTOPUS: Final = {
    HVACMode.HEAT: "ON",
    HVACMode.OFF: "OFF",
    HVACMode.AUTO: "AUTO",
}
OCTOPUS_TO_HVAC: Final = {v: k for k, v in HVAC_TO_OCTOPUS.items()} | {
    BOOST: HVACMode.AUTO
}
OPERATION_TO_OCTOPUS: Final = {
    STATE_ELECTRIC: "ON",
    STATE_OFF: "OFF",
    STATE_HEAT_PUMP: "AUTO",
    STATE_HIGH_DEMAND: BOOST,
}
OCTOPUS_TO_OPERATION: Final = {v: k for k, v in OPERATION_TO_OCTOPUS.items()}


class ZoneEntityMixin(HeatPumpZoneEntity):
    """Temperatures common to both zone entities."""

    @property
    def current_temperature(self) -> float | None:
        """The primary sensor's temperature."""
        zone = self.zone_view
        status = sensor_status(
            self.heat_pump, zone.config.primary_sensor if zone else None
        )
        return None if status is None else status.temperature_c

    @property
    def target_temperature(self) -> float | None:
        """The zone's setpoint."""
        zone = self.zone_view
        return None if zone is None else zone.setpoint_c

    @property
    def min_temp(self) -> float:
        """The zone's lowest setpoint."""
        return self._limits[0]

    @property
    def max_temp(self) -> float:
        """The zone's highest setpoint."""
        return self._limits[1]


class HeatPumpClimate(ZoneEntityMixin, ClimateEntity):
    """One heating zone."""

    _attr_translation_key = "heat_pump_zone"
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.PRESET_MODE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(self, coordinator: HeatPumpCoordinator, zone: str) -> None:
        """Create the zone's climate entity on the pump's device."""
        super().__init__(coordinator, platform=CLIMATE_DOMAIN, suffix=f"_{zone}")
        self.zone = zone
        self._attr_hvac_modes = list(HVAC_TO_OCTOPUS)
        self._attr_preset_modes = [PRESET_NONE, PRESET_BOOST]
        view = self.zone_view
        name = view.config.display_name if view else None
        self._attr_translation_placeholders = {"zone": name or zone}

    @property
    def hvac_mode(self) -> HVACMode | None:
        """heat, off or auto (a boost is auto with the boost preset)."""
        zone = self.zone_view
        return OCTOPUS_TO_HVAC.get(zone.mode or "") if zone else None

    @property
    def preset_mode(self) -> str:
        """Boost while the zone is boosted."""
        zone = self.zone_view
        return PRESET_BOOST if zone and zone.mode == BOOST else PRESET_NONE

    @property
    def hvac_action(self) -> HVACAction | None:
        """Heating while the relay is on, idle otherwise, off when off."""
        zone = self.zone_view
        if zone is None or zone.heating is None:
            return None
        if zone.mode == "OFF":
            return HVACAction.OFF
        return HVACAction.HEATING if zone.heating else HVACAction.IDLE

    @property
    def current_humidity(self) -> float | None:
        """The primary sensor's humidity (Zigbee sensors)."""
        zone = self.zone_view
        status = sensor_status(
            self.heat_pump, zone.config.primary_sensor if zone else None
        )
        return None if status is None else status.humidity_percentage

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When a boost ends."""
        zone = self.zone_view
        end = zone.config.operation_end if zone and zone.mode == BOOST else None
        return {"boost_end": end.isoformat() if end else None}

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """ON keeps the current target; AUTO follows the schedule; OFF."""
        mode = HVAC_TO_OCTOPUS[hvac_mode]
        setpoint = self.target_temperature if mode == "ON" else None
        await self.async_set_zone(mode, setpoint)

    async def async_turn_on(self) -> None:
        """On = auto (the zone's schedule), as in the Octopus app."""
        await self.async_set_zone("AUTO")

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """A new target (and mode, when given)."""
        temperature = kwargs.get(ATTR_TEMPERATURE)
        if (hvac_mode := kwargs.get("hvac_mode")) is not None:
            await self.async_set_zone(HVAC_TO_OCTOPUS[HVACMode(hvac_mode)], temperature)
        elif temperature is not None:
            await self.async_set_setpoint(float(temperature))

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Boost for an hour; none ends a boost (back to auto)."""
        if preset_mode == PRESET_BOOST:
            await self.async_boost()
        elif self.preset_mode == PRESET_BOOST:
            await self.async_set_zone("AUTO")


class HeatPumpWaterHeater(ZoneEntityMixin, WaterHeaterEntity):
    """One hot-water zone."""

    _attr_translation_key = "heat_pump_water"
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _attr_supported_features = (
        WaterHeaterEntityFeature.TARGET_TEMPERATURE
        | WaterHeaterEntityFeature.OPERATION_MODE
    )

    def __init__(
        self, coordinator: HeatPumpCoordinator, zone: str, *, first: bool
    ) -> None:
        """The first water zone keeps the community unique id (no zone code)."""
        super().__init__(
            coordinator,
            platform=WATER_HEATER_DOMAIN,
            suffix="" if first else f"_{zone}",
        )
        self.zone = zone
        self._attr_operation_list = list(OPERATION_TO_OCTOPUS)

    @property
    def current_operation(self) -> str | None:
        """electric, off, heat_pump or high_demand."""
        zone = self.zone_view
        return OCTOPUS_TO_OPERATION.get(zone.mode or "") if zone else None

    async def async_set_operation_mode(self, operation_mode: str) -> None:
        """high_demand boosts for an hour; the others set the mode."""
        mode = OPERATION_TO_OCTOPUS[operation_mode]
        if mode == BOOST:
            await self.async_boost()
        else:
            setpoint = self.target_temperature if mode == "ON" else None
            await self.async_set_zone(mode, setpoint)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """A new target in the current mode."""
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            await self.async_set_setpoint(float(temperature))


def climate_entities(coordinator: HeatPumpCoordinator) -> list[Entity]:
    """A climate entity per enabled heating zone."""
    data = coordinator.data
    return (
        []
        if data is None
        else [HeatPumpClimate(coordinator, zone) for zone in heating_zones(data)]
    )


def water_heater_entities(coordinator: HeatPumpCoordinator) -> list[Entity]:
    """A water heater per enabled water zone."""
    data = coordinator.data
    return (
        []
        if data is None
        else [
            HeatPumpWaterHeater(coordinator, zone, first=index == 0)
            for index, zone in enumerate(water_zones(data))
        ]
    )
