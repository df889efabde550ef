"""Entries tied to an account entry: cost trackers and tariff comparisons.

The community integration keeps these as separate top-level config entries
(`kind` = `cost_tracker` / `tariff_comparison`) linked to their account by
`account_id` in their data. Their setup needs the account entry loaded (its
meters, rates, previous consumption and client): until it is, setup raises
`ConfigEntryNotReady`, and the account's setup reloads the child entries that
wait for it. Children look the account's coordinators up when they use them
(`account_runtime`), so an account reload never leaves them holding stale ones.

`ChildEntryData` is the runtime data of such an entry: its entities per platform
(the thin platform modules call `setup_platform`, as for account entries), the
teardown to run on unload and a diagnostics section.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .api import Fuel
from .const import (
    CONF_ACCOUNT_ID,
    CONF_KIND,
    DOMAIN,
    KIND_ACCOUNT,
    KIND_COST_TRACKER,
    KIND_TARIFF_COMPARISON,
)
from .data import OctopusEnergyData
from .models import ActiveMeter

CHILD_KINDS = (KIND_COST_TRACKER, KIND_TARIFF_COMPARISON)


def entry_kind(entry: ConfigEntry[Any]) -> str:
    """The entry's kind (entries without one are accounts)."""
    return str(entry.data.get(CONF_KIND, KIND_ACCOUNT))


def _same_account(entry: ConfigEntry[Any], account_id: str) -> bool:
    return (
        entry_kind(entry) == KIND_ACCOUNT
        and str(entry.data.get(CONF_ACCOUNT_ID, "")).strip().upper()
        == account_id.strip().upper()
    )


@callback
def account_entries(hass: HomeAssistant) -> list[ConfigEntry[Any]]:
    """Every account entry of the integration."""
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry_kind(entry) == KIND_ACCOUNT
    ]


@callback
def account_runtime(hass: HomeAssistant, account_id: str) -> OctopusEnergyData | None:
    """The runtime data of the loaded account entry of `account_id`, if any."""
    for entry in account_entries(hass):
        if _same_account(entry, account_id) and entry.state is ConfigEntryState.LOADED:
            runtime = entry.runtime_data
            return runtime if isinstance(runtime, OctopusEnergyData) else None
    return None


def require_account(hass: HomeAssistant, account_id: str) -> OctopusEnergyData:
    """The loaded account's runtime data, else `ConfigEntryNotReady`."""
    runtime = account_runtime(hass, account_id)
    if runtime is None:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="account_not_loaded"
        )
    return runtime


def find_meter(
    runtime: OctopusEnergyData, mpxn: str, fuels: Iterable[Fuel] = tuple(Fuel)
) -> ActiveMeter | None:
    """The account's active meter on a meter point (electricity or gas)."""
    wanted = set(fuels)
    for meter in runtime.meters.values():
        if meter.mpxn == mpxn and meter.fuel in wanted:
            return meter
    return None


@callback
def async_reload_waiting_children(hass: HomeAssistant, account_id: str) -> None:
    """Reload the child entries of an account that wait for it (setup retry)."""
    for entry in hass.config_entries.async_entries(DOMAIN):
        if (
            entry_kind(entry) in CHILD_KINDS
            and str(entry.data.get(CONF_ACCOUNT_ID, "")).strip().upper()
            == account_id.strip().upper()
            and entry.state is ConfigEntryState.SETUP_RETRY
        ):
            hass.config_entries.async_schedule_reload(entry.entry_id)


@dataclass(kw_only=True)
class ChildEntryData:
    """Runtime data of a cost-tracker or tariff-comparison entry."""

    kind: str
    entities: dict[Platform, list[Entity]] = field(default_factory=dict)
    teardown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    diagnostics_fn: Callable[[], dict[str, Any]] = dict

    def setup_platform(
        self, platform: Platform, async_add_entities: AddEntitiesCallback
    ) -> None:
        """Add the entry's entities of one platform."""
        async_add_entities(self.entities.get(platform, []))

    async def async_unload(self) -> None:
        """Run the teardown (flush stores, stop listeners)."""
        for step in self.teardown:
            await step()

    def diagnostics(self) -> dict[str, Any]:
        """The entry's part of the diagnostics download."""
        return self.diagnostics_fn()


type ChildConfigEntry = ConfigEntry[ChildEntryData]


@dataclass(frozen=True, kw_only=True)
class EntryKind:
    """A kind of child entry: its platforms, actions and setup."""

    kind: str
    platforms: tuple[Platform, ...]
    services: tuple[Any, ...]
    """`EntityService`s (registered once, with the features' actions)."""
    async_setup: Callable[[HomeAssistant, ChildConfigEntry], Awaitable[ChildEntryData]]
