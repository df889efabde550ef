"""The intelligent feature through the integration: discovery, entities, polling.

Times are UK local (Europe/London, GMT in November). The zappi's afternoon
dispatch on 2026-11-20 runs 13:00-14:30 and the night one 23:30-05:30.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.const import DOMAIN, UK_TZ
from custom_components.octopus_energy.features.intelligent import (
    IntelligentFeature,
    is_intelligent_product,
)
from custom_components.octopus_energy.features.intelligent.providers import (
    controllable,
    known,
)
from scripts.simulator.faults import Fault
from scripts.simulator.server import Simulator

from ..conftest import OctopusSim
from .conftest import ENTITY, EV, STATE_OPERATION, async_setup, iog_entry

DISPATCHING = f"binary_sensor.{ENTITY}_intelligent_dispatching"
STATE = f"sensor.{ENTITY}_intelligent_state"
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UK_TZ)
RETRIEVED = f"sensor.{ENTITY}"


def uk(hour: int, minute: int = 0, day: int = 20) -> datetime:
    """A UK local time in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UK_TZ)


def device(sim: Simulator) -> dict[str, Any]:
    """The zappi in the simulator's state."""
    found: dict[str, Any] = sim.state["octopus"]["account"]["devices"][0]
    return found


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    until: datetime,
    step: timedelta = timedelta(minutes=1),
) -> None:
    """Step the clock to `until`, running the due timers at every step."""
    while (now := datetime.now(UK_TZ)) < until:
        freezer.move_to(min(now + step, until))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def describe(hass: HomeAssistant, entity_registry: er.EntityRegistry) -> dict[str, Any]:
    """Every intelligent entity: registry facts, state and attributes."""
    described = {}
    for entry in entity_registry.entities.values():
        if EV not in entry.unique_id:
            continue
        state = hass.states.get(entry.entity_id)
        described[entry.entity_id] = {
            "unique_id": entry.unique_id,
            "translation_key": entry.translation_key,
            "disabled_by": entry.disabled_by,
            "state": state.state if state else None,
            "attributes": (
                {str(key): value for key, value in state.attributes.items()}
                if state
                else None
            ),
        }
    return dict(sorted(described.items()))


@pytest.fixture
def all_enabled() -> Any:
    """Register every entity enabled (the time entity is disabled by default)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


def test_providers() -> None:
    """Known providers, their `_V<n>` variants, OHME read-only."""
    assert controllable("TESLA_V2")
    assert controllable("jedlix-v2")
    assert not controllable("OHME")
    assert known("OHME")
    assert not known("WALLBOX")
    assert not known(None)


def test_intelligent_products() -> None:
    """The community integration's product patterns."""
    for code in (
        "INTELLI-VAR-24-10-29",
        "INTELLI-BB-VAR-23-03-01",
        "IOG-1",
        "INTELLI-22",
    ):
        assert is_intelligent_product(code)
    for code in ("AGILE-24-10-01", "INTELLI-FLUX-IMPORT-23-07-14", None, ""):
        assert not is_intelligent_product(code)


@pytest.mark.usefixtures("all_enabled")
async def test_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every entity of the zappi: community ids, states, small attributes."""
    freezer.move_to(NOON)
    await async_setup(hass, mock_config_entry)
    described = describe(hass, entity_registry)
    assert described == snapshot
    assert set(described) == {
        DISPATCHING,
        STATE,
        f"switch.{ENTITY}_intelligent_bump_charge",
        f"switch.{ENTITY}_intelligent_smart_charge",
        f"number.{ENTITY}_intelligent_charge_target",
        f"select.{ENTITY}_intelligent_target_time",
        f"time.{ENTITY}_intelligent_target_time",
        f"{RETRIEVED}_intelligent_dispatches_data_last_retrieved",
        f"{RETRIEVED}_intelligent_settings_data_last_retrieved",
    }
    for facts in described.values():
        assert len(json.dumps(facts["attributes"], default=str)) < 2000
    dispatching = entity_registry.async_get(
        f"binary_sensor.{ENTITY}_intelligent_dispatching"
    )
    assert dispatching is not None
    zappi = device_registry.async_get(dispatching.device_id or "")
    assert zappi is not None
    assert (DOMAIN, EV) in zappi.identifiers
    assert zappi.name == "Myenergi Zappi v2.1 (Electric Vehicle Charger)"
    assert (zappi.manufacturer, zappi.model) == ("Myenergi", "Zappi v2.1")
    # discovery, then the devices' dispatches: two requests on a first start only
    assert octopus_sim.count(STATE_OPERATION) == 2
    assert octopus_sim.count("octopus.graphql.IntelligentDevices") == 0


async def test_time_entity_disabled_by_default(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The free-form time twin and the diagnostic sensors start disabled."""
    freezer.move_to(NOON)
    await async_setup(hass, mock_config_entry)
    disabled = {
        entry.entity_id
        for entry in entity_registry.entities.values()
        if EV in entry.unique_id and entry.disabled_by
    }
    assert disabled == {
        f"time.{ENTITY}_intelligent_target_time",
        f"{RETRIEVED}_intelligent_dispatches_data_last_retrieved",
        f"{RETRIEVED}_intelligent_settings_data_last_retrieved",
    }


async def test_not_available_without_an_intelligent_tariff(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """On Agile the feature is not created: no entities, no request."""
    for point in octopus_sim.sim.state["octopus"]["account"]["electricity"]:
        for agreement in point["agreements"]:
            agreement["tariff"] = agreement["tariff"].replace(
                "INTELLI-VAR-24-10-29", "AGILE-24-10-01"
            )
    freezer.move_to(NOON)
    await async_setup(hass, mock_config_entry)
    assert mock_config_entry.runtime_data.feature(IntelligentFeature) is None
    assert hass.states.get(DISPATCHING) is None
    assert octopus_sim.count(STATE_OPERATION) == 0


async def test_option_off_makes_no_request(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """The feature switch off: no entities and no request."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        data=dict(iog_entry().data),
        options={"feature_intelligent": False},
    )
    freezer.move_to(NOON)
    await async_setup(hass, entry)
    assert hass.states.get(DISPATCHING) is None
    assert octopus_sim.count(STATE_OPERATION) == 0


async def test_dispatching_follows_the_windows_without_requests(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """On exactly at the dispatch's start, off exactly at its end."""
    freezer.move_to(uk(12, 58))
    await async_setup(hass, mock_config_entry)
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    assert state_of(hass, DISPATCHING) == STATE_OFF
    await advance(hass, freezer, uk(13, 0), timedelta(seconds=30))
    assert state_of(hass, DISPATCHING) == STATE_ON
    attributes = hass.states.get(DISPATCHING).attributes  # type: ignore[union-attr]
    assert attributes["current_start"] == uk(13)
    assert attributes["current_end"] == uk(14, 30)
    assert attributes["next_start"] == uk(23, 30)
    await advance(hass, freezer, uk(14, 30), timedelta(minutes=3))
    assert state_of(hass, DISPATCHING) == STATE_OFF


async def test_polling_cadence_and_new_dispatch_within_five_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """12 requests an hour while plugged in; 4 when not; a new dispatch in 5 min."""
    freezer.move_to(uk(15, 0))
    await async_setup(hass, mock_config_entry)
    start = octopus_sim.count(STATE_OPERATION)
    await advance(hass, freezer, uk(16, 0))
    assert octopus_sim.count(STATE_OPERATION) - start == 12
    # a dispatch Octopus plans now, starting in an hour
    device(octopus_sim.sim)["boosts"].append(
        {
            "start": uk(17, 0).isoformat(),
            "end": uk(18, 0).isoformat(),
            "energy_kwh": 5.0,
        }
    )
    await advance(hass, freezer, uk(16, 5))
    planned = hass.states.get(DISPATCHING).attributes["planned_dispatches"]  # type: ignore[union-attr]
    assert any(p["source"] == "bump-charge" for p in planned)
    # unplugged (smart control not available): every 15 minutes
    device(octopus_sim.sim)["suspended"] = True
    await advance(hass, freezer, uk(16, 10))
    assert state_of(hass, STATE) == "SMART_CONTROL_OFF"
    start = octopus_sim.count(STATE_OPERATION)
    await advance(hass, freezer, uk(17, 10))
    assert octopus_sim.count(STATE_OPERATION) - start == 4


async def test_started_dispatches_keep_the_window(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A half hour charged in a dispatch stays one when Octopus drops the dispatch."""
    freezer.move_to(uk(13, 2))
    await async_setup(hass, mock_config_entry)
    assert state_of(hass, STATE) == "SMART_CONTROL_IN_PROGRESS"
    del device(octopus_sim.sim)["day_dispatch"]
    await advance(hass, freezer, uk(13, 10))
    attributes = hass.states.get(DISPATCHING).attributes  # type: ignore[union-attr]
    assert attributes["started_dispatches"] == [
        {"start": uk(13).isoformat(), "end": uk(13, 30).isoformat()}
    ]
    assert state_of(hass, DISPATCHING) == STATE_ON
    await advance(hass, freezer, uk(13, 30), timedelta(minutes=2))
    assert state_of(hass, DISPATCHING) == STATE_OFF


async def test_no_dispatch_data_keeps_the_planned_dispatches(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """KT-CT-4340 keeps the last planned dispatches, flagged stale."""
    freezer.move_to(uk(12, 50))
    await async_setup(hass, mock_config_entry)
    device(octopus_sim.sim)["planned_dispatches_error"] = True
    await advance(hass, freezer, uk(13, 1))
    state = hass.states.get(DISPATCHING)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["planned_dispatches_stale"] is True
    assert len(state.attributes["planned_dispatches"]) == 2
    device(octopus_sim.sim)["planned_dispatches_error"] = False
    await advance(hass, freezer, uk(13, 7))
    state = hass.states.get(DISPATCHING)
    assert state is not None
    assert state.attributes["planned_dispatches_stale"] is False


async def test_failure_unavailable_and_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Failures keep the data for 2 hours (backing off), then unavailable, then back."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    before = octopus_sim.count(STATE_OPERATION)
    await advance(hass, freezer, uk(13, 30))
    assert state_of(hass, DISPATCHING) == STATE_ON
    # back-off 1, 5, 15, 30, 30 ... minutes: far fewer than 5-minute polls
    assert octopus_sim.count(STATE_OPERATION) - before <= 6
    await advance(hass, freezer, uk(14, 40))
    assert state_of(hass, DISPATCHING) == STATE_UNAVAILABLE
    assert state_of(hass, STATE) == STATE_UNAVAILABLE
    octopus_sim.sim.faults.clear()
    await advance(hass, freezer, uk(15, 15))
    assert state_of(hass, DISPATCHING) == STATE_OFF
    assert state_of(hass, STATE) == "SMART_CONTROL_CAPABLE"


async def test_rate_limit_backs_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """KT-CT-1199: at least 5 minutes between attempts, growing; data kept."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    octopus_sim.sim.faults.add(Fault(kind="rate_limit", operation=STATE_OPERATION))
    await advance(hass, freezer, uk(12, 59))
    attempts = [
        entry.at
        for entry in octopus_sim.sim.faults.log
        if entry.operation == STATE_OPERATION and entry.at > uk(12, 0)
    ]
    assert attempts == [uk(12, 5), uk(12, 10), uk(12, 15), uk(12, 30)]
    assert state_of(hass, DISPATCHING) == STATE_OFF
    assert state_of(hass, STATE) == "SMART_CONTROL_CAPABLE"


async def test_restart_keeps_the_dispatch_without_a_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A reload while Octopus is down: dispatching stays on (stored), never off."""
    freezer.move_to(uk(13, 10))
    await async_setup(hass, mock_config_entry)
    assert state_of(hass, DISPATCHING) == STATE_ON
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    seen: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            seen.append(event.data["new_state"].state)
            if event.data["entity_id"] == DISPATCHING and event.data["new_state"]
            else None
        ),
    )
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert state_of(hass, DISPATCHING) == STATE_ON
    assert STATE_OFF not in seen
    # one request at setup (which failed); planned known from the store
    assert octopus_sim.count(STATE_OPERATION) == 3


async def test_new_device_gets_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A device added to the account gets its entities at the next poll."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    second = {
        **device(octopus_sim.sim),
        "id": "00000000-0000-0000-0000-00000000ev02",
        "__typename": "SmartFlexVehicle",
        "make": "Tesla",
        "model": "Model 3",
        "provider": "TESLA",
        "day_dispatch": None,
    }
    octopus_sim.sim.state["octopus"]["account"]["devices"].append(second)
    await advance(hass, freezer, uk(12, 6))
    entity_id = (
        "binary_sensor.octopus_energy_00000000_0000_0000_0000_00000000ev02"
        "_intelligent_dispatching"
    )
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_OFF
    assert len(state.attributes["planned_dispatches"]) == 1
    assert state.attributes["provider"] == "TESLA"


@pytest.mark.usefixtures("all_enabled")
async def test_data_last_retrieved(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The diagnostic sensors: last retrieval, attempts, next refresh, limits."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    entity_id = f"{RETRIEVED}_intelligent_dispatches_data_last_retrieved"
    state = hass.states.get(entity_id)
    assert state is not None
    assert dt_util.parse_datetime(state.state) == uk(12)
    assert state.attributes["attempts"] == 1
    assert state.attributes["next_refresh"] == uk(12, 5)
    assert state.attributes["requests_current_hour"] == 2
    assert state.attributes["maximum_requests_per_hour"] == 20
    assert state.attributes["request_limits_last_reset"] == uk(12)
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=STATE_OPERATION))
    await advance(hass, freezer, uk(12, 5))
    state = hass.states.get(entity_id)
    assert state is not None
    assert dt_util.parse_datetime(state.state) == uk(12)
    assert state.attributes["attempts"] == 2
    assert "500" in state.attributes["last_error"]
    assert state.attributes["next_refresh"] == uk(12, 6)
    settings = hass.states.get(f"{RETRIEVED}_intelligent_settings_data_last_retrieved")
    assert settings is not None
    assert settings.state == state.state
    assert "requests_current_hour" not in settings.attributes


@pytest.mark.parametrize(
    ("provider", "controls", "issue"),
    [("OHME", False, False), ("WALLBOX", False, True), ("TESLA", True, False)],
)
async def test_provider_gating(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    provider: str,
    controls: bool,
    issue: bool,
) -> None:
    """OHME and unknown providers are read-only; an unknown one raises a repair."""
    device(octopus_sim.sim)["provider"] = provider
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    assert state_of(hass, DISPATCHING) == STATE_OFF
    assert state_of(hass, STATE) == "SMART_CONTROL_CAPABLE"
    switch = hass.states.get(f"switch.{ENTITY}_intelligent_smart_charge")
    assert (switch is not None) is controls
    issues = [
        i
        for (domain, issue_id), i in issue_registry.issues.items()
        if domain == DOMAIN and issue_id.startswith("unknown_intelligent_provider")
    ]
    assert bool(issues) is issue
    if issues:
        assert EV not in issues[0].issue_id
        assert issues[0].translation_placeholders == {"provider": provider}


async def test_diagnostics_have_no_device_id(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The feature's diagnostics count dispatches and name no device."""
    freezer.move_to(uk(12, 0))
    await async_setup(hass, mock_config_entry)
    feature = mock_config_entry.runtime_data.feature(IntelligentFeature)
    assert feature is not None
    diagnostics = feature.diagnostics()
    assert EV not in json.dumps(diagnostics)
    assert diagnostics["devices"][0]["planned_dispatches"] == 2
    assert diagnostics["manual_refresh"] is False


async def test_options_offer_the_switch(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """An IOG account's options show the intelligent switch."""
    freezer.move_to(NOON)
    await async_setup(hass, mock_config_entry)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    features = result["data_schema"].schema["features"].schema.schema
    assert "feature_intelligent" in [str(key) for key in features]
