"""The actions of the OSO Energy integration (same names and fields as HA core).

Every action targets this integration's water heaters and runs a method of
`water_heater.OSOEnergyWaterHeater`. They are registered once, in `async_setup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, SupportsResponse, callback
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .compat import async_register_platform_entity_service
from .const import DOMAIN
from .profile import HOUR_KEYS

ATTR_DURATION_DAYS: Final = "duration_days"
ATTR_UNTIL_TEMP_LIMIT: Final = "until_temp_limit"
ATTR_V40_MIN: Final = "v40_min"

MAX_AWAY_DAYS: Final = 365

_PROFILE_TEMPERATURE = vol.Coerce(int)
"""Whole °C; the range is the heater's own, checked by the entity (translated)."""
_UNTIL_TEMP_LIMIT_SCHEMA: Final = {vol.Required(ATTR_UNTIL_TEMP_LIMIT): cv.boolean}


@dataclass(frozen=True, kw_only=True)
class EntityAction:
    """One action: its name, the entity method it runs and its fields."""

    name: str
    method: str
    schema: dict[Any, Any]
    supports_response: SupportsResponse = SupportsResponse.NONE


ACTIONS: Final = (
    EntityAction(
        name="get_profile",
        method="async_get_profile",
        schema={},
        supports_response=SupportsResponse.ONLY,
    ),
    EntityAction(
        name="set_profile",
        method="async_set_profile",
        schema={vol.Optional(key): _PROFILE_TEMPERATURE for key in HOUR_KEYS},
    ),
    EntityAction(
        name="set_v40_min",
        method="async_set_v40_min",
        # Whole litres within the heater's range, checked by the entity (translated).
        schema={vol.Required(ATTR_V40_MIN): vol.Coerce(float)},
    ),
    EntityAction(
        name="turn_on", method="async_oso_turn_on", schema=_UNTIL_TEMP_LIMIT_SCHEMA
    ),
    EntityAction(
        name="turn_off", method="async_oso_turn_off", schema=_UNTIL_TEMP_LIMIT_SCHEMA
    ),
    EntityAction(
        name="turn_away_mode_on",
        method="async_oso_turn_away_mode_on",
        schema={
            vol.Required(ATTR_DURATION_DAYS): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=MAX_AWAY_DAYS)
            )
        },
    ),
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions; each runs on the targeted OSO water heaters."""
    for action in ACTIONS:
        async_register_platform_entity_service(
            hass,
            DOMAIN,
            action.name,
            entity_domain=Platform.WATER_HEATER,
            func=action.method,
            schema=action.schema,
            supports_response=action.supports_response,
        )
