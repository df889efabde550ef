"""Tests of the account's API-health diagnostic sensor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EntityCategory
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy.api import (
    OctopusEnergyRateLimitError,
    OctopusEnergyServerError,
)
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.account.health import (
    REFRESH,
    ApiHealthSensor,
)

from .builders import rates_of
from .conftest import ACCOUNT, OctopusSim, community_entry_data

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
HEALTH = "sensor.octopus_energy_a_aaaa1111_api_health"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


@pytest.fixture
async def entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> MockConfigEntry:
    """The reference account without the Home Mini, set up."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    data = community_entry_data(home_mini_settings={"supports_live_consumption": False})
    entry = MockConfigEntry(domain=DOMAIN, version=9, title=ACCOUNT, data=data)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_health_sensor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Requests of the last hour, per operation, token requests; no error."""
    counter = entry.runtime_data.client.request_counter
    freezer.tick(REFRESH)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    state = hass.states.get(HEALTH)
    assert state is not None
    assert int(state.state) == counter.requests_last_hour > 0
    assert state.attributes["unit_of_measurement"] == "requests"
    assert state.attributes["state_class"] == "measurement"
    assert state.attributes["requests_by_operation"] == counter.by_operation()
    assert state.attributes["token_requests_last_hour"] == 1
    assert state.attributes["last_error"] is None
    assert state.attributes["rate_limited"] is False
    assert state.attributes["rate_limited_until"] is None
    assert state.attributes["friendly_name"] == f"Octopus Energy ({ACCOUNT}) API health"
    registered = entity_registry.async_get(HEALTH)
    assert registered is not None
    assert registered.unique_id == f"octopus_energy_{ACCOUNT}_api_health"
    assert registered.entity_category is EntityCategory.DIAGNOSTIC
    assert registered.disabled_by is None
    device = device_registry.async_get(registered.device_id or "")
    assert device is not None
    assert device.identifiers == {(DOMAIN, f"account-{ACCOUNT}")}
    assert ApiHealthSensor._unrecorded_attributes == frozenset(
        {"requests_by_operation"}
    )


async def test_requests_age_out(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """The 5-minute tick moves the sliding hour on without any request."""
    counter = entry.runtime_data.client.request_counter
    before = counter.total
    freezer.tick(timedelta(minutes=65))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    hourly = counter.total - before  # the hourly polls only
    freezer.tick(REFRESH)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(HEALTH)
    assert state is not None
    assert counter.total - before == hourly
    assert int(state.state) == hourly


async def test_errors_and_rate_limit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """A failing coordinator sets last_error; a rate limit sets the until time."""
    account = entry.runtime_data.account
    client = entry.runtime_data.client
    with patch.object(
        client,
        "get_account",
        AsyncMock(side_effect=OctopusEnergyServerError("Server error (get_account)")),
    ):
        await account.async_refresh()
    state = hass.states.get(HEALTH)
    assert state is not None
    assert state.attributes["last_error"] == (
        "OctopusEnergyServerError: Server error (get_account)"
    )
    assert state.attributes["last_error_time"] == NOW
    assert state.attributes["rate_limited"] is False

    limit = OctopusEnergyRateLimitError("Too many requests", retry_after=300)
    with patch.object(client, "get_account", AsyncMock(side_effect=limit)):
        await account.async_refresh()
    freezer.tick(timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    state = hass.states.get(HEALTH)
    assert state is not None
    assert state.attributes["rate_limited"] is True
    assert state.attributes["rate_limited_until"] == NOW + timedelta(minutes=5)
    assert state.attributes["last_error"].startswith("OctopusEnergyRateLimitError")

    # The wait ends: no longer rate limited, the last error stays
    freezer.tick(timedelta(minutes=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    state = hass.states.get(HEALTH)
    assert state is not None
    assert state.attributes["rate_limited"] is False
    assert state.attributes["rate_limited_until"] is None


async def test_handled_api_error(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """A coordinator that keeps its data still reports its typed last error."""
    rates = next(iter(rates_of(entry.runtime_data).values()))
    rates.last_error = OctopusEnergyServerError("Server error (get_unit_rates)")
    rates.async_update_listeners()
    state = hass.states.get(HEALTH)
    assert state is not None
    assert state.attributes["last_error"] == (
        "OctopusEnergyServerError: Server error (get_unit_rates)"
    )
    sensor = ApiHealthSensor(entry.runtime_data.client, ACCOUNT, lambda: [rates])
    sensor._seen = set(range(200))
    sensor._collect_errors()
    assert sensor._seen == set()


async def test_successful_polls_write_no_state(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """A successful poll writes no health state; the 5-minute refresh does."""
    written: list[Event[EventStateChangedData]] = []
    async_track_state_change_event(hass, HEALTH, written.append)
    await entry.runtime_data.account.async_refresh()
    for rates in rates_of(entry.runtime_data).values():
        await rates.async_refresh()
    await hass.async_block_till_done()
    assert written == []
    freezer.tick(REFRESH)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(written) == 1
