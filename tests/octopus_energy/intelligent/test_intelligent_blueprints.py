"""The intelligent blueprints, as automations against the IOG simulator."""

from __future__ import annotations

import asyncio
from datetime import timedelta
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

from ..conftest import OctopusSim
from .conftest import ENTITY, STATE_OPERATION, async_setup, iog_entry
from .test_intelligent_entities import DISPATCHING, advance, device, state_of, uk

E = "octopus_energy_electricity_22l0000001_1200000000001"
BUMP = f"switch.{ENTITY}_intelligent_bump_charge"

BLUEPRINTS = Path(__file__).parents[3] / "blueprints" / "automation" / "octopus_energy"


async def _automations(hass: HomeAssistant, *automations: dict[str, Any]) -> None:
    target = Path(hass.config.path("blueprints/automation/octopus_energy"))
    await hass.async_add_executor_job(
        lambda: shutil.copytree(BLUEPRINTS, target, dirs_exist_ok=True)
    )
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass,
        "input_boolean",
        {"input_boolean": {"heater": {}, "told": {}}},
    )
    assert await async_setup_component(
        hass, "automation", {"automation": list(automations)}
    )
    await hass.async_block_till_done()


async def test_device_while_dispatching_and_dispatch_outside_off_peak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The heater runs during the dispatch; a new afternoon dispatch is reported."""
    device(octopus_sim.sim)["day_dispatch"] = None
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    await _automations(
        hass,
        {
            "alias": "heater",
            "use_blueprint": {
                "path": "octopus_energy/intelligent_device_while_dispatching.yaml",
                "input": {
                    "dispatching_sensor": DISPATCHING,
                    "target_device": {"entity_id": "input_boolean.heater"},
                },
            },
        },
        {
            "alias": "told",
            "use_blueprint": {
                "path": "octopus_energy/intelligent_dispatch_outside_off_peak.yaml",
                "input": {
                    "dispatching_sensor": DISPATCHING,
                    "actions": [
                        {
                            "action": "input_boolean.turn_on",
                            "target": {"entity_id": "input_boolean.told"},
                        }
                    ],
                },
            },
        },
    )
    device(octopus_sim.sim)["day_dispatch"] = {
        "every_days": 1,
        "start_local": "12:30",
        "end_local": "13:00",
        "energy_kwh": 3.0,
    }
    await advance(hass, freezer, uk(12, 6))
    assert state_of(hass, "input_boolean.told") == "on"
    assert state_of(hass, "input_boolean.heater") == "off"
    await advance(hass, freezer, uk(12, 31))
    assert state_of(hass, "input_boolean.heater") == "on"
    await advance(hass, freezer, uk(13, 1))
    assert state_of(hass, "input_boolean.heater") == "off"


async def test_night_dispatch_is_not_reported(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The night dispatch (23:30) is inside the off-peak window: nothing is run."""
    device(octopus_sim.sim)["day_dispatch"] = None
    device(octopus_sim.sim)["announce_hours"] = 1
    freezer.move_to(uk(22, 0))
    await async_setup(hass, mock_config_entry)
    await _automations(
        hass,
        {
            "alias": "told",
            "use_blueprint": {
                "path": "octopus_energy/intelligent_dispatch_outside_off_peak.yaml",
                "input": {
                    "dispatching_sensor": DISPATCHING,
                    "actions": [
                        {
                            "action": "input_boolean.turn_on",
                            "target": {"entity_id": "input_boolean.told"},
                        }
                    ],
                },
            },
        },
    )
    await advance(hass, freezer, uk(22, 40))
    planned = hass.states.get(DISPATCHING).attributes["planned_dispatches"]  # type: ignore[union-attr]
    assert planned
    assert state_of(hass, "input_boolean.told") == "off"


async def test_bump_charge_when_cheap(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The night price (7 p) is below 10 p: a bump charge starts."""
    freezer.move_to(uk(23, 20))
    await async_setup(hass, mock_config_entry)
    await _automations(
        hass,
        {
            "alias": "cheap",
            "use_blueprint": {
                "path": "octopus_energy/intelligent_charge_when_cheap.yaml",
                "input": {
                    "current_rate": f"sensor.{E}_current_rate",
                    "bump_charge_switch": BUMP,
                    "price_below": 0.1,
                },
            },
        },
    )
    assert state_of(hass, BUMP) == "off"
    await advance(hass, freezer, uk(23, 31))
    assert state_of(hass, BUMP) == "on"
    assert device(octopus_sim.sim)["boosts"]


@pytest.mark.parametrize("expected_lingering_timers", [True])  # its time pattern
async def test_manual_refresh_blueprint(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Manual mode: plugging the car in refreshes the dispatches 30 s later.

    (Nothing else: the next refresh is never due in manual mode.)
    """
    freezer.move_to(uk(12, 0))
    await async_setup(hass, iog_entry(intelligent_manual_dispatches=True))
    await _automations(
        hass,
        {
            "alias": "refresh",
            "use_blueprint": {
                "path": "octopus_energy/octopus_energy_manual_intelligent_refresh.yaml",
                "input": {
                    "intelligent_dispatches_data_last_retrieved_sensor": (
                        f"sensor.{ENTITY}_intelligent_dispatches_data_last_retrieved"
                    ),
                    "intelligent_dispatches_sensor": DISPATCHING,
                    "car_plugged_in_sensor": "input_boolean.heater",
                },
            },
        },
    )
    await _step(hass, freezer, 12)  # the last retrieval is now 2 minutes old
    before = octopus_sim.count(STATE_OPERATION)
    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.heater"}, blocking=True
    )
    await _step(hass, freezer, 2)
    assert octopus_sim.count(STATE_OPERATION) == before
    await _step(hass, freezer, 8)

    assert octopus_sim.count(STATE_OPERATION) == before + 1


async def _step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, count: int
) -> None:
    """Ten-second steps; the automation's delays keep it running, so no block."""
    for _ in range(count):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        for _ in range(500):  # let the requests to the simulator complete
            await asyncio.sleep(0)
