"""Tests of migrating the community integration's config entries to VERSION 9."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.migration import (
    async_migrate_entry,
    migrate_data,
)

from .conftest import ACCOUNT, API_KEY


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


V1 = {
    "Api key": API_KEY,
    "Account Id": ACCOUNT,
    "supports_live_consumption": True,
    "live_consumption_refresh_in_minutes": 3,
    "calorific_value": 39.5,
    "electricity_price_cap": 30.0,
}


def test_version_1() -> None:
    """Kind, refresh split, renamed keys and sections."""
    assert migrate_data(1, V1, {}) == {
        "kind": "account",
        "api_key": API_KEY,
        "account_id": ACCOUNT,
        "calorific_value": 39.5,
        "home_mini_settings": {
            "supports_live_consumption": True,
            "live_electricity_consumption_refresh_in_minutes": 3,
            "live_gas_consumption_refresh_in_minutes": 3,
        },
        "price_cap_settings": {"electricity_price_cap": 30.0},
    }


def test_version_2_renames_keys() -> None:
    """Version 2 still has the old key names."""
    data = migrate_data(2, {"Api key": API_KEY, "Account Id": ACCOUNT}, {})
    assert data == {"kind": "account", "api_key": API_KEY, "account_id": ACCOUNT}


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("http://192.168.1.20:8000", "http://192.168.1.20"),
        ("http://192.168.1.20", "http://192.168.1.20"),
        ("http://homepro.local:8000", None),
        (None, None),
    ],
)
def test_version_5_home_pro(address: str | None, kept: str | None) -> None:
    """Port 8000 stripped (<= 5), nested (<= 6), kept only for http://<ipv4> (<= 7)."""
    data = migrate_data(
        5,
        {
            "kind": "account",
            "api_key": API_KEY,
            "account_id": ACCOUNT,
            "home_pro_address": address,
            "home_pro_api_key": "secret",
        },
        {},
    )
    if kept is None:
        assert "home_pro_settings" not in data
    else:
        assert data["home_pro_settings"] == {
            "home_pro_address": kept,
            "home_pro_api_key": "secret",
        }
    assert "home_pro_address" not in data


def test_version_6_nests_flat_keys() -> None:
    """Flat keys move into their sections, intelligent settings too."""
    data = migrate_data(
        6,
        {
            "kind": "account",
            "api_key": API_KEY,
            "account_id": ACCOUNT,
            "live_electricity_consumption_refresh_in_minutes": 2,
            "live_gas_consumption_refresh_in_minutes": 5,
            "gas_price_cap": 8.0,
            "intelligent_manual_dispatches": True,
            "intelligent_rate_mode": "started_dispatches_only",
        },
        {},
    )
    assert data == {
        "kind": "account",
        "api_key": API_KEY,
        "account_id": ACCOUNT,
        "home_mini_settings": {
            "live_electricity_consumption_refresh_in_minutes": 2,
            "live_gas_consumption_refresh_in_minutes": 5,
        },
        "price_cap_settings": {"gas_price_cap": 8.0},
        "intelligent_settings": {
            "intelligent_manual_dispatches": True,
            "intelligent_rate_mode": "started_dispatches_only",
        },
    }


def test_version_7_drops_invalid_home_pro() -> None:
    """A nested Home Pro address that is not http://<ipv4> goes."""
    data = migrate_data(
        7,
        {
            "kind": "account",
            "home_pro_settings": {"home_pro_address": "https://pro"},
        },
        {},
    )
    assert data == {"kind": "account"}
    kept = migrate_data(7, {"home_pro_settings": {"home_pro_api_key": "x"}}, {})
    assert kept == {"home_pro_settings": {"home_pro_api_key": "x"}}


def test_version_8_merges_options() -> None:
    """Options (edited in the community's old options flow) win and are merged."""
    data = migrate_data(
        8,
        {"kind": "account", "api_key": "old", "calorific_value": 40},
        {"api_key": "new", "home_mini_settings": {"supports_live_consumption": True}},
    )
    assert data == {
        "kind": "account",
        "api_key": "new",
        "calorific_value": 40,
        "home_mini_settings": {"supports_live_consumption": True},
    }
    assert migrate_data(9, {"kind": "account"}, {"x": 1}) == {"kind": "account"}


async def test_migrate_entry_on_load(hass: HomeAssistant) -> None:
    """A version 1 entry is migrated when it loads; options are emptied."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        title=ACCOUNT,
        data=V1,
        options={"calorific_value": 38},
    )
    entry.add_to_hass(hass)
    with patch("custom_components.octopus_energy.async_setup_entry", return_value=True):
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 9
    assert entry.options == {}
    assert entry.data["calorific_value"] == 38
    assert entry.data["api_key"] == API_KEY
    assert entry.data["kind"] == "account"


async def test_cost_tracker_version_bump(hass: HomeAssistant) -> None:
    """Other kinds get the version bump with their data kept."""
    data: dict[str, Any] = {"kind": "cost_tracker", "name": "tracker"}
    entry = MockConfigEntry(domain=DOMAIN, version=8, data=data)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.version == 9
    assert dict(entry.data) == data
    assert entry.state is ConfigEntryState.SETUP_ERROR


async def test_newer_version_refused(hass: HomeAssistant) -> None:
    """An entry from a newer version is not touched."""
    entry = MockConfigEntry(domain=DOMAIN, version=10, data={"kind": "account"})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.version == 10


async def test_current_version_untouched(hass: HomeAssistant) -> None:
    """A VERSION 9 entry (e.g. another minor version) is left as it is."""
    entry = MockConfigEntry(domain=DOMAIN, version=9, data={"kind": "account"})
    entry.add_to_hass(hass)
    assert await async_migrate_entry(hass, entry)
    assert dict(entry.data) == {"kind": "account"}
