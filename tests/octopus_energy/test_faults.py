"""The whole integration under faults injected into the simulated Octopus cloud.

Refused tokens for an hour, HTML 403 pages, rate limits with and without
`Retry-After`, an account the key cannot see, and the Agile publication after a
morning outage.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
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
from custom_components.octopus_energy.coordinator import OctopusEnergyCoordinator
from scripts.simulator.faults import Fault

from .builders import home_mini_of, rates_of
from .conftest import OctopusSim, community_entry_data

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)  # UK time = UTC in November
E = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
DEMAND = f"{E}_current_demand"
CURRENT_RATE = f"{E}_current_rate"
TELEMETRY = "octopus.graphql.SmartMeterTelemetry"
GET_ACCOUNT = "custom_components.octopus_energy.api.OctopusEnergyClient.get_account"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config.async_set_time_zone("Europe/London")
    if not hass.config_entries.async_get_entry(entry.entry_id):
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None
    return state


def _usable(hass: HomeAssistant, entity_id: str) -> bool:
    return _state(hass, entity_id).state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


async def test_an_hour_of_kt_ct_1139_recovers_without_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """One hour of refused tokens and calls: polling goes on, no reauth flow.

    Rates and Home Mini entities stay available through the hour (last good
    values) and are live again within 30 minutes of the recovery.
    """
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    runtime = mock_config_entry.runtime_data
    home_mini = home_mini_of(runtime)
    assert home_mini is not None
    octopus_sim.sim.faults.add(Fault(kind="auth", operation="octopus"))
    for _ in range(60):
        await _step(hass, freezer, timedelta(minutes=1))
        assert not hass.config_entries.flow.async_progress()
        assert _usable(hass, DEMAND)
        assert _usable(hass, CURRENT_RATE)
    assert home_mini.stale
    assert "data_age_minutes" in _state(hass, DEMAND).attributes
    assert runtime.client.tokens.key_refusals >= 3
    assert not runtime.client.tokens.key_refused_for_good

    octopus_sim.sim.faults.clear()
    telemetry = octopus_sim.count(TELEMETRY)
    for _ in range(31):
        await _step(hass, freezer, timedelta(minutes=1))
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert not hass.config_entries.flow.async_progress()
    assert not home_mini.stale
    assert home_mini.update_interval == timedelta(minutes=1)
    assert octopus_sim.count(TELEMETRY) > telemetry
    assert "data_age_minutes" not in _state(hass, DEMAND).attributes
    assert runtime.client.tokens.key_refusals == 0
    # still polled every minute
    telemetry = octopus_sim.count(TELEMETRY)
    await _step(hass, freezer, timedelta(minutes=1))
    assert octopus_sim.count(TELEMETRY) == telemetry + 1


async def test_html_403_is_a_temporary_failure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A gateway's HTML 403 is neither a refused key nor a rate limit.

    The Home Mini backs off 1, 5, 15 minutes and keeps its last values.
    """
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    home_mini = home_mini_of(mock_config_entry.runtime_data)
    assert home_mini is not None
    octopus_sim.sim.faults.add(Fault(kind="html_403", operation=TELEMETRY))
    await _step(hass, freezer, timedelta(minutes=1))
    assert isinstance(home_mini.last_error, OctopusEnergyServerError)
    assert not isinstance(home_mini.last_error, OctopusEnergyRateLimitError)
    assert home_mini.update_interval == timedelta(minutes=1)
    await _step(hass, freezer, timedelta(minutes=1))
    assert home_mini.update_interval == timedelta(minutes=5)
    assert not hass.config_entries.flow.async_progress()
    assert _usable(hass, DEMAND)
    assert _state(hass, DEMAND).attributes["data_age_minutes"] == 2


async def test_rate_limit_without_retry_after_backs_off_5_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """KT-CT-1199 (no Retry-After): no request for 5 minutes, never "in 0 s"."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    home_mini = home_mini_of(mock_config_entry.runtime_data)
    assert home_mini is not None
    octopus_sim.sim.faults.add(Fault(kind="rate_limit", operation=TELEMETRY))
    await _step(hass, freezer, timedelta(minutes=1))
    assert isinstance(home_mini.last_error, OctopusEnergyRateLimitError)
    assert home_mini.last_error.retry_after is None
    assert home_mini.retry_at == NOW + timedelta(minutes=6)
    asked = octopus_sim.count(TELEMETRY)
    for _ in range(4):
        await _step(hass, freezer, timedelta(minutes=1))
    assert octopus_sim.count(TELEMETRY) == asked
    octopus_sim.sim.faults.clear()
    await _step(hass, freezer, timedelta(minutes=1, seconds=1))
    assert octopus_sim.count(TELEMETRY) == asked + 1
    assert not home_mini.stale


async def test_account_retry_honours_retry_after_at_startup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A start while the account is rate limited (Retry-After 20 min) from storage.

    The account coordinator asks again after 20 minutes, not after its own
    1-minute back-off.
    """
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    limit = OctopusEnergyRateLimitError("Too many requests", retry_after=1200)
    with patch(GET_ACCOUNT, AsyncMock(side_effect=limit)) as get_account:
        await _setup(hass, mock_config_entry)
        assert mock_config_entry.state is ConfigEntryState.LOADED
        account = mock_config_entry.runtime_data.account
        assert account.from_storage
        assert get_account.await_count == 1
        assert account.update_interval == timedelta(minutes=20)
        assert account.retry_at == NOW + timedelta(minutes=20)
        for _ in range(19):
            await _step(hass, freezer, timedelta(minutes=1))
        assert get_account.await_count == 1
        await _step(hass, freezer, timedelta(minutes=1, seconds=1))
        assert get_account.await_count == 2


async def test_account_the_key_cannot_see_at_setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """KT-CT-1111 at setup: retried with "no account A-... for this API key"."""
    freezer.move_to(NOW)
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, data=community_entry_data(account_id="A-BBBB2222")
    )
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason is not None
    assert "No account A-BBBB2222 for this API key" in entry.reason
    assert not hass.config_entries.flow.async_progress()


async def test_lower_case_entry_sets_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """An entry stored as typed in lower case (community) loads; ids keep it."""
    freezer.move_to(NOW)
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, data=community_entry_data(account_id="a-aaaa1111")
    )
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.unique_id == "a-aaaa1111"
    assert hass.states.get("sensor.octopus_energy_a_aaaa1111_api_health") is not None


async def test_agile_publication_after_a_morning_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Octopus fails from 23:55 to 09:13: tomorrow's prices still arrive at 16:00.

    After the recovery the Agile meter's next retrieval is the publication time
    (16:00 UK), not a 30-minute back-off cadence shifted by the fault.
    """
    freezer.move_to(datetime(2026, 11, 22, 23, 50, tzinfo=UTC))
    await _setup(hass, mock_config_entry)
    rates = rates_of(mock_config_entry.runtime_data)
    agile = rates["electricity_22L0000001_1200000000001"]
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    await _step(hass, freezer, timedelta(minutes=5))
    while datetime.now(UTC) < datetime(2026, 11, 23, 9, 13, tzinfo=UTC):
        await _step(hass, freezer, timedelta(minutes=1))
    assert agile.failures > 0
    octopus_sim.sim.faults.clear()
    for _ in range(31):
        await _step(hass, freezer, timedelta(minutes=1))
    assert agile.failures == 0
    assert agile.next_retrieval == datetime(2026, 11, 23, 16, tzinfo=UTC)
    while datetime.now(UTC) < datetime(2026, 11, 23, 16, 10, tzinfo=UTC):
        await _step(hass, freezer, timedelta(minutes=1))
        if agile.data.slots[-1].end > datetime(2026, 11, 23, 23, tzinfo=UTC):
            break
    assert datetime.now(UTC) <= datetime(2026, 11, 23, 16, 1, tzinfo=UTC)
    assert agile.data.slots[-1].end == datetime(2026, 11, 24, 23, tzinfo=UTC)


@pytest.mark.parametrize("recovery", [(15, 55), (16, 4)])
async def test_agile_publication_after_a_long_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    recovery: tuple[int, int],
) -> None:
    """Octopus fails from 23:55 until shortly before or after 16:00.

    The 30-minute back-off runs on a cadence set by the fault (…:22, …:52); the
    retries are realigned to the publication, so tomorrow's prices arrive within
    10 minutes of 16:00 (or of the recovery after it), not up to 30 minutes late.
    """
    freezer.move_to(datetime(2026, 11, 22, 23, 50, tzinfo=UTC))
    data = community_entry_data(home_mini_settings={"supports_live_consumption": False})
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=data)
    await _setup(hass, entry)
    agile = rates_of(entry.runtime_data)["electricity_22L0000001_1200000000001"]
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    end = datetime(2026, 11, 23, *recovery, tzinfo=UTC)
    while datetime.now(UTC) < end:
        await _step(hass, freezer, timedelta(minutes=1))
    assert agile.failures > 10
    octopus_sim.sim.faults.clear()
    published = datetime(2026, 11, 24, 23, tzinfo=UTC)
    while agile.data.slots[-1].end < published:
        await _step(hass, freezer, timedelta(minutes=1))
    arrived = datetime.now(UTC)
    assert arrived - max(end, datetime(2026, 11, 23, 16, tzinfo=UTC)) <= timedelta(
        minutes=10
    )
    assert agile.next_retrieval == datetime(2026, 11, 24, 0, tzinfo=UTC)


async def test_base_coordinator_without_stale_policy(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A coordinator without `stale_after` does not keep its data after a failure."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    coordinator = OctopusEnergyCoordinator[int](
        hass,
        mock_config_entry,
        mock_config_entry.runtime_data.client,
        name="test",
        update_interval=None,
    )
    coordinator.data = 1
    assert not coordinator._keep_on_failure(NOW)
