"""The heat-pump blueprints drive the simulator's heat pump."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from .conftest import OctopusSim
from .heat_pump_helpers import (
    CLIMATE,
    NOW,
    WATER_HEATER,
    heat_pump_state,
    set_up,
    sim_zone,
    tick,
)

SOURCE = Path(__file__).parents[2] / "blueprints" / "automation" / "octopus_energy"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


@pytest.fixture(autouse=True)
async def stop_automations(hass: HomeAssistant) -> AsyncIterator[None]:
    """Turn the automations off after each test (their timers go with them)."""
    yield
    if hass.services.has_service(AUTOMATION_DOMAIN, "turn_off"):
        await hass.services.async_call(
            AUTOMATION_DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
        )


def _copy(target: Path, blueprint: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE / blueprint, target / blueprint)


async def _automation(
    hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]
) -> None:
    target = Path(hass.config.path("blueprints", "automation", "octopus_energy"))
    await hass.async_add_executor_job(_copy, target, blueprint)
    config = {
        AUTOMATION_DOMAIN: {
            "use_blueprint": {"path": f"octopus_energy/{blueprint}", "input": inputs}
        }
    }
    assert await async_setup_component(hass, AUTOMATION_DOMAIN, config)
    await hass.async_block_till_done()


async def test_boost_when_cheap(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """A price below the limit boosts the zone for the chosen length."""
    await set_up(hass, freezer)
    hass.states.async_set("sensor.price", "0.30")
    await _automation(
        hass,
        "heat_pump_boost_when_cheap.yaml",
        {
            "zone": CLIMATE,
            "price_sensor": "sensor.price",
            "cheap_below": 0.1,
            "minutes": 90,
            "target_temperature": 22,
        },
    )
    hass.states.async_set("sensor.price", "0.05")
    await hass.async_block_till_done()
    zone = sim_zone(octopus_sim, "ZONE_1")
    assert zone["mode"] == "BOOST"
    assert zone["setpoint"] == 22
    assert (
        zone["boost_end"]
        == (NOW + timedelta(minutes=90)).replace(microsecond=0).isoformat()
    )


async def test_preheat_before_session(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Within the lead time before a session the hot water is boosted."""
    await set_up(hass, freezer)
    start = dt_util.as_local(NOW + timedelta(minutes=100)).replace(tzinfo=None)
    hass.states.async_set(
        "calendar.sessions", "off", {"start_time": start.isoformat(sep=" ")}
    )
    await _automation(
        hass,
        "heat_pump_preheat_hot_water.yaml",
        {
            "water_heater": WATER_HEATER,
            "sessions": "calendar.sessions",
            "lead_minutes": 60,
            "target_temperature": 55,
        },
    )
    await tick(hass, freezer, timedelta(minutes=5))
    assert sim_zone(octopus_sim, "WATER")["mode"] == "AUTO"  # 95 minutes ahead
    for _ in range(8):
        await tick(hass, freezer, timedelta(minutes=5))
    zone = sim_zone(octopus_sim, "WATER")
    assert zone["mode"] == "BOOST"
    assert zone["setpoint"] == 55
    end = dt_util.parse_datetime(zone["boost_end"])
    assert end is not None
    assert abs(end - (NOW + timedelta(minutes=100))) <= timedelta(minutes=1)


async def test_hush_at_night(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Hush on at the evening time, off at the morning time."""
    await set_up(hass, freezer)
    local = dt_util.as_local(NOW)
    await _automation(
        hass,
        "heat_pump_hush_at_night.yaml",
        {
            "zone": CLIMATE,
            "quiet_from": (local + timedelta(minutes=10)).strftime("%H:%M:00"),
            "quiet_until": (local + timedelta(minutes=20)).strftime("%H:%M:00"),
        },
    )
    await tick(hass, freezer, timedelta(minutes=10))
    assert heat_pump_state(octopus_sim)["hush_mode"] is True
    await tick(hass, freezer, timedelta(minutes=10))
    assert heat_pump_state(octopus_sim)["hush_mode"] is False
