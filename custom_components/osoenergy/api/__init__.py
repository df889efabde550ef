"""HA-free async client for the OSO Energy water-heater cloud API."""

from .client import DEFAULT_BASE_URL, OSOEnergyClient
from .exceptions import (
    OSOEnergyAuthenticationError,
    OSOEnergyConnectionError,
    OSOEnergyError,
    OSOEnergyNotFoundError,
    OSOEnergyRateLimitError,
    OSOEnergyResponseError,
    OSOEnergyServerError,
    OSOEnergyTimeoutError,
)
from .models import HEATER_MODES, OPTIMIZATION_MODES, PROFILE_HOURS, Device, UserDetails

__all__ = [
    "DEFAULT_BASE_URL",
    "HEATER_MODES",
    "OPTIMIZATION_MODES",
    "PROFILE_HOURS",
    "Device",
    "OSOEnergyAuthenticationError",
    "OSOEnergyClient",
    "OSOEnergyConnectionError",
    "OSOEnergyError",
    "OSOEnergyNotFoundError",
    "OSOEnergyRateLimitError",
    "OSOEnergyResponseError",
    "OSOEnergyServerError",
    "OSOEnergyTimeoutError",
    "UserDetails",
]
