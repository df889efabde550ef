"""The intelligent actions and controls: good input, bad input, refusals, failures."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.components.time import ATTR_TIME
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.const import DOMAIN
from scripts.simulator.faults import Fault

from ..conftest import OctopusSim
from .conftest import ENTITY, STATE_OPERATION, async_setup, iog_entry
from .test_intelligent_entities import (
    DISPATCHING,
    NOON,
    STATE,
    advance,
    device,
    state_of,
    uk,
)

SMART = f"switch.{ENTITY}_intelligent_smart_charge"
BUMP = f"switch.{ENTITY}_intelligent_bump_charge"
TARGET = f"number.{ENTITY}_intelligent_charge_target"
SELECT = f"select.{ENTITY}_intelligent_target_time"
TIME = f"time.{ENTITY}_intelligent_target_time"
REFRESH = "refresh_intelligent_dispatches"
HISTORY = "get_point_in_time_intelligent_dispatch_history"


async def call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> Any:
    """Call an action on one entity and wait."""
    return await hass.services.async_call(
        domain,
        service,
        {ATTR_ENTITY_ID: entity_id, **data},
        blocking=True,
        return_response=service == HISTORY,
    )


def schedules(octopus_sim: OctopusSim) -> list[dict[str, Any]]:
    """The zappi's schedules in the simulator."""
    found: list[dict[str, Any]] = device(octopus_sim.sim)["preferences"]["schedules"]
    return found


@pytest.fixture
async def setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The IOG account set up at noon."""
    freezer.move_to(NOON)
    await async_setup(hass, mock_config_entry)
    return mock_config_entry


@pytest.mark.usefixtures("setup")
async def test_smart_charge_switch(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """Off suspends smart charging (shown at once, confirmed by one refresh)."""
    before = octopus_sim.count(STATE_OPERATION)
    await call(hass, "switch", SERVICE_TURN_OFF, SMART)
    assert device(octopus_sim.sim)["suspended"] is True
    assert state_of(hass, SMART) == STATE_OFF
    assert state_of(hass, STATE) == "SMART_CONTROL_OFF"
    assert octopus_sim.count(STATE_OPERATION) == before + 1
    assert octopus_sim.count("octopus.graphql.UpdateDeviceSmartControl") == 1
    await call(hass, "switch", SERVICE_TURN_ON, SMART)
    assert device(octopus_sim.sim)["suspended"] is False
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, SMART) == STATE_ON


@pytest.mark.usefixtures("setup")
async def test_bump_charge_switch_and_refusal(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """A bump charge shows at once; a refused one names the reason."""
    await call(hass, "switch", SERVICE_TURN_ON, BUMP)
    assert state_of(hass, BUMP) == STATE_ON
    assert device(octopus_sim.sim)["boosts"]
    # never a dispatching window
    assert state_of(hass, DISPATCHING) == STATE_OFF
    with pytest.raises(HomeAssistantError) as refused:
        await call(hass, "switch", SERVICE_TURN_ON, BUMP)
    assert refused.value.translation_key == (
        "bump_charge_refused_bc_boost_charge_in_progress"
    )
    assert "already in progress" in str(refused.value)
    await call(hass, "switch", SERVICE_TURN_OFF, BUMP)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, BUMP) == STATE_OFF


@pytest.mark.usefixtures("setup")
async def test_bump_refused_while_suspended(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """Octopus refuses a bump charge while smart control is suspended."""
    device(octopus_sim.sim)["suspended"] = True
    with pytest.raises(HomeAssistantError) as refused:
        await call(hass, "switch", SERVICE_TURN_ON, BUMP)
    assert refused.value.translation_key == "bump_charge_refused_bc_device_suspended"
    assert state_of(hass, BUMP) == STATE_OFF


@pytest.mark.usefixtures("setup")
async def test_charge_target(hass: HomeAssistant, octopus_sim: OctopusSim) -> None:
    """Every day's schedule gets the new target; other fields are kept."""
    await call(hass, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 90})
    assert {s["max"] for s in schedules(octopus_sim)} == {"90"}
    assert schedules(octopus_sim)[-1]["time"].startswith("09:00")
    assert float(state_of(hass, TARGET)) == 90
    assert octopus_sim.count("octopus.graphql.DeviceSettings") == 0
    with pytest.raises(ServiceValidationError):
        await call(hass, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 5})


@pytest.mark.usefixtures("setup")
async def test_target_time_select_and_time(
    hass: HomeAssistant, octopus_sim: OctopusSim, entity_registry: er.EntityRegistry
) -> None:
    """The select sets every schedule's time; the time twin checks its range."""
    await call(hass, "select", SERVICE_SELECT_OPTION, SELECT, **{ATTR_OPTION: "06:30"})
    assert {s["time"][:5] for s in schedules(octopus_sim)} == {"06:30"}
    assert state_of(hass, SELECT) == "06:30"
    with pytest.raises(ServiceValidationError):
        await call(
            hass, "select", SERVICE_SELECT_OPTION, SELECT, **{ATTR_OPTION: "12:00"}
        )
    entity_registry.async_update_entity(TIME, disabled_by=None)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "time", "set_value", TIME, **{ATTR_TIME: "08:00:00"})
    assert {s["time"][:5] for s in schedules(octopus_sim)} == {"08:00"}
    assert state_of(hass, TIME) == "08:00:00"
    with pytest.raises(ServiceValidationError) as bad:
        await call(hass, "time", "set_value", TIME, **{ATTR_TIME: "13:00:00"})
    assert bad.value.translation_key == "intelligent_target_time_out_of_range"


@pytest.mark.usefixtures("setup")
async def test_command_failure_is_an_error(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """An API failure on a command: translated error, nothing shown as done."""
    octopus_sim.sim.faults.add(
        Fault(kind="server_error", operation="octopus.graphql.SetDevicePreferences")
    )
    with pytest.raises(HomeAssistantError) as failed:
        await call(hass, "number", SERVICE_SET_VALUE, TARGET, **{ATTR_VALUE: 90})
    assert failed.value.translation_key == "intelligent_command_failed"
    assert float(state_of(hass, TARGET)) == 80


@pytest.mark.usefixtures("setup")
async def test_unconfirmed_command_is_reverted_and_logged(
    hass: HomeAssistant, octopus_sim: OctopusSim, caplog: pytest.LogCaptureFixture
) -> None:
    """When Octopus still reports the old value, it is shown again with a log."""
    with (
        patch.object(OctopusEnergyClient, "set_smart_control", AsyncMock()),
        caplog.at_level(logging.WARNING),
    ):
        await call(hass, "switch", SERVICE_TURN_OFF, SMART)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert device(octopus_sim.sim)["suspended"] is False
    assert state_of(hass, SMART) == STATE_ON
    assert "not confirmed by Octopus Energy" in caplog.text


async def test_manual_mode_and_refresh_limits(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Manual mode: no polling; the action refreshes, within 1/min and 20/h."""
    freezer.move_to(NOON)
    entry = iog_entry(intelligent_manual_dispatches=True)
    await async_setup(hass, entry)
    at_setup = octopus_sim.count(STATE_OPERATION)
    await advance(hass, freezer, uk(12, 30))
    assert octopus_sim.count(STATE_OPERATION) == at_setup
    state = hass.states.get(DISPATCHING)
    assert state is not None
    assert state.attributes["manually_refresh_dispatches"] is True
    await call(hass, DOMAIN, REFRESH, DISPATCHING)
    assert octopus_sim.count(STATE_OPERATION) == at_setup + 1
    freezer.tick(timedelta(seconds=30))
    with pytest.raises(ServiceValidationError) as limited:
        await call(hass, DOMAIN, REFRESH, DISPATCHING)
    assert limited.value.translation_key == "intelligent_refresh_limited"
    assert "12:31:00" in str(limited.value)
    assert octopus_sim.count(STATE_OPERATION) == at_setup + 1
    for _ in range(17):  # 20 in the hour: 2 at setup, 1 above, 17 more
        freezer.tick(timedelta(minutes=1))
        await call(hass, DOMAIN, REFRESH, DISPATCHING)
    freezer.tick(timedelta(minutes=1))
    with pytest.raises(ServiceValidationError) as limited:
        await call(hass, DOMAIN, REFRESH, DISPATCHING)
    assert "13:00:00" in str(limited.value)
    assert octopus_sim.count(STATE_OPERATION) == at_setup + 18


@pytest.mark.usefixtures("setup")
async def test_polls_give_way_to_the_hourly_limit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """After 20 requests in an hour the automatic polls wait (data kept)."""
    for _ in range(18):  # 2 at setup
        freezer.tick(timedelta(minutes=1))
        await call(hass, DOMAIN, REFRESH, DISPATCHING)
    assert octopus_sim.count(STATE_OPERATION) == 20
    await advance(hass, freezer, uk(12, 59))
    assert octopus_sim.count(STATE_OPERATION) == 20
    assert state_of(hass, STATE) == "SMART_CONTROL_CAPABLE"
    await advance(hass, freezer, uk(13, 5))
    assert octopus_sim.count(STATE_OPERATION) > 20


async def test_manual_mode_restart_makes_no_request(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """With stored devices, a manual-mode start asks nothing."""
    freezer.move_to(NOON)
    entry = iog_entry(intelligent_manual_dispatches=True)
    await async_setup(hass, entry)
    before = octopus_sim.count(STATE_OPERATION)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_sim.count(STATE_OPERATION) == before
    assert state_of(hass, STATE) == "SMART_CONTROL_CAPABLE"


@pytest.mark.usefixtures("setup")
async def test_refresh_failure_is_an_error(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """A refresh that fails raises a translated error; the data is kept."""
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    freezer.tick(timedelta(minutes=2))
    with pytest.raises(HomeAssistantError) as failed:
        await call(hass, DOMAIN, REFRESH, DISPATCHING)
    assert failed.value.translation_key == "intelligent_refresh_failed"
    assert state_of(hass, DISPATCHING) == STATE_OFF


@pytest.mark.usefixtures("setup")
async def test_refresh_refuses_other_targets(hass: HomeAssistant) -> None:
    """Only the dispatching sensors accept the intelligent actions."""
    with pytest.raises(ServiceValidationError) as refused:
        await call(hass, DOMAIN, REFRESH, "binary_sensor.something_else")
    assert refused.value.translation_key == "entity_not_supported"


async def test_point_in_time_history(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The state at a time, from the stored history, across a restart, no request."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    await advance(hass, freezer, uk(13, 10))  # the afternoon dispatch started
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    before = octopus_sim.count(STATE_OPERATION)
    answer = await call(
        hass, DOMAIN, HISTORY, DISPATCHING, point_in_time=uk(12, 30).isoformat()
    )
    record = answer[DISPATCHING]
    assert record["current_state"] == "SMART_CONTROL_CAPABLE"
    assert record["started_dispatches"] == []
    assert len(record["planned_dispatches"]) == 2
    answer = await call(
        hass, DOMAIN, HISTORY, DISPATCHING, point_in_time=uk(13, 9).isoformat()
    )
    record = answer[DISPATCHING]
    assert record["current_state"] == "SMART_CONTROL_IN_PROGRESS"
    assert record["started_dispatches"][0]["start"] == uk(13).isoformat()
    assert octopus_sim.count(STATE_OPERATION) == before
    with pytest.raises(ServiceValidationError) as early:
        await call(
            hass, DOMAIN, HISTORY, DISPATCHING, point_in_time=uk(11, 0).isoformat()
        )
    assert early.value.translation_key == (
        "point_in_time_intelligent_dispatch_history_data_out_of_bounds"
    )
    with pytest.raises(vol.Invalid):
        await call(hass, DOMAIN, HISTORY, DISPATCHING, point_in_time="not a time")
