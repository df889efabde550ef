"""The Home Mini through the integration's own set-up (entry, platforms, reload)."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.coordinator import HOURLY_BUDGET

from .builders import home_mini_of
from .conftest import OctopusSim
from .home_mini_helpers import ELECTRIC_DEVICE, GAS_DEVICE, TELEMETRY, uk

E = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
G = "sensor.octopus_energy_gas_g4a0000001_3000000001"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def test_through_the_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Set-up asks for today once; a reload asks only since the last half hour."""
    freezer.move_to(uk(2026, 1, 15, 10, 40, 20))
    await hass.config.async_set_time_zone("Europe/London")
    original = OctopusEnergyClient.get_smart_meter_telemetry
    with patch.object(
        OctopusEnergyClient,
        "get_smart_meter_telemetry",
        autospec=True,
        side_effect=original,
    ) as spy:
        mock_config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        assert spy.call_count == 1
        _, ids, start, _ = spy.call_args.args
        assert ids == [ELECTRIC_DEVICE, GAS_DEVICE]
        assert start == uk(2026, 1, 15).astimezone(UTC)
        for suffix in (
            "_current_demand",
            "_current_accumulative_consumption",
            "_current_accumulative_cost",
            "_current_total_consumption",
        ):
            state = hass.states.get(f"{E}{suffix}")
            assert state is not None
            assert float(state.state) > 0
        for suffix in (
            "_current_accumulative_consumption_m3",
            "_current_total_consumption_m3",
        ):
            state = hass.states.get(f"{G}{suffix}")
            assert state is not None
            assert float(state.state) > 0
        before = hass.states.get(f"{E}_current_accumulative_consumption")

        freezer.tick(timedelta(minutes=5))
        assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        _, ids, start, _ = spy.call_args.args
        assert start == uk(2026, 1, 15, 10, 30).astimezone(UTC)
        after = hass.states.get(f"{E}_current_accumulative_consumption")
        assert before is not None
        assert after is not None
        assert float(after.state) > float(before.state)
        assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_setup_at_midnight_has_every_device_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """At a day's first second, one request (both devices) still gives the data."""
    freezer.move_to(uk(2026, 1, 15))
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_sim.count(TELEMETRY) == 1
    for entity_id in (
        f"{E}_current_demand",
        f"{E}_current_total_consumption",
        f"{G}_current_total_consumption_kwh",
        f"{G}_current_total_consumption_m3",
    ):
        state = hass.states.get(entity_id)
        assert state is not None
        assert float(state.state) > 0, entity_id
    for entity_id in (
        f"{E}_current_accumulative_consumption",
        f"{G}_current_accumulative_consumption_m3",
    ):
        state = hass.states.get(entity_id)
        assert state is not None
        assert float(state.state) == 0, entity_id
    coordinator = home_mini_of(mock_config_entry.runtime_data)
    assert coordinator is not None
    for _ in range(30):  # steady state: 1 request a minute, gas not again before :31
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert octopus_sim.count(TELEMETRY) == 31
    gas = coordinator.data.devices["gas_G4A0000001_3000000001"]
    assert gas.retrieved_at == uk(2026, 1, 15).astimezone(UTC)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.parametrize(
    "start",
    [
        (2026, 1, 15, 10, 40, 20),
        (2026, 1, 15, 15, 50, 20),  # Agile's tomorrow appears at 16:00
    ],
)
async def test_hourly_request_budget(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    start: tuple[int, ...],
) -> None:
    """Reference account, 1-minute electricity: at most 60 requests in an hour."""
    freezer.move_to(uk(*start))
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    ok = await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert ok, (mock_config_entry.state, mock_config_entry.reason)
    await hass.async_block_till_done()

    async def an_hour() -> None:
        for _ in range(60):
            freezer.tick(timedelta(minutes=1))
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)

    # the hour that starts with setup: its requests count; telemetry gives way
    await an_hour()
    assert octopus_sim.count() <= HOURLY_BUDGET
    assert octopus_sim.count(TELEMETRY) >= 34  # Octoplus, wheel, greenness: 4
    # the next hour: every minute again, within the budget
    before, telemetry = octopus_sim.count(), octopus_sim.count(TELEMETRY)
    await an_hour()
    assert octopus_sim.count(TELEMETRY) - telemetry >= 45
    assert octopus_sim.count() - before <= HOURLY_BUDGET
    state = hass.states.get(f"{E}_current_demand")
    assert state is not None
    assert float(state.state) > 0
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
