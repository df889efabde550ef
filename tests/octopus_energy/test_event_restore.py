"""Event entities across reloads: restored, and triggered only for new data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.const import DOMAIN

from .conftest import OctopusSim

NEXT_DAY = "event.octopus_energy_electricity_22l0000001_1200000000001_next_day_rates"
CURRENT_DAY = (
    "event.octopus_energy_electricity_22l0000001_1200000000001_current_day_rates"
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


def _events(hass: HomeAssistant) -> dict[str, Any]:
    """The integration's event entities: state (last trigger) and attributes."""
    return {
        state.entity_id: (state.state, dict(state.attributes))
        for state in hass.states.async_all("event")
        if state.entity_id.startswith("event.octopus_energy_")
    }


class Fired(list[str]):
    """The integration's bus events and the event entities' states written."""

    states: dict[str, set[str]]


def _listen(hass: HomeAssistant) -> Fired:
    fired = Fired()
    fired.states = {}

    @callback
    def _on_event(event: Event[Any]) -> None:
        if event.event_type.startswith(DOMAIN) or event.event_type.startswith(
            "target_timeframe"
        ):
            fired.append(event.event_type)
        elif event.event_type == EVENT_STATE_CHANGED:
            new = event.data.get("new_state")
            if (
                new is not None
                and new.entity_id.startswith("event.octopus_energy_")
                and new.state != "unavailable"
            ):
                fired.states.setdefault(new.entity_id, set()).add(new.state)

    hass.bus.async_listen("*", _on_event)
    return fired


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config.async_set_time_zone("Europe/London")
    if not hass.config_entries.async_get_entry(entry.entry_id):
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reload_does_not_fire_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Nothing changed: after a reload every event entity shows the same event.

    No bus event is fired again and no event entity gets a new state.
    """
    freezer.move_to(datetime(2026, 11, 23, 12, tzinfo=UTC))
    await _setup(hass, mock_config_entry)
    before = _events(hass)
    assert len(before) == 11  # 3 meters x previous/current/next day, Power Down, Up
    assert all(state != "unknown" for state, _ in before.values())
    fired = _listen(hass)
    freezer.tick(60)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert _events(hass) == before
    assert fired == []  # no bus event
    # the re-added entities show their restored event (same trigger time)
    assert fired.states == {
        entity_id: {state} for entity_id, (state, _) in before.items()
    }


async def test_new_data_while_unloaded_fires_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Tomorrow's Agile prices published while unloaded: those entities fire.

    The publication adds tomorrow and today's last half hour (23:00-00:00 UK):
    the Agile meter's next- and current-day entities trigger once; every other
    event entity keeps its restored event.
    """
    freezer.move_to(datetime(2026, 11, 23, 15, 50, tzinfo=UTC))
    await _setup(hass, mock_config_entry)
    before = _events(hass)
    assert before[NEXT_DAY][1]["rates"] == []
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    fired = _listen(hass)
    freezer.move_to(datetime(2026, 11, 23, 16, 5, tzinfo=UTC))
    await _setup(hass, mock_config_entry)
    after = _events(hass)
    assert len(after[NEXT_DAY][1]["rates"]) == 46
    assert after[NEXT_DAY][0] != before[NEXT_DAY][0]
    assert len(after[CURRENT_DAY][1]["rates"]) == 48
    changed = {NEXT_DAY, CURRENT_DAY}
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }
    for entity_id in changed:
        assert after[entity_id][0] == "2026-11-23T16:05:00.000+00:00"
    assert sorted(fired) == [
        "octopus_energy_electricity_current_day_rates",
        "octopus_energy_electricity_next_day_rates",
        "target_timeframe_update_data_source",
    ]
