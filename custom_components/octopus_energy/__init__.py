"""Octopus Energy (Kraken) integration for Home Assistant.

Setup of an account entry builds its runtime data once: the API client (the one
the config flow validated, when the entry was just created), the account
coordinator (its first refresh reuses the flow's account, else the API, else the
stored account), the meters with a tariff active now, and every enabled feature of
the registry (`features.FEATURES`), each of which creates, restores and first-
refreshes its coordinators. The platforms then add each feature's entities. Every
later account retrieval goes to each feature (`async_account_updated`): a meter or
device that appears gets its entities without a reload.

Cost-tracker and tariff-comparison entries (`features.ENTRY_KINDS`) are set up by
their kind's own setup once their account entry is loaded (the account's setup
reloads those waiting for it). Entries of kinds this integration does not handle
(the community's legacy target-rate kinds) stay untouched and are reported with a
repair issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .api import Account
from .connection import (
    KEY_REFUSALS,
    async_take_flow_handoff,
    create_client,
    entry_key_refusals,
)
from .const import CONF_ACCOUNT_ID, DOMAIN, KIND_ACCOUNT, LOGGER
from .data import OctopusEnergyConfigEntry, OctopusEnergyData
from .entry_kinds import ChildConfigEntry, async_reload_waiting_children, entry_kind
from .features import ENTRY_KINDS, FEATURES, platforms
from .features.account.coordinator import AccountCoordinator
from .features.account.meters import active_meters
from .migration import async_migrate_entry
from .models import AccountSettings
from .repairs import async_report_unsupported_kind
from .services import async_setup_services

__all__ = ["async_migrate_entry"]

PLATFORMS = platforms()
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001
    """Register the integration's actions once."""
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> bool:
    """Set up one entry: an account, or a kind tied to an account."""
    kind = entry_kind(entry)
    if (child := ENTRY_KINDS.get(kind)) is not None:
        child_entry = cast("ChildConfigEntry", entry)
        child_entry.runtime_data = await child.async_setup(hass, child_entry)
        await hass.config_entries.async_forward_entry_setups(entry, child.platforms)
        return True
    if kind != KIND_ACCOUNT:
        async_report_unsupported_kind(hass, entry)
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unsupported_entry_kind",
            translation_placeholders={"kind": kind},
        )
    account_number = str(entry.data[CONF_ACCOUNT_ID])
    if entry.unique_id is None:
        hass.config_entries.async_update_entry(entry, unique_id=account_number)
    handoff = async_take_flow_handoff(hass, account_number)
    client = (
        handoff.client
        if handoff
        else create_client(hass, entry.data, entry_key_refusals(hass, entry.entry_id))
    )
    # a key the flow has just validated starts with no refusals
    hass.data.setdefault(KEY_REFUSALS, {})[entry.entry_id] = client.key_refusals
    account = AccountCoordinator(
        hass,
        entry,
        client,
        account_number,
        initial=handoff.account if handoff else None,
    )
    await account.async_config_entry_first_refresh()
    settings = AccountSettings.from_entry(entry.data, entry.options)
    data = OctopusEnergyData(
        hass=hass,
        entry=entry,
        account_number=account_number,
        client=client,
        settings=settings,
        account=account,
        meters={m.key: m for m in active_meters(account.data, dt_util.utcnow())},
    )
    data.features = {
        feature.key: feature(data)
        for feature in FEATURES
        if settings.feature_enabled(feature.option) and feature.available(account.data)
    }
    entry.runtime_data = data
    for feature in data.features.values():
        await feature.async_setup()
    _async_follow_account(entry, account)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    for feature in data.features.values():
        entry.async_create_task(
            hass, feature.async_start(), name=f"octopus_energy {feature.key} start"
        )
    options = dict(entry.options)

    async def _async_options_updated(
        hass: HomeAssistant, entry: OctopusEnergyConfigEntry
    ) -> None:
        if dict(entry.options) != options:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_options_updated))

    @callback
    def _async_state_changed() -> None:
        if entry.state is ConfigEntryState.LOADED:
            async_reload_waiting_children(hass, account_number)

    entry.async_on_unload(entry.async_on_state_change(_async_state_changed))
    return True


def _async_follow_account(
    entry: OctopusEnergyConfigEntry, account: AccountCoordinator
) -> None:
    """Hand every new account retrieval to the features, in registry order.

    The listener also keeps the account polled (it has no entity of its own).
    """
    seen = account.data

    async def _async_update(new: Account) -> None:
        for feature in entry.runtime_data.features.values():
            await feature.async_account_updated(new)

    @callback
    def _on_account() -> None:
        nonlocal seen
        if account.data is seen or account.data is None:
            return
        seen = account.data
        entry.async_create_task(
            entry.runtime_data.hass,
            _async_update(account.data),
            name="octopus_energy account update",
        )

    entry.async_on_unload(account.async_add_listener(_on_account))


async def async_unload_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> bool:
    """Unload the entry's entities (coordinators shut down with the entry)."""
    if (child := ENTRY_KINDS.get(entry_kind(entry))) is not None:
        child_entry = cast("ChildConfigEntry", entry)
        unloaded = await hass.config_entries.async_unload_platforms(
            entry, child.platforms
        )
        if unloaded:
            await child_entry.runtime_data.async_unload()
        return unloaded
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: OctopusEnergyConfigEntry
) -> None:
    """Delete this integration's stores of a removed entry (never the community's)."""
    hass.data.get(KEY_REFUSALS, {}).pop(entry.entry_id, None)
    prefix = f"{DOMAIN}.{entry.entry_id}_"
    keys = await hass.async_add_executor_job(
        _store_keys, Path(hass.config.path(STORAGE_DIR)), prefix
    )
    for key in keys:
        await Store[Any](hass, 1, key).async_remove()
    LOGGER.debug("Removed %s stores of a deleted entry", len(keys))


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
    """Let the user delete a device that is not a current meter's."""
    if entry_kind(entry) != KIND_ACCOUNT:
        return True
    account = entry.runtime_data.account.data
    active = {m.device_identifier for m in active_meters(account, dt_util.utcnow())}
    return not any(
        domain == DOMAIN and ident in active
        for domain, ident in device_entry.identifiers
    )
