"""Runtime data of an Octopus Energy account entry (`entry.runtime_data`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .api import OctopusEnergyClient
from .models import AccountSettings, ActiveMeter

if TYPE_CHECKING:
    from .features.account.coordinator import AccountCoordinator
    from .features.consumption.coordinator import PreviousConsumptionCoordinator
    from .features.home_mini.coordinator import HomeMiniCoordinator
    from .features.rates.coordinator import RatesCoordinator


@dataclass(kw_only=True)
class OctopusEnergyData:
    """Everything one account entry runs on."""

    account_number: str
    client: OctopusEnergyClient
    settings: AccountSettings
    account: AccountCoordinator
    meters: tuple[ActiveMeter, ...]
    """The meters with a tariff active when the entry was set up."""
    rates: dict[str, RatesCoordinator] = field(default_factory=dict)
    """Per meter (`ActiveMeter.key`)."""
    previous_consumption: dict[str, PreviousConsumptionCoordinator] = field(
        default_factory=dict
    )
    """Per meter (`ActiveMeter.key`)."""
    home_mini: HomeMiniCoordinator | None = None
    """Set when live consumption is switched on and a meter has a Home Mini."""


type OctopusEnergyConfigEntry = ConfigEntry[OctopusEnergyData]
