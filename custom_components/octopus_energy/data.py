"""Runtime data of an Octopus Energy account entry (`entry.runtime_data`).

Built once in `async_setup_entry`; it implements the `FeatureRuntime` protocol the
features use (`feature.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api import Account, OctopusEnergyClient
from .feature import Feature
from .models import AccountSettings, ActiveMeter


@dataclass(kw_only=True)
class OctopusEnergyData:
    """Everything one account entry runs on."""

    hass: HomeAssistant
    entry: ConfigEntry[Any]
    account_number: str
    client: OctopusEnergyClient
    settings: AccountSettings
    account: DataUpdateCoordinator[Account]
    meters: dict[str, ActiveMeter] = field(default_factory=dict)
    """Every meter with entities, by `ActiveMeter.key` (grows with the account)."""
    features: dict[str, Feature] = field(default_factory=dict)
    """The enabled features, in setup order."""
    _adders: dict[Platform, AddEntitiesCallback] = field(default_factory=dict)
    _pending: dict[Platform, list[Entity]] = field(default_factory=dict)

    def add_meter(self, meter: ActiveMeter) -> bool:
        """Add a meter that appeared on the account (False if already known)."""
        if meter.key in self.meters:
            return False
        self.meters[meter.key] = meter
        return True

    def feature[FeatureT: Feature](self, kind: type[FeatureT]) -> FeatureT | None:
        """The enabled feature of that class, or None."""
        found = self.features.get(kind.key)
        return found if isinstance(found, kind) else None

    def add_entities(self, platform: Platform, entities: Iterable[Entity]) -> None:
        """Add entities to a set-up platform, or keep them for its setup."""
        new = list(entities)
        if not new:
            return
        if (adder := self._adders.get(platform)) is not None:
            adder(new)
        else:
            self._pending.setdefault(platform, []).extend(new)

    def setup_platform(
        self, platform: Platform, async_add_entities: AddEntitiesCallback
    ) -> None:
        """Add every feature's entities of a platform; later ones come directly."""
        self._adders[platform] = async_add_entities
        entities = [
            entity
            for feature in self.features.values()
            for entity in feature.entities(platform)
        ]
        async_add_entities([*entities, *self._pending.pop(platform, [])])

    def coordinators(self) -> list[DataUpdateCoordinator[Any]]:
        """The account coordinator and every feature's coordinators."""
        return [
            self.account,
            *(c for feature in self.features.values() for c in feature.coordinators()),
        ]


type OctopusEnergyConfigEntry = ConfigEntry[OctopusEnergyData]
