"""Greenness forecast: score sensors, highlighted sensor, greener-nights calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.features.greenness.model import next_boundary
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .octoplus_helpers import GREENER, NOW, plain

A = "octopus_energy_a_aaaa1111"
CURRENT = f"sensor.{A}_greenness_forecast_current_index"
NEXT = f"sensor.{A}_greenness_forecast_next_index"
HIGHLIGHTED = f"binary_sensor.{A}_greenness_forecast_highlighted"
CALENDAR = f"calendar.{A}_greener_nights"
ALL = (CURRENT, NEXT, HIGHLIGHTED, CALENDAR)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
def enabled_by_default() -> Iterator[None]:
    """Create the disabled-by-default entities enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    enabled_by_default: None,
) -> MockConfigEntry:
    """The reference account at NOW (a greener night on 11 December)."""
    del octopus_sim, enabled_by_default
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


def states(hass: HomeAssistant) -> dict[str, Any]:
    """The forecast entities' states and attributes."""
    return {
        entity_id: {"state": state.state, "attributes": plain(dict(state.attributes))}
        for entity_id in ALL
        if (state := hass.states.get(entity_id)) is not None
    }


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock on and let due work run."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_entities(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """During the day (no period), and inside the greener night of 11 December."""
    del entry
    assert states(hass) == snapshot(name="day")
    freezer.move_to(datetime(2026, 12, 11, 23, 30, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    night = states(hass)
    assert night[CURRENT]["state"] == "84"
    assert night[HIGHLIGHTED]["state"] == "on"
    assert night[CALENDAR]["state"] == "on"
    assert night == snapshot(name="greener night")


async def test_defaults(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    entity_registry: er.EntityRegistry,
) -> None:
    """Only the calendar is enabled by default (as in the community integration)."""
    del octopus_sim
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    enabled = {
        entity_id: (entry := entity_registry.async_get(entity_id)) is not None
        and entry.disabled_by is None
        for entity_id in ALL
    }
    assert enabled == {
        CURRENT: False,
        NEXT: False,
        HIGHLIGHTED: False,
        CALENDAR: True,
    }
    calendar = entity_registry.async_get(CALENDAR)
    assert calendar is not None
    assert calendar.unique_id == "octopus_energy_A-AAAA1111_greener_nights"


async def test_calendar_events(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The greener nights of the window."""
    del entry
    events = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {
            ATTR_ENTITY_ID: CALENDAR,
            "start_date_time": "2026-12-05T00:00:00+00:00",
            "end_date_time": "2026-12-13T00:00:00+00:00",
        },
        blocking=True,
        return_response=True,
    )
    assert events == {
        CALENDAR: {
            "events": [
                {
                    "start": "2026-12-11T23:00:00+00:00",
                    "end": "2026-12-12T06:00:00+00:00",
                    "summary": "Octopus Energy Greener Night",
                    "description": "Greenness HIGH (score 84)",
                }
            ]
        }
    }


async def test_polling_failure_and_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Every 6 hours; none at a restart; unavailable on failure, then back."""
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert octopus_sim.count(GREENER) == 1
    await tick(hass, freezer, timedelta(hours=5))
    assert octopus_sim.count(GREENER) == 1
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation=GREENER))
    await tick(hass, freezer, timedelta(hours=1, minutes=1))
    assert octopus_sim.count(GREENER) == 2
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    octopus_sim.sim.faults.clear()
    await tick(hass, freezer, timedelta(minutes=2))
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == "off"


async def test_switched_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """The options switch turns the forecast off: no entity, no request."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={"feature_greenness_forecast": False}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(CALENDAR) is None
    assert octopus_sim.count(GREENER) == 0


@pytest.mark.parametrize(
    ("now", "boundary"),
    [
        (datetime(2026, 12, 5, 10, tzinfo=UTC), datetime(2026, 12, 5, 23, tzinfo=UTC)),
        (datetime(2026, 12, 5, 23, tzinfo=UTC), datetime(2026, 12, 6, 6, tzinfo=UTC)),
        (datetime(2026, 7, 1, 4, tzinfo=UTC), datetime(2026, 7, 1, 5, tzinfo=UTC)),
    ],
)
def test_next_boundary(now: datetime, boundary: datetime) -> None:
    """23:00 and 06:00 UK time (BST in summer)."""
    assert next_boundary(now) == boundary


async def test_period_boundary_without_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """At 23:00 the current period starts: the sensors follow with no request."""
    del entry
    freezer.move_to(datetime(2026, 12, 5, 22, 5, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    requests = octopus_sim.count(GREENER)
    state = hass.states.get(CURRENT)
    assert state is not None
    assert state.state == "unknown"
    await tick(hass, freezer, timedelta(minutes=56))
    assert octopus_sim.count(GREENER) == requests
    state = hass.states.get(CURRENT)
    assert state is not None
    assert state.state == "57"
