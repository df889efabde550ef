"""The heat-pump actions (names and fields of the community integration).

The schemas only check types; ranges (duration, zone limits, flow temperatures)
are checked by the entity so that a violation is a translated
`ServiceValidationError` naming the allowed values (`commands.py`).
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ...feature import EntityService
from .zones import HeatPumpClimate, HeatPumpWaterHeater

_BOOST: dict[Any, Any] = {
    vol.Required("hours"): vol.Coerce(int),
    vol.Required("minutes"): vol.Coerce(int),
    vol.Optional("target_temperature"): vol.Coerce(float),
}

HEAT_PUMP_SERVICES: tuple[EntityService, ...] = (
    EntityService(
        name="boost_heat_pump_zone",
        platform=Platform.CLIMATE,
        method="async_boost_heat_pump_zone",
        entity_types=(HeatPumpClimate,),
        schema=_BOOST,
    ),
    EntityService(
        name="boost_water_heater",
        platform=Platform.WATER_HEATER,
        method="async_boost_water_heater",
        entity_types=(HeatPumpWaterHeater,),
        schema=_BOOST,
    ),
    EntityService(
        name="set_heat_pump_flow_temp_config",
        platform=Platform.CLIMATE,
        method="async_set_heat_pump_flow_temp_config",
        entity_types=(HeatPumpClimate,),
        schema={
            vol.Required("weather_comp_enabled"): cv.boolean,
            vol.Required("weather_comp_min_temperature"): vol.Coerce(float),
            vol.Required("weather_comp_max_temperature"): vol.Coerce(float),
            vol.Required("fixed_flow_temperature"): vol.Coerce(float),
        },
    ),
    EntityService(
        name="set_heat_pump_hush_mode",
        platform=Platform.CLIMATE,
        method="async_set_heat_pump_hush_mode",
        entity_types=(HeatPumpClimate,),
        schema={vol.Required("is_enabled"): cv.boolean},
    ),
)
