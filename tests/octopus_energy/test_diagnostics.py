"""Tests of the Octopus Energy diagnostics: everything identifying is redacted."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.octopus_energy.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .conftest import (
    ACCOUNT,
    API_KEY,
    ELECTRICITY_SERIAL,
    EXPORT_MPAN,
    GAS_MPRN,
    GAS_SERIAL,
    IMPORT_MPAN,
    OctopusSim,
)

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def test_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Entry, meters, coordinators and the raw account, identifiers redacted."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    # (called directly: the HTTP view's token would be "issued in the future"
    # under the frozen clock)
    diagnostics = await async_get_config_entry_diagnostics(hass, mock_config_entry)
    text = json.dumps(diagnostics)
    for secret in (
        ACCOUNT,
        API_KEY,
        IMPORT_MPAN,
        EXPORT_MPAN,
        GAS_MPRN,
        ELECTRICITY_SERIAL,
        GAS_SERIAL,
        "00-00-00-00-00-00-E1-01",
        "00-00-00-00-00-00-G1-01",
        "127.0.0.1",
    ):
        assert secret not in text
    requests = diagnostics["requests"]
    assert requests["requests_last_hour"] == requests["total"] > 0
    assert diagnostics["account"]["account"]["electricityAgreements"]
    assert diagnostics == snapshot(
        exclude=props("requests", "created_at", "modified_at")
    )
