"""Tests of the OSO Energy options: the polling interval and the request budget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy.const import SCAN_INTERVAL

from .conftest import poll, requests_to


def polls(aioclient_mock: AiohttpClientMocker) -> int:
    """How many device-list requests were sent."""
    return len(requests_to(aioclient_mock, "GET", "Device/All"))


async def test_default_polls_at_most_1440_a_day(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """By default one request a minute: at most 60 an hour, 1,440 a day."""
    assert timedelta(seconds=60) == SCAN_INTERVAL
    assert init_integration.runtime_data.update_interval == SCAN_INTERVAL
    start = polls(aioclient_mock)

    for _ in range(120):
        await poll(hass, freezer, timedelta(seconds=30))

    assert polls(aioclient_mock) - start == 60


async def test_options_change_the_interval(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """A new interval is used from the next poll on, without a reload."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] == {"min": "60", "max": "3600"}
    schema = result["data_schema"].schema
    [key] = schema
    assert key.description == {"suggested_value": 60}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_SCAN_INTERVAL: 300}
    coordinator = init_integration.runtime_data
    assert coordinator.update_interval == timedelta(minutes=5)
    await poll(hass, freezer)  # the poll already planned
    start = polls(aioclient_mock)
    for _ in range(10):
        await poll(hass, freezer)
    assert polls(aioclient_mock) - start == 2

    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    [key] = result["data_schema"].schema
    assert key.description == {"suggested_value": 300}


@pytest.mark.parametrize("seconds", [30, 59, 3601, 90.5])
async def test_options_validated(
    hass: HomeAssistant, init_integration: MockConfigEntry, seconds: Any
) -> None:
    """Too short, too long or part seconds: a translated error on the field."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: seconds}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SCAN_INTERVAL: "scan_interval_out_of_range"}
    assert init_integration.options == {}


async def test_option_read_at_setup(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A stored interval is used from the start; a nonsensical one is ignored."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_SCAN_INTERVAL: 120}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.update_interval == timedelta(minutes=2)

    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_SCAN_INTERVAL: 5}
    )
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.update_interval == SCAN_INTERVAL


@pytest.mark.parametrize("second", [1, 30, 50])
async def test_commands_add_no_poll(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    second: int,
) -> None:
    """The refresh after a command takes the place of the next regular poll.

    Polls every minute; a command at 10:xx is refreshed at once and the next poll
    is at 12:00, as the schedule had it: 60 requests by 60:xx, not 61 (without
    that, every later poll would move by the command's second and one more would
    fit in the hour, and in a day).
    """
    start = polls(aioclient_mock)
    for _ in range(20):  # 10 minutes
        await poll(hass, freezer, timedelta(seconds=30))
    await poll(hass, freezer, timedelta(seconds=second))
    await hass.services.async_call(
        "water_heater",
        "set_temperature",
        {"entity_id": "water_heater.test_device", "temperature": 55},
        blocking=True,
    )
    await poll(hass, freezer, timedelta(seconds=1))  # the refresh after the command
    assert polls(aioclient_mock) - start == 11
    for _ in range(100):  # 50 minutes on
        await poll(hass, freezer, timedelta(seconds=30))
    await poll(hass, freezer, timedelta(seconds=3))
    assert polls(aioclient_mock) - start == 60
