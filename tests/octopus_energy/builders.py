"""Build the integration's coordinators outside a full setup (one place for all tests).

The coordinators of a feature normally come from its `Feature.async_setup`; these
builders make them directly for a config entry that is not set up, against the
simulator, with an account coordinator stand-in that has no account (so every
meter keeps its own tariff).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import os
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.const import ENV_BACKEND_URL, ENV_BASE_URL
from custom_components.octopus_energy.features.consumption import ConsumptionFeature
from custom_components.octopus_energy.features.consumption.coordinator import (
    PreviousConsumptionCoordinator,
)
from custom_components.octopus_energy.features.home_mini import HomeMiniFeature
from custom_components.octopus_energy.features.home_mini.coordinator import (
    HomeMiniCoordinator,
    home_mini_meters,
)
from custom_components.octopus_energy.features.rates import RatesFeature
from custom_components.octopus_energy.features.rates.coordinator import (
    RatesCoordinator,
)
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter

from .conftest import API_KEY


class NoAccount:
    """An account coordinator stand-in without account data."""

    data = None

    def async_add_listener(self, *_args: Any, **_kwargs: Any) -> Any:
        """Listeners are never called."""
        return lambda: None


NO_ACCOUNT: Any = NoAccount()


class FakeRates:
    """A rates coordinator stand-in holding `data` (or `restored` once restored)."""

    def __init__(self, data: Any, *, restored: Any = None) -> None:
        """Hold the data."""
        self.data = data
        self._restored = restored

    async def async_restore(self) -> None:
        """Load the "stored" data, if any."""
        if self._restored is not None:
            self.data, self._restored = self._restored, None


def make_client(
    hass: HomeAssistant, base_url: str | None = None
) -> OctopusEnergyClient:
    """A client of the simulator (the development hosts of the environment)."""
    return OctopusEnergyClient(
        api_key=API_KEY,
        session=async_get_clientsession(hass),
        base_url=base_url or os.environ.get(ENV_BASE_URL, "http://127.0.0.1:9"),
        backend_url=os.environ.get(ENV_BACKEND_URL, base_url or ""),
    )


def rates_coordinators(
    hass: HomeAssistant,
    entry: Any,
    client: OctopusEnergyClient,
    meters: Iterable[ActiveMeter],
    settings: AccountSettings | None = None,
    account: Any = NO_ACCOUNT,
) -> dict[str, RatesCoordinator]:
    """One rates coordinator per meter."""
    return {
        meter.key: RatesCoordinator(
            hass, entry, client, meter, settings or AccountSettings(), account=account
        )
        for meter in meters
    }


def consumption_coordinators(
    hass: HomeAssistant,
    entry: Any,
    client: OctopusEnergyClient,
    meters: Iterable[ActiveMeter],
    settings: AccountSettings | None = None,
    rates: Mapping[str, RatesCoordinator] | None = None,
    account: Any = NO_ACCOUNT,
) -> dict[str, PreviousConsumptionCoordinator]:
    """One previous-consumption coordinator per meter."""
    return {
        meter.key: PreviousConsumptionCoordinator(
            hass,
            entry,
            client,
            meter,
            settings or AccountSettings(),
            rates=(rates or {}).get(meter.key),
            account=account,
        )
        for meter in meters
    }


def home_mini_coordinator(
    hass: HomeAssistant,
    entry: Any,
    client: OctopusEnergyClient,
    meters: Iterable[ActiveMeter],
    settings: AccountSettings,
    rates: Mapping[str, RatesCoordinator] | None = None,
) -> HomeMiniCoordinator | None:
    """The Home Mini coordinator, or None without live consumption or devices."""
    meters = home_mini_meters(meters)
    if not settings.live_consumption or not meters:
        return None
    return HomeMiniCoordinator(
        hass, entry, client=client, meters=meters, settings=settings, rates=rates or {}
    )


def rates_of(runtime: Any) -> dict[str, RatesCoordinator]:
    """The rates coordinators of a set-up entry's runtime data, per meter."""
    feature = runtime.feature(RatesFeature)
    return feature.by_meter if feature else {}


def consumption_of(runtime: Any) -> dict[str, PreviousConsumptionCoordinator]:
    """The previous-consumption coordinators of a set-up entry, per meter."""
    feature = runtime.feature(ConsumptionFeature)
    return feature.by_meter if feature else {}


def home_mini_of(runtime: Any) -> HomeMiniCoordinator | None:
    """The Home Mini coordinator of a set-up entry."""
    feature = runtime.feature(HomeMiniFeature)
    return feature.coordinator if feature else None
