"""Octopus Energy (Kraken) integration for Home Assistant.

Setup of an account entry: the account (stored fallback when the API is down),
the active meters, then the per-meter coordinators (rates, previous consumption)
and the Home Mini coordinator, all restored from storage before their first
refresh, so an entry with stored data sets up while Octopus is unreachable.
Entries of kinds this integration does not handle yet stay untouched and are
reported with a repair issue.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.helpers.typing import ConfigType
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .api import Account, OctopusEnergyNotFoundError
from .connection import create_client
from .const import CONF_ACCOUNT_ID, CONF_KIND, DOMAIN, KIND_ACCOUNT, LOGGER
from .data import OctopusEnergyConfigEntry, OctopusEnergyData
from .features.account.coordinator import AccountCoordinator
from .features.account.meters import active_meters
from .features.consumption.coordinator import create_consumption_coordinators
from .features.consumption.services import async_setup_services
from .features.home_mini.coordinator import create_home_mini_coordinator
from .features.rates.coordinator import create_rates_coordinators
from .migration import async_migrate_entry
from .models import AccountSettings, ActiveMeter
from .repairs import (
    async_delete_entry_issues,
    async_report_unsupported_kind,
    async_track_unknown_product,
    async_update_meter_issues,
    async_update_tariff_issues,
)

__all__ = ["async_migrate_entry"]

PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
METER_DEVICE_PREFIXES = ("electricity_", "gas_")


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the integration's actions once."""
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> bool:
    """Set up one account entry."""
    if entry.data.get(CONF_KIND, KIND_ACCOUNT) != KIND_ACCOUNT:
        async_report_unsupported_kind(hass, entry)
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unsupported_entry_kind",
            translation_placeholders={"kind": str(entry.data.get(CONF_KIND))},
        )
    account_number = str(entry.data[CONF_ACCOUNT_ID])
    if entry.unique_id is None:
        hass.config_entries.async_update_entry(entry, unique_id=account_number)
    client = create_client(hass, entry.data)
    settings = AccountSettings.from_entry(entry.data, entry.options)
    account = AccountCoordinator(hass, entry, client, account_number)
    await account.async_config_entry_first_refresh()
    now = dt_util.utcnow()
    meters = active_meters(account.data, now)
    data = OctopusEnergyData(
        account_number=account_number,
        client=client,
        settings=settings,
        account=account,
        meters=meters,
    )
    entry.runtime_data = data
    data.rates = create_rates_coordinators(hass, entry, client, meters, settings)
    data.previous_consumption = create_consumption_coordinators(
        hass, entry, client, meters, settings, data.rates
    )
    await _async_first_refreshes(hass, entry, data)
    _async_watch_account(hass, entry, data)
    _async_remove_stale_devices(hass, entry, meters)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    options = dict(entry.options)

    async def _async_options_updated(
        hass: HomeAssistant, entry: OctopusEnergyConfigEntry
    ) -> None:
        if dict(entry.options) != options:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def _async_first_refreshes(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry, data: OctopusEnergyData
) -> None:
    """Restore and refresh every meter coordinator: the rates, then the rest.

    The rates coordinators refresh first (concurrently), then the previous-
    consumption ones (concurrently), which take yesterday's rates and standing
    charge from the rates coordinators instead of asking for them again. The Home
    Mini's first refresh follows: one request for every device, gas included.
    Each coordinator restores its store before its first refresh and tolerates a
    failure while its stored data is still valid. Setup then fails only when a
    meter's rates are neither retrievable nor stored (HA retries), or on a refused
    key (reauth). A product Octopus does not know (404) raises a repair and leaves
    that meter's entities unavailable instead; so does a previous-consumption
    failure (it retries on its own). The Home Mini never fails setup.
    """
    rates: list[DataUpdateCoordinator[Any]] = list(data.rates.values())
    consumption: list[DataUpdateCoordinator[Any]] = list(
        data.previous_consumption.values()
    )
    results = [
        *await asyncio.gather(
            *(c.async_config_entry_first_refresh() for c in rates),
            return_exceptions=True,
        ),
        *await asyncio.gather(
            *(c.async_config_entry_first_refresh() for c in consumption),
            return_exceptions=True,
        ),
    ]
    for meter in data.meters:
        if (meter_rates := data.rates.get(meter.key)) is not None:
            async_track_unknown_product(hass, entry, meter, meter_rates)
    for coordinator, result in zip((*rates, *consumption), results, strict=True):
        if isinstance(result, ConfigEntryAuthFailed):
            raise result
        if not isinstance(result, BaseException):
            continue
        unknown = isinstance(
            getattr(coordinator.last_exception, "__cause__", None),
            OctopusEnergyNotFoundError,
        )
        if coordinator in rates and not unknown:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN, translation_key="rates_unavailable"
            ) from result
        LOGGER.warning("%s unavailable for now: %s", coordinator.name, result.__cause__)
    home_mini = create_home_mini_coordinator(
        hass, entry, data.client, data.meters, data.settings, data.rates
    )
    if home_mini is not None:
        await home_mini.async_restore()
        await home_mini.async_refresh()
        data.home_mini = home_mini


def _async_watch_account(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry, data: OctopusEnergyData
) -> None:
    """Raise repairs from each account retrieval; keep the account polled."""
    async_delete_entry_issues(hass, entry.entry_id)
    coordinator = data.account

    def _check(account: Account) -> None:
        now = dt_util.utcnow()
        async_update_tariff_issues(hass, entry, account, now)
        async_update_meter_issues(hass, entry, data.meters, account, now)

    if not coordinator.from_storage:
        async_update_tariff_issues(hass, entry, coordinator.data, dt_util.utcnow())
    coordinator.on_account = _check
    # The account has no entity of its own: this listener keeps its 6-hour polling.
    entry.async_on_unload(coordinator.async_add_listener(lambda: None))


def _async_remove_stale_devices(
    hass: HomeAssistant,
    entry: OctopusEnergyConfigEntry,
    meters: tuple[ActiveMeter, ...],
) -> None:
    """Detach meter devices whose meter has no active tariff any more."""
    active = {meter.device_identifier for meter in meters}
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        identifiers = {
            ident for domain, ident in device.identifiers if domain == DOMAIN
        }
        meter_ids = {i for i in identifiers if i.startswith(METER_DEVICE_PREFIXES)}
        if meter_ids and not meter_ids & active:
            LOGGER.debug("Removing a meter device without an active tariff")
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )


async def async_unload_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> bool:
    """Unload the account's entities (coordinators shut down with the entry)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> None:
    """Delete this integration's stores of a removed entry (never the community's)."""
    prefix = f"{DOMAIN}.{entry.entry_id}_"
    keys = await hass.async_add_executor_job(
        _store_keys, Path(hass.config.path(STORAGE_DIR)), prefix
    )
    for key in keys:
        await Store[Any](hass, 1, key).async_remove()


def _store_keys(directory: Path, prefix: str) -> list[str]:
    """The `.storage` keys starting with `prefix` (runs in the executor)."""
    if not directory.is_dir():
        return []
    return [path.name for path in directory.iterdir() if path.name.startswith(prefix)]


async def async_remove_config_entry_device(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
    device_entry: DeviceEntry,
) -> bool:
    """Let the user delete a device that is not an active meter's."""
    active = {meter.device_identifier for meter in entry.runtime_data.meters}
    return not any(
        domain == DOMAIN and ident in active
        for domain, ident in device_entry.identifiers
    )
