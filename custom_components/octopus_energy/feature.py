"""What a feature of an Octopus Energy account is.

A feature (rates, consumption, Home Mini, Octoplus, heat pump, ...) is one folder
under `features/` holding its coordinators, entity descriptions and actions, and one
`Feature` subclass that the registry (`features/__init__.py`) lists. The entry's
setup creates every enabled feature in registry order, awaits `async_setup()` (the
feature creates, restores and first-refreshes the coordinators setup cannot do
without), then the platforms ask each feature for its entities
(`entities(platform)`), and `async_start()` runs the retrievals that need not
delay setup. After every account
retrieval `async_account_updated()` lets a feature follow the account: entities of
a new meter or device are added with `runtime.add_entities` without a reload.

A feature reaches the rest of the entry only through the `FeatureRuntime` protocol
(the entry's runtime data implements it), so this module imports no coordinator and
no runtime data: the dependency goes one way, from the features to this base.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api import Account, OctopusEnergyClient
from .models import AccountSettings, ActiveMeter


class FeatureRuntime(Protocol):
    """What a feature may use of its entry (implemented by the runtime data)."""

    @property
    def hass(self) -> HomeAssistant:
        """Home Assistant."""

    @property
    def entry(self) -> ConfigEntry[Any]:
        """The account's config entry."""

    @property
    def client(self) -> OctopusEnergyClient:
        """The account's API client (one per entry; its request counter)."""

    @property
    def account_number(self) -> str:
        """The account number as the entry stores it (builds unique ids)."""

    @property
    def settings(self) -> AccountSettings:
        """Entry data and options."""

    @property
    def account(self) -> DataUpdateCoordinator[Account]:
        """The account coordinator (retrieved before any feature is set up)."""

    @property
    def meters(self) -> Mapping[str, ActiveMeter]:
        """Every meter the entry has entities for, by `ActiveMeter.key`."""

    def add_meter(self, meter: ActiveMeter) -> bool:
        """Add a meter that appeared on the account (False if already known)."""

    def coordinators(self) -> list[DataUpdateCoordinator[Any]]:
        """The account coordinator and every feature's coordinators."""

    def feature[FeatureT: Feature](self, kind: type[FeatureT]) -> FeatureT | None:
        """The enabled feature of that class, or None."""

    def add_entities(self, platform: Platform, entities: Iterable[Entity]) -> None:
        """Add entities to a platform now or, before it is set up, with it."""


class Feature(ABC):
    """One feature of an account entry."""

    key: ClassVar[str]
    """Stable name (diagnostics, logs)."""
    option: ClassVar[str | None] = None
    """The options switch that turns the feature off, or None (always on)."""
    platforms: ClassVar[frozenset[Platform]] = frozenset()
    """Platforms the feature adds entities to."""
    services: ClassVar[tuple[EntityService, ...]] = ()
    """Entity actions (registered once, by `services.py`)."""

    def __init__(self, runtime: FeatureRuntime) -> None:
        """Keep the runtime; nothing is requested before `async_setup`."""
        self.runtime = runtime

    @classmethod
    def available(cls, account: Account) -> bool:  # noqa: ARG003
        """Whether the account has what the feature needs (default: yes).

        A feature the account lacks is not created: no entities, no requests, and
        no options switch in the options flow.
        """
        return True

    @abstractmethod
    async def async_setup(self) -> None:
        """Create, restore and first-refresh the coordinators.

        Raise `ConfigEntryAuthFailed` / `ConfigEntryNotReady` only when the entry
        cannot work without this feature's data.
        """

    async def async_start(self) -> None:
        """Retrievals that need not delay setup (default: none).

        Runs as a task of the entry once its platforms are set up, after
        `async_setup_entry` has returned; the restored data is shown meanwhile.
        """
        return

    def entities(self, platform: Platform) -> Iterable[Entity]:  # noqa: ARG002
        """The feature's entities of one platform at platform setup."""
        return ()

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """Every coordinator (API health, diagnostics)."""
        return ()

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Follow a new account retrieval (new meters or devices, repairs)."""
        return

    def diagnostics(self) -> dict[str, Any]:
        """The feature's part of the diagnostics download (already redacted)."""
        return {}


@dataclass(frozen=True, kw_only=True)
class EntityService:
    """An entity action of a feature.

    `services.py` registers it once and calls `method` (a coroutine method of the
    entity, with the validated fields as keyword arguments) on every targeted
    entity; a target that is not one of `entity_types` raises a translated
    `ServiceValidationError` naming the accepted entities.
    """

    name: str
    platform: Platform
    method: str
    entity_types: tuple[type[Entity], ...]
    schema: Mapping[Any, Any]
    supports_response: SupportsResponse = SupportsResponse.NONE
    accepts: Callable[[Entity], bool] = lambda _entity: True
    """A further test on an entity of `entity_types` (e.g. only some sensors)."""
