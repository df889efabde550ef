"""Octoplus: Power Down / Power Up events and calendars, join, points, redeem."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion
import voluptuous as vol

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.octoplus import OctoplusFeature
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .octoplus_helpers import (
    GREENER,
    JOIN,
    NOW,
    POINTS,
    REDEEM,
    SESSIONS,
    SPINS,
    plain,
    register_v18,
)

A = "octopus_energy_a_aaaa1111"
POWER_DOWN = f"event.{A}_octoplus_power_down_events"
POWER_UP = f"event.{A}_octoplus_power_up_events"
SAVING = f"event.{A}_octoplus_saving_session_events"
FREE = f"event.{A}_octoplus_free_electricity_session_events"
CAL_DOWN = f"calendar.{A}_octoplus_power_down"
CAL_UP = f"calendar.{A}_octoplus_power_up"
CAL_SAVING = f"calendar.{A}_octoplus_saving_sessions"
CAL_FREE = f"calendar.{A}_octoplus_free_electricity_session"
POINTS_SENSOR = f"sensor.{A}_octoplus_points"
NEXT = "EVENT-20261206"
"""The Power Down session of Sunday 6 December, announced at NOW."""
PAST = "EVENT-20261203"
POWER_UP_CODE = "POWERUP-20261205"
REGIONAL = "REGIONAL-20261203"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> MockConfigEntry:
    """The reference account (enrolled in Octoplus) set up at NOW."""
    del octopus_sim
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


def sessions_config(octopus_sim: OctopusSim) -> dict[str, Any]:
    """The simulator's saving-session settings of the account (mutable)."""
    config: dict[str, Any] = octopus_sim.sim.state["octopus"]["account"][
        "saving_sessions"
    ]
    return config


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock on and let due refreshes run."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def octoplus_states(hass: HomeAssistant) -> dict[str, Any]:
    """Every Octoplus entity's state and attributes."""
    return {
        state.entity_id: {"state": state.state, "attributes": plain(state.attributes)}
        for state in sorted(hass.states.async_all(), key=lambda s: s.entity_id)
        if "octoplus" in state.entity_id
    }


async def test_entities(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """v19 entities only for a new entry: Power Down, Power Up, points."""
    assert octoplus_states(hass) == snapshot
    registered = {
        e.entity_id: (e.unique_id, e.disabled_by)
        for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if "octoplus" in e.entity_id
    }
    assert registered == snapshot(name="registry")
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"octoplus_renamed_{entry.entry_id}"
    )


async def test_sessions_are_sorted_and_filtered(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Free sessions are Power Up; other regions' sessions are left out."""
    del entry
    down = hass.states.get(POWER_DOWN)
    up = hass.states.get(POWER_UP)
    assert down is not None
    assert up is not None
    assert [e["code"] for e in down.attributes["available_events"]] == [NEXT]
    codes = [e["code"] for e in up.attributes["events"]]
    assert POWER_UP_CODE in codes
    assert all(code.startswith("POWERUP-") for code in codes)
    assert REGIONAL not in str(down.attributes)
    calendar = hass.states.get(CAL_UP)
    assert calendar is not None
    assert calendar.attributes["start_time"] == "2026-12-05 13:00:00"


async def test_opted_in_power_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """A free session opted into in the app is a joined Power Up, not Power Down."""
    sessions_config(octopus_sim)["joined"] = ["POWERUP-20261201", PAST]
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    up, down = hass.states.get(POWER_UP), hass.states.get(POWER_DOWN)
    assert up is not None
    assert down is not None
    joined = {e["code"]: e["is_joined"] for e in up.attributes["events"]}
    assert joined == {"POWERUP-20261201": True, POWER_UP_CODE: False}
    assert [e["code"] for e in down.attributes["joined_events"]] == [PAST]
    assert down.attributes["joined_events"][0]["rewarded_octopoints"] > 0


async def test_old_names_kept_for_migrated_entries(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """v18 entities already registered stay, next to the v19 ones, with a repair."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    register_v18(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    for entity_id in (SAVING, FREE, CAL_SAVING, CAL_FREE, POWER_DOWN, CAL_DOWN):
        assert hass.states.get(entity_id) is not None, entity_id
    old, new = hass.states.get(SAVING), hass.states.get(POWER_DOWN)
    assert old is not None
    assert new is not None
    assert old.attributes["event_type"] == "octopus_energy_all_octoplus_saving_sessions"
    assert old.attributes["available_events"] == new.attributes["available_events"]
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"octoplus_renamed_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert SAVING in issue.translation_placeholders["entities"]

    # both join actions, on either generation's entity, do the same
    await hass.services.async_call(
        DOMAIN,
        "join_octoplus_saving_session_event",
        {ATTR_ENTITY_ID: SAVING, "event_code": NEXT},
        blocking=True,
    )
    assert octopus_sim.count(JOIN) == 1
    assert NEXT in sessions_config(octopus_sim)["joined"]
    state = hass.states.get(POWER_DOWN)
    assert state is not None
    assert [e["code"] for e in state.attributes["joined_events"]] == [NEXT]
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "join_octoplus_power_down_session_event",
            {ATTR_ENTITY_ID: POWER_DOWN, "event_code": NEXT},
            blocking=True,
        )
    assert err.value.translation_key == "power_down_already_joined"

    # the repair goes once the old entities are gone
    registry = er.async_get(hass)
    for entity_id in (SAVING, FREE, CAL_SAVING, CAL_FREE):
        registry.async_remove(entity_id)
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(SAVING) is None
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"octoplus_renamed_{mock_config_entry.entry_id}"
    )


async def test_join(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """One join request, one targeted retrieval; the calendar shows the session."""
    del entry
    sessions = octopus_sim.count(SESSIONS)
    await hass.services.async_call(
        DOMAIN,
        "join_octoplus_power_down_session_event",
        {ATTR_ENTITY_ID: POWER_DOWN, "event_code": NEXT},
        blocking=True,
    )
    assert octopus_sim.count(JOIN) == 1
    assert octopus_sim.count(SESSIONS) == sessions + 1
    state = hass.states.get(POWER_DOWN)
    assert state is not None
    assert state.attributes["available_events"] == []
    assert state.attributes["joined_events"][0]["code"] == NEXT
    calendar = hass.states.get(CAL_DOWN)
    assert calendar is not None
    assert calendar.attributes["start_time"] == "2026-12-06 17:30:00"
    events = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {
            ATTR_ENTITY_ID: CAL_DOWN,
            "start_date_time": "2026-12-01T00:00:00+00:00",
            "end_date_time": "2026-12-08T00:00:00+00:00",
        },
        blocking=True,
        return_response=True,
    )
    assert events == {
        CAL_DOWN: {
            "events": [
                {
                    "start": "2026-12-06T17:30:00+00:00",
                    "end": "2026-12-06T18:30:00+00:00",
                    "summary": "Octopus Energy Power Down",
                }
            ]
        }
    }


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("NOPE", "power_down_unknown_event"),
        (POWER_UP_CODE, "power_down_unknown_event"),
        (REGIONAL, "power_down_unknown_event"),
        (PAST, "power_down_closed"),
    ],
)
async def test_join_bad_input(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    code: str,
    key: str,
) -> None:
    """Codes that cannot be joined are refused without a request."""
    del entry
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "join_octoplus_power_down_session_event",
            {ATTR_ENTITY_ID: POWER_DOWN, "event_code": code},
            blocking=True,
        )
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == {"event_code": code}
    assert octopus_sim.count(JOIN) == 0


async def test_join_only_on_power_down(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The Power Up entity is not a join target."""
    del entry
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "join_octoplus_power_down_session_event",
            {ATTR_ENTITY_ID: POWER_UP, "event_code": NEXT},
            blocking=True,
        )
    assert err.value.translation_key == "entity_not_supported"


async def test_join_refused_by_the_api(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """The API's refusal is an error with its reason; nothing changes locally."""
    del entry
    sessions_config(octopus_sim)["every_days"] = 1000  # the session is withdrawn
    before = hass.states.get(POWER_DOWN)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "join_octoplus_power_down_session_event",
            {ATTR_ENTITY_ID: POWER_DOWN, "event_code": NEXT},
            blocking=True,
        )
    assert err.value.translation_key == "power_down_join_failed"
    assert "OE-1305" in str(err.value.translation_placeholders)
    assert hass.states.get(POWER_DOWN) == before


async def test_bus_events(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """New and all-session events under both names; a reload fires none again."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    names = (
        "octopus_energy_new_octoplus_saving_session",
        "octopus_energy_new_octoplus_power_down_session",
        "octopus_energy_all_octoplus_saving_sessions",
        "octopus_energy_all_octoplus_power_down_sessions",
        "octopus_energy_new_octoplus_free_electricity_session",
        "octopus_energy_new_octoplus_power_up_session",
        "octopus_energy_all_octoplus_free_electricity_sessions",
        "octopus_energy_all_octoplus_power_up_sessions",
    )
    captured = {name: async_capture_events(hass, name) for name in names}
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert {name: len(events) for name, events in captured.items()} == dict.fromkeys(
        names, 1
    )
    new = captured["octopus_energy_new_octoplus_power_down_session"][0].data
    assert new == captured["octopus_energy_new_octoplus_saving_session"][0].data
    assert plain(new) == {
        "account_id": "A-AAAA1111",
        "account_region_id": "C",
        "event_code": NEXT,
        "event_id": str(new["event_id"]),
        "event_start": "2026-12-06T17:30:00+00:00",
        "event_end": "2026-12-06T18:30:00+00:00",
        "event_duration_in_minutes": 60,
        "event_octopoints_per_kwh": 800,
        "event_target_regions": [],
    }
    free = captured["octopus_energy_new_octoplus_power_up_session"][0].data
    assert plain(free) == {
        "account_id": "A-AAAA1111",
        "event_code": POWER_UP_CODE,
        "event_start": "2026-12-05T13:00:00+00:00",
        "event_end": "2026-12-05T14:00:00+00:00",
        "event_duration_in_minutes": 60,
    }
    everything = captured["octopus_energy_all_octoplus_power_up_sessions"][0].data
    assert set(everything) == {"account_id", "events"}

    # a reload within the hour: no request, no event
    requests = octopus_sim.count(SESSIONS)
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_sim.count(SESSIONS) == requests
    assert all(len(events) == 1 for events in captured.values())

    # the next hourly retrieval: "all" events again, nothing new
    await tick(hass, freezer, timedelta(hours=1, minutes=1))
    assert octopus_sim.count(SESSIONS) == requests + 1
    assert len(captured["octopus_energy_all_octoplus_power_down_sessions"]) == 2
    assert len(captured["octopus_energy_new_octoplus_power_down_session"]) == 1


async def test_restart_makes_no_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Stored sessions and points are shown after a reload without a request."""
    before = octoplus_states(hass)
    counts = octopus_sim.count(SESSIONS), octopus_sim.count(POINTS)
    await tick(hass, freezer, timedelta(minutes=20))
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (octopus_sim.count(SESSIONS), octopus_sim.count(POINTS)) == counts
    after = octoplus_states(hass)
    assert {k: v["state"] for k, v in after.items()} == {
        k: v["state"] for k, v in before.items()
    }
    # the stored sessions are asked again when due (one hour after the first)
    await tick(hass, freezer, timedelta(minutes=41))
    assert octopus_sim.count(SESSIONS) == counts[0] + 1
    assert octopus_sim.count(POINTS) == counts[1]


async def test_failure_unavailable_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """A failed retrieval makes the session entities unavailable until it works."""
    del entry
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=SESSIONS))
    await tick(hass, freezer, timedelta(hours=1, minutes=1))
    for entity_id in (POWER_DOWN, POWER_UP, CAL_DOWN, CAL_UP):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_UNAVAILABLE
    points = hass.states.get(POINTS_SENSOR)
    assert points is not None
    assert points.state == "520"
    octopus_sim.sim.faults.clear()
    await tick(hass, freezer, timedelta(minutes=2))
    state = hass.states.get(POWER_DOWN)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_redeem(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """Redeeming asks once and updates the points at once."""
    del entry
    await hass.services.async_call(
        DOMAIN,
        "redeem_octoplus_points_into_account_credit",
        {ATTR_ENTITY_ID: POINTS_SENSOR, "points_to_redeem": 80},
        blocking=True,
    )
    assert octopus_sim.count(REDEEM) == 1
    assert octopus_sim.count(POINTS) == 2
    state = hass.states.get(POINTS_SENSOR)
    assert state is not None
    assert state.state == "440"
    assert state.attributes["redeemable_points"] == 440


@pytest.mark.parametrize(
    ("points", "key", "placeholders"),
    [
        (10, "octoplus_points_not_multiple", {"multiple": "8"}),
        (528, "octoplus_points_maximum_points", {"maximum": "520"}),
    ],
)
async def test_redeem_bad_input(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    points: int,
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Points that cannot be redeemed are refused without a request."""
    del entry
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "redeem_octoplus_points_into_account_credit",
            {ATTR_ENTITY_ID: POINTS_SENSOR, "points_to_redeem": points},
            blocking=True,
        )
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert octopus_sim.count(REDEEM) == 0


async def test_redeem_schema(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The number of points is a positive whole number."""
    del entry
    for value in (0, -8, "lots"):
        with pytest.raises(vol.Invalid):
            await hass.services.async_call(
                DOMAIN,
                "redeem_octoplus_points_into_account_credit",
                {ATTR_ENTITY_ID: POINTS_SENSOR, "points_to_redeem": value},
                blocking=True,
            )


async def test_redeem_without_points(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Fewer than 8 points: nothing to redeem."""
    octopus_sim.sim.state["octopus"]["account"]["octoplus"]["ledger"] = [
        {
            "postedAt": "2025-06-01T09:00:00+00:00",
            "value": 7,
            "ledgerType": "OCTOPUS_POINTS",
            "reasonCode": "SIGN_UP_BONUS",
        }
    ]
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "redeem_octoplus_points_into_account_credit",
            {ATTR_ENTITY_ID: POINTS_SENSOR, "points_to_redeem": 8},
            blocking=True,
        )
    assert err.value.translation_key == "octoplus_points_no_points"


async def test_redeem_refused_by_the_api(
    hass: HomeAssistant, entry: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """The API's refusal is an error with its reason, never silence."""
    del entry
    octopus_sim.sim.state["octopus"]["account"]["octoplus"]["ledger"].pop()
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "redeem_octoplus_points_into_account_credit",
            {ATTR_ENTITY_ID: POINTS_SENSOR, "points_to_redeem": 520},
            blocking=True,
        )
    assert err.value.translation_key == "octoplus_points_redeem_failed"
    state = hass.states.get(POINTS_SENSOR)
    assert state is not None
    assert state.state == "520"


async def test_not_enrolled(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """An account not enrolled in Octoplus gets no Octoplus entity or request."""
    octopus_sim.sim.state["octopus"]["account"]["octoplus"]["enrolled"] = False
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.feature(OctoplusFeature) is None
    assert octoplus_states(hass) == {}
    assert octopus_sim.count(SESSIONS) == octopus_sim.count(POINTS) == 0


async def test_switched_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The options switch turns Octoplus off: no entity, no request."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={"feature_octoplus": False}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert octoplus_states(hass) == {}
    assert octopus_sim.count(SESSIONS) == 0


async def test_diagnostics_part(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The feature's diagnostics: counts only."""
    del hass
    feature = entry.runtime_data.feature(OctoplusFeature)
    assert feature is not None
    assert feature.diagnostics() == {
        "power_down_sessions": 11,
        "power_up_sessions": 8,
        "legacy_entities": 0,
    }


async def test_a_day_of_requests(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Octoplus, wheel and greenness: at most 2 requests in any clock hour of a day."""
    del entry
    operations = (SESSIONS, POINTS, SPINS, GREENER)
    for _ in range(24 * 6):
        await tick(hass, freezer, timedelta(minutes=10))
    per_hour: dict[datetime, int] = {}
    for logged in octopus_sim.sim.faults.log:
        if logged.operation.startswith(operations) and logged.at > NOW:
            hour = logged.at.replace(minute=0, second=0, microsecond=0)
            per_hour[hour] = per_hour.get(hour, 0) + 1
    assert max(per_hour.values()) <= 2
    assert sum(per_hour.values()) <= 24 + 3 * 4
