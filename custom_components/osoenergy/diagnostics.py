"""Diagnostics of the OSO Energy integration: entry, coordinator, raw device data."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .coordinator import OSOEnergyConfigEntry

TO_REDACT = {
    CONF_API_KEY,
    "email",
    "deviceId",
    "deviceName",
    "title",
    "unique_id",
}
"""The key, the account e-mail (also the entry's title and unique id) and device ids."""


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
) -> dict[str, Any]:
    """Return the entry, the coordinator's state and every heater's raw payload.

    Devices are listed by position, never keyed by their (secret) id.
    """
    coordinator = entry.runtime_data
    interval = coordinator.update_interval
    error = coordinator.last_exception
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "minor_version": entry.minor_version,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "coordinator": {
                "last_update_success": coordinator.last_update_success,
                "update_interval": interval.total_seconds() if interval else None,
                "last_exception": type(error).__name__ if error else None,
                "stale": coordinator.stale,
                "missing_heaters": len(coordinator.missing),
            },
            "devices": [device.raw for device in coordinator.data.values()],
        },
        TO_REDACT,
    )
