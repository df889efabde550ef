"""The OSO Energy integration: OSO smart water heaters through the OSO cloud API."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import (
    OSOEnergyConfigEntry,
    OSOEnergyCoordinator,
    heater_store,
    scan_interval,
)
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.WATER_HEATER,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the integration's actions once."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: OSOEnergyConfigEntry) -> bool:
    """Set up one OSO account: fetch its heaters, then create their entities.

    A failing first fetch raises ConfigEntryNotReady (HA retries) or, for a refused
    key, ConfigEntryAuthFailed (HA asks for a new key).
    """
    coordinator = OSOEnergyCoordinator(hass, entry)
    await coordinator.async_load()
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_options_updated(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
) -> None:
    """Apply a new polling interval from the next poll on (no reload)."""
    entry.runtime_data.async_set_scan_interval(scan_interval(entry))


async def async_unload_entry(hass: HomeAssistant, entry: OSOEnergyConfigEntry) -> bool:
    """Unload the account's entities."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: OSOEnergyConfigEntry) -> None:
    """Forget the stored heaters of a deleted entry."""
    await heater_store(hass, entry.entry_id).async_remove()


async def async_remove_config_entry_device(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OSOEnergyConfigEntry,
    device_entry: DeviceEntry,
) -> bool:
    """Let the user delete a heater the account does not report (now)."""
    coordinator = entry.runtime_data
    ids = {ident for domain, ident in device_entry.identifiers if domain == DOMAIN}
    if any(coordinator.present(device_id) for device_id in ids):
        return False
    for device_id in ids:
        coordinator.async_forget_device(device_id)
    return True
