"""Shared set-up of the heat-pump tests (the reference account's Cosy 6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.const import DOMAIN

from .conftest import ACCOUNT, OctopusSim, community_entry_data

NOW = datetime(2026, 11, 23, 10, 0, 10, tzinfo=UTC)
EUID = "00:00:00:00:00:00:00:a1"
H = "octopus_energy_heat_pump_00_00_00_00_00_00_00_a1"
CLIMATE = f"climate.{H}_zone_1"
WATER_HEATER = f"water_heater.{H}"
POLL = "octopus.graphql.HeatPump"
TELEMETRY = "octopus.graphql.SmartMeterTelemetry"
DISCOVERY = "octopus.graphql.HeatPumpControllers"


def heat_pump_state(octopus_sim: OctopusSim) -> dict[str, Any]:
    """The simulator's heat pump (mutable)."""
    account = octopus_sim.sim.state["octopus"]["account"]
    heat_pump: dict[str, Any] = account["heat_pumps"][0]
    return heat_pump


def sim_zone(octopus_sim: OctopusSim, code: str) -> dict[str, Any]:
    """One zone of the simulator's heat pump (mutable)."""
    return next(z for z in heat_pump_state(octopus_sim)["zones"] if z["code"] == code)


def polls(octopus_sim: OctopusSim) -> int:
    """Heat-pump status requests so far (not the discovery)."""
    return octopus_sim.sim.faults.counts[POLL]


async def set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    *,
    options: dict[str, Any] | None = None,
    entry: MockConfigEntry | None = None,
) -> MockConfigEntry:
    """The reference account without the Home Mini, set up at `NOW`."""
    if entry is None:
        freezer.move_to(NOW)
        await hass.config.async_set_time_zone("Europe/London")
        data = community_entry_data(
            home_mini_settings={"supports_live_consumption": False}
        )
        entry = MockConfigEntry(
            domain=DOMAIN, version=9, title=ACCOUNT, data=data, options=options or {}
        )
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock and run what is due (polls run in background tasks)."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
