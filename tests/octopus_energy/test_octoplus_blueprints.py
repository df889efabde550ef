"""The Octoplus blueprints drive the integration (join, spin, redeem, devices)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from .conftest import OctopusSim
from .octoplus_helpers import JOIN, NOW, REDEEM, SPIN

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "octopus_energy"
A = "octopus_energy_a_aaaa1111"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


async def automations(
    hass: HomeAssistant, tmp_path: Path, *uses: tuple[str, dict[str, Any]]
) -> None:
    """Automations from the shipped blueprints (copied to a config directory)."""
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "octopus_energy"
    shutil.copytree(BLUEPRINTS, target)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"heater": {"initial": True}}}
    )
    config = [
        {"use_blueprint": {"path": f"octopus_energy/{name}", "input": inputs}}
        for name, inputs in uses
    ]
    assert await async_setup_component(hass, "automation", {"automation": config})
    await hass.async_block_till_done()


async def stop_automations(hass: HomeAssistant) -> None:
    """Detach the automations' triggers (no timer outlives the test)."""
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "all"}, blocking=True
    )
    await hass.async_block_till_done()


async def set_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    at: datetime = NOW,
) -> None:
    """The reference account at NOW."""
    freezer.move_to(at)
    await hass.config.async_set_time_zone("Europe/London")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_join_new_power_down_and_redeem(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    tmp_path: Path,
) -> None:
    """The announced Power Down is joined; points above the threshold are redeemed."""
    await automations(
        hass,
        tmp_path,
        (
            "octoplus_join_power_down.yaml",
            {"power_down_events": f"event.{A}_octoplus_power_down_events"},
        ),
        (
            "octoplus_redeem_points.yaml",
            {"points_sensor": f"sensor.{A}_octoplus_points", "threshold": 80},
        ),
    )
    # Friday 17:00: the Sunday session is announced at 17:30 (48 hours ahead)
    await set_up(
        hass, freezer, mock_config_entry, datetime(2026, 12, 4, 17, tzinfo=UTC)
    )
    account = octopus_sim.sim.state["octopus"]["account"]
    assert octopus_sim.count(JOIN) == 0
    # the points sensor appeared with 520 redeemable points: all redeemed
    assert octopus_sim.count(REDEEM) == 1
    freezer.tick(timedelta(hours=1, minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert octopus_sim.count(JOIN) == 1
    assert account["saving_sessions"]["joined"] == ["EVENT-20261206"]
    points = hass.states.get(f"sensor.{A}_octoplus_points")
    assert points is not None
    assert points.state == "0"
    await stop_automations(hass)


async def test_spin_daily(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    tmp_path: Path,
) -> None:
    """At the chosen time every spin is used."""
    await set_up(hass, freezer, mock_config_entry)
    await automations(
        hass,
        tmp_path,
        (
            "wheel_of_fortune_spin_daily.yaml",
            {
                "spins_sensors": [
                    f"sensor.{A}_wheel_of_fortune_spins_electricity",
                    f"sensor.{A}_wheel_of_fortune_spins_gas",
                ],
                "at": "10:30:00",
            },
        ),
    )
    freezer.move_to(NOW + timedelta(minutes=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert octopus_sim.count(SPIN) == 3
    for fuel in ("electricity", "gas"):
        state = hass.states.get(f"sensor.{A}_wheel_of_fortune_spins_{fuel}")
        assert state is not None
        assert state.state == "0"
    await stop_automations(hass)


async def test_power_down_turns_devices_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    tmp_path: Path,
) -> None:
    """During the joined Power Down the heater is off, afterwards on again."""
    octopus_sim.sim.state["octopus"]["account"]["saving_sessions"]["joined"] = [
        "EVENT-20261206"
    ]
    await set_up(hass, freezer, mock_config_entry)
    await automations(
        hass,
        tmp_path,
        (
            "octoplus_power_down_turn_off.yaml",
            {
                "power_down_calendar": f"calendar.{A}_octoplus_power_down",
                "devices": {"entity_id": "input_boolean.heater"},
            },
        ),
    )
    for moment, expected in (
        (datetime(2026, 12, 6, 17, 31, tzinfo=UTC), "off"),
        (datetime(2026, 12, 6, 18, 31, tzinfo=UTC), "on"),
    ):
        freezer.move_to(moment)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        state = hass.states.get("input_boolean.heater")
        assert state is not None
        assert state.state == expected
    await stop_automations(hass)
