"""The OSO Energy data coordinator: one device-list request per interval."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
import os
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    DEFAULT_BASE_URL,
    Device,
    OSOEnergyAuthenticationError,
    OSOEnergyClient,
    OSOEnergyError,
    OSOEnergyRateLimitError,
)
from .const import (
    CONF_BASE_URL,
    DOMAIN,
    ENV_BASE_URL,
    LOGGER,
    REFRESH_COOLDOWN,
    SCAN_INTERVAL,
)

type OSOEnergyConfigEntry = ConfigEntry[OSOEnergyCoordinator]


def api_base_url(data: Mapping[str, Any]) -> str:
    """The API host of an entry: the real cloud unless a development host is set."""
    return str(
        data.get(CONF_BASE_URL) or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    )


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OSOEnergyClient:
    """Build an API client for config-entry (or config-flow) data."""
    return OSOEnergyClient(
        api_key=data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=api_base_url(data),
    )


class OSOEnergyCoordinator(DataUpdateCoordinator[dict[str, Device]]):
    """Fetch every heater of one account; the data maps device id to device."""

    config_entry: OSOEnergyConfigEntry

    def __init__(self, hass: HomeAssistant, entry: OSOEnergyConfigEntry) -> None:
        """Create the coordinator and its API client."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=SCAN_INTERVAL,
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REFRESH_COOLDOWN, immediate=False
            ),
        )
        self.client = create_client(hass, entry.data)
        self._offline: set[str] = set()

    async def _async_update_data(self) -> dict[str, Device]:
        """Fetch the device list; raise so that entities go unavailable on failure."""
        try:
            devices = await self.client.get_devices()
        except OSOEnergyAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OSOEnergyRateLimitError as err:
            wait = max(SCAN_INTERVAL.total_seconds(), err.retry_after or 0.0)
            self.update_interval = timedelta(seconds=wait)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(wait))},
            ) from err
        except OSOEnergyError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        self.update_interval = SCAN_INTERVAL
        data = {device.device_id: device for device in devices}
        self._log_connectivity(data)
        self._remove_stale_devices(data)
        return data

    def _log_connectivity(self, data: dict[str, Device]) -> None:
        """Log once when a heater loses its cloud connection, once when it is back."""
        offline = {device_id for device_id, dev in data.items() if not dev.connected}
        for device_id in offline - self._offline:
            LOGGER.info(
                "Water heater %s is not connected to the cloud", data[device_id].name
            )
        for device_id in (self._offline - offline) & data.keys():
            LOGGER.info("Water heater %s is connected again", data[device_id].name)
        self._offline = offline

    def _remove_stale_devices(self, data: dict[str, Device]) -> None:
        """Remove devices the account no longer has from the device registry."""
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(
            registry, self.config_entry.entry_id
        ):
            ids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if ids and not ids & data.keys():
                LOGGER.info(
                    "Removing water heater %s: the account no longer has it",
                    device.name,
                )
                registry.async_update_device(
                    device.id, remove_config_entry_id=self.config_entry.entry_id
                )
