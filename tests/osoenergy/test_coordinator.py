"""Tests of the OSO Energy coordinator: failure, recovery, reauth, rate limits."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy.const import (
    DOMAIN,
    MAX_BACKOFF,
    SCAN_INTERVAL,
    STALE_AFTER,
)
from custom_components.osoenergy.coordinator import OSOEnergyCoordinator

from .conftest import (
    API_KEY,
    DEVICE_ID,
    DEVICES_URL,
    apim_refusal,
    mock_answer,
    poll,
    requests_to,
)

WATER_HEATER = "water_heater.test_device"
CONNECTIVITY_ID = f"{DEVICE_ID}_connectivity"
ENERGY_ID = f"{DEVICE_ID}_energy_consumed"
FAILED = "Error fetching osoenergy data"
RECOVERED = "Fetching osoenergy data recovered"
OFFLINE = "Water heater TEST DEVICE is not connected to the cloud"
ONLINE = "Water heater TEST DEVICE is connected again"


def log_count(caplog: pytest.LogCaptureFixture, text: str) -> int:
    """How many records of the integration's logger contain `text`."""
    return sum(
        text in record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.osoenergy")
    )


def device_states(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, entry: MockConfigEntry
) -> dict[str, str]:
    """The state of every entity of the entry (one heater), by unique id."""
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert entries
    return {
        entry.unique_id: hass.states.get(entry.entity_id).state for entry in entries
    }


def coordinator_of(entry: MockConfigEntry) -> OSOEnergyCoordinator:
    """The entry's coordinator."""
    coordinator = entry.runtime_data
    assert isinstance(coordinator, OSOEnergyCoordinator)
    return coordinator


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"status": 500}, id="500"),
        pytest.param({"status": 404}, id="404"),
        pytest.param({"text": "<html>Maintenance</html>"}, id="html"),
        pytest.param({"status": 403, "text": "<html>Forbidden</html>"}, id="html_403"),
        pytest.param({"json": {"error": "nope"}}, id="not_a_list"),
        pytest.param({"exc": aiohttp.ClientConnectionError()}, id="connection"),
        pytest.param({"exc": TimeoutError()}, id="timeout"),
    ],
)
async def test_failure_keeps_stale_values_then_recovers(
    hass: HomeAssistant,
    *,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    answer: dict[str, Any],
) -> None:
    """A failing cloud keeps every value, marked stale, logged once; then recovers.

    The failures back off (60 s, then 120 s: two requests in three minutes) and
    never start a reauth.
    """
    caplog.set_level(logging.INFO)
    before = device_states(hass, entity_registry, init_integration)
    assert STATE_UNAVAILABLE not in before.values()
    updated_at = coordinator_of(init_integration).last_success_time
    assert updated_at is not None

    mock_answer(aioclient_mock, DEVICES_URL, **answer)
    await poll(hass, freezer)
    await poll(hass, freezer)
    await poll(hass, freezer)

    assert len(requests_to(aioclient_mock, "GET", "Device/All")) == 2
    assert device_states(hass, entity_registry, init_integration) == before
    attributes = hass.states.get(WATER_HEATER).attributes
    assert attributes["stale"] is True
    assert attributes["last_update"] == updated_at.isoformat()
    assert log_count(caplog, FAILED) == 1
    assert log_count(caplog, RECOVERED) == 0
    assert API_KEY not in caplog.text
    assert coordinator_of(init_integration).last_update_success is False
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)

    mock_answer(aioclient_mock, DEVICES_URL, json=devices_payload)
    await poll(hass, freezer, timedelta(minutes=4))
    await poll(hass, freezer)

    after = device_states(hass, entity_registry, init_integration)
    # 8 minutes at 2.4 kW, the outage bridged
    assert float(after.pop(ENERGY_ID)) == pytest.approx(2.4 * 8 / 60)
    before.pop(ENERGY_ID)
    assert after == before
    assert "stale" not in hass.states.get(WATER_HEATER).attributes
    assert log_count(caplog, FAILED) == 1
    assert log_count(caplog, RECOVERED) == 1
    assert init_integration.state is ConfigEntryState.LOADED
    assert coordinator_of(init_integration).update_interval == SCAN_INTERVAL


async def test_back_off_is_capped(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Each failure doubles the wait, up to MAX_BACKOFF."""
    coordinator = coordinator_of(init_integration)
    mock_answer(aioclient_mock, DEVICES_URL, status=503)
    waits = []
    for _ in range(6):
        await poll(hass, freezer, coordinator.update_interval)
        waits.append(coordinator.update_interval.total_seconds())

    assert waits == [60, 120, 240, 480, 600, 600]
    assert timedelta(seconds=600) == MAX_BACKOFF


async def test_stale_values_expire(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Values older than STALE_AFTER are no longer shown: unavailable, until back."""
    mock_answer(aioclient_mock, DEVICES_URL, status=503)
    steps = int((STALE_AFTER - MAX_BACKOFF) / MAX_BACKOFF)
    for _ in range(steps):
        await poll(hass, freezer, MAX_BACKOFF)
    states = device_states(hass, entity_registry, init_integration)
    assert STATE_UNAVAILABLE not in states.values()

    for _ in range(3):
        await poll(hass, freezer, MAX_BACKOFF)

    states = device_states(hass, entity_registry, init_integration)
    assert set(states.values()) == {STATE_UNAVAILABLE}


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """A key revoked at runtime makes entities unavailable and asks for a new key."""
    mock_answer(aioclient_mock, DEVICES_URL, **apim_refusal(401))

    await poll(hass, freezer)

    assert hass.states.get(WATER_HEATER).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == SOURCE_REAUTH
    assert flows[0]["context"]["entry_id"] == init_integration.entry_id
    assert flows[0]["step_id"] == "reauth_confirm"

    await poll(hass, freezer)

    assert len(requests_to(aioclient_mock, "GET", "Device/All")) == 1


async def test_rate_limit_slows_polling(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """429 with Retry-After: 120 waits 120 s before the next poll, then back to 60 s."""
    coordinator = coordinator_of(init_integration)
    assert coordinator.update_interval == SCAN_INTERVAL
    mock_answer(aioclient_mock, DEVICES_URL, status=429, headers={"Retry-After": "120"})

    await poll(hass, freezer)

    assert coordinator.update_interval == timedelta(seconds=120)
    assert hass.states.get(WATER_HEATER).attributes["stale"] is True
    mock_answer(aioclient_mock, DEVICES_URL, json=devices_payload)

    await poll(hass, freezer, timedelta(seconds=90))
    assert requests_to(aioclient_mock, "GET", "Device/All") == []

    await poll(hass, freezer, timedelta(seconds=30))
    assert len(requests_to(aioclient_mock, "GET", "Device/All")) == 1
    assert coordinator.update_interval == SCAN_INTERVAL
    assert "stale" not in hass.states.get(WATER_HEATER).attributes


@pytest.mark.parametrize("retry_after", [{"Retry-After": "5"}, {}])
async def test_rate_limit_never_faster(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    retry_after: dict[str, str],
) -> None:
    """A short or missing Retry-After never polls faster than the scan interval."""
    mock_answer(aioclient_mock, DEVICES_URL, status=429, headers=retry_after)

    await poll(hass, freezer)

    assert coordinator_of(init_integration).update_interval == SCAN_INTERVAL


async def test_heater_offline(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices_answer: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A heater that loses its cloud connection is unavailable, logged once each way."""
    caplog.set_level(logging.INFO)
    connection = devices_answer[0]["connectionState"]
    states = device_states(hass, entity_registry, init_integration)
    assert states.pop(CONNECTIVITY_ID) == STATE_ON
    assert STATE_UNAVAILABLE not in states.values()

    connection["connectionState"] = "Disconnected"
    await poll(hass, freezer)
    await poll(hass, freezer)

    states = device_states(hass, entity_registry, init_integration)
    assert states.pop(CONNECTIVITY_ID) == STATE_OFF
    assert set(states.values()) == {STATE_UNAVAILABLE}
    assert log_count(caplog, OFFLINE) == 1
    assert log_count(caplog, FAILED) == 0
    assert DEVICE_ID not in caplog.text

    connection["connectionState"] = "Connected"
    await poll(hass, freezer)
    await poll(hass, freezer)

    states = device_states(hass, entity_registry, init_integration)
    assert states.pop(CONNECTIVITY_ID) == STATE_ON
    assert STATE_UNAVAILABLE not in states.values()
    assert log_count(caplog, OFFLINE) == 1
    assert log_count(caplog, ONLINE) == 1
