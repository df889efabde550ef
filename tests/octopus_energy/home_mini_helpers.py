"""Helpers of the Home Mini tests: reference meters, a spying client, sim values."""

from __future__ import annotations

from datetime import datetime
import os
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_energy.api import Fuel, OctopusEnergyClient
from custom_components.octopus_energy.const import (
    ENV_BACKEND_URL,
    ENV_BASE_URL,
    UK_TZ,
)
from custom_components.octopus_energy.features.home_mini.coordinator import (
    HomeMiniCoordinator,
)
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter
from scripts.simulator.octopus.state import find_by_device
from scripts.simulator.octopus.values import energy_wh

from .builders import home_mini_coordinator
from .conftest import (
    API_KEY,
    ELECTRICITY_SERIAL,
    EXPORT_MPAN,
    GAS_MPRN,
    GAS_SERIAL,
    IMPORT_MPAN,
    OctopusSim,
)

ELECTRIC_DEVICE = "00-00-00-00-00-00-E1-01"
GAS_DEVICE = "00-00-00-00-00-00-G1-01"
TELEMETRY = "octopus.graphql.SmartMeterTelemetry"
SETTINGS = AccountSettings(live_consumption=True)


def meter(fuel: Fuel, *, export: bool = False) -> ActiveMeter:
    """A reference-account meter with its Home Mini."""
    electric = fuel is Fuel.ELECTRICITY
    return ActiveMeter(
        fuel=fuel,
        mpxn=(EXPORT_MPAN if export else IMPORT_MPAN) if electric else GAS_MPRN,
        serial_number=ELECTRICITY_SERIAL if electric else GAS_SERIAL,
        is_export=export,
        is_smart=True,
        product_code="AGILE-24-10-01" if electric else "VAR-22-11-01",
        tariff_code="E-1R-AGILE-24-10-01-C" if electric else "G-1R-VAR-22-11-01-C",
        home_mini_device_id=ELECTRIC_DEVICE if electric else GAS_DEVICE,
        manufacturer=None,
        model=None,
        firmware_version=None,
        consumption_units=None if electric else "m³",
    )


ELECTRICITY = meter(Fuel.ELECTRICITY)
EXPORT = meter(Fuel.ELECTRICITY, export=True)
GAS = meter(Fuel.GAS)


def uk(*args: int) -> datetime:
    """A UK local time."""
    return datetime(*args, tzinfo=UK_TZ)  # type: ignore[misc]


class Calls(list[tuple[list[str], datetime, datetime]]):
    """Telemetry calls seen by the client: (device ids, from, to)."""


def build_home_mini(
    hass: HomeAssistant,
    entry: Any,
    meters: tuple[ActiveMeter, ...] = (ELECTRICITY, EXPORT, GAS),
    settings: AccountSettings = SETTINGS,
) -> tuple[HomeMiniCoordinator, Calls]:
    """A coordinator talking to the simulator through a spying client."""
    client = OctopusEnergyClient(
        api_key=API_KEY,
        session=async_get_clientsession(hass),
        base_url=os.environ[ENV_BASE_URL],
        backend_url=os.environ[ENV_BACKEND_URL],
    )
    calls = Calls()
    original = client.get_smart_meter_telemetry

    async def spy(ids: Any, start: datetime, end: datetime) -> Any:
        calls.append((list(ids), start, end))
        return await original(ids, start, end)

    client.get_smart_meter_telemetry = spy  # type: ignore[method-assign]
    coordinator = home_mini_coordinator(hass, entry, client, meters, settings, {})
    assert coordinator is not None
    return coordinator, calls


def approx(value: float | None) -> Any:
    """Equal to the simulator's value, which has rounded Wh."""
    return pytest.approx(value, abs=1e-6)


def sim_kwh(
    octopus_sim: OctopusSim, device: str, start: datetime, end: datetime
) -> float:
    """The simulator's energy of a device between two moments."""
    point = find_by_device(octopus_sim.sim.state["octopus"], device)
    assert point is not None
    return energy_wh(point, start, end) / 1000
