"""Tariff comparisons inside Home Assistant: cost, event, caching, restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.octopus_energy.features.tariff_comparison.model import (
    from_stored,
    to_stored,
)
from custom_components.octopus_energy.timeutil import uk_midnight
from scripts.simulator.faults import Fault

from .builders import consumption_of
from .conftest import ACCOUNT, GAS_MPRN, IMPORT_MPAN, OctopusSim
from .cost_tracker_helpers import IMPORT_KEY
from .rates_helpers import REGISTRY_FIELDS, plain

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
E = "octopus_energy_electricity_22l0000001_1200000000001"
G = "octopus_energy_gas_g4a0000001_3000000001"
SENSOR = f"sensor.{E}_previous_accumulative_cost_flexible"
EVENT = f"event.{E}_previous_consumption_rates_flexible"
ELEC_EVENT = "octopus_energy_elec_previous_consumption_tariff_comparison_rates"
RATES = "octopus.rest.rates"
CHARGES = "octopus.rest.standing_charges"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


def comparison_data(**overrides: Any) -> dict[str, Any]:
    """A tariff-comparison entry exactly as the community integration stores it."""
    data: dict[str, Any] = {
        "kind": "tariff_comparison",
        "account_id": ACCOUNT,
        "name": "flexible",
        "mpan_mprn": IMPORT_MPAN,
        "product_code": "VAR-22-11-01",
        "tariff_code": "E-1R-VAR-22-11-01-C",
    }
    data.update(overrides)
    return data


@pytest.fixture
async def account(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> MockConfigEntry:
    """The reference account, set up at NOW (yesterday's consumption known)."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def add_comparison(hass: HomeAssistant, **overrides: Any) -> MockConfigEntry:
    """Add and set up a tariff-comparison entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        title="flexible (tariff comparison)",
        data=comparison_data(**overrides),
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _requests(octopus_sim: OctopusSim) -> tuple[int, int]:
    return octopus_sim.count(RATES), octopus_sim.count(CHARGES)


async def test_compares_previous_day(
    hass: HomeAssistant, account: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """Yesterday's half hours at Flexible prices plus its standing charge."""
    events: list[Event] = async_capture_events(hass, ELEC_EVENT)
    before = _requests(octopus_sim)
    entry = await add_comparison(hass)
    assert entry.state is ConfigEntryState.LOADED
    assert _requests(octopus_sim) == (before[0] + 1, before[1] + 1)
    previous = consumption_of(account.runtime_data)[IMPORT_KEY].data
    assert previous is not None
    assert previous.day == date(2026, 11, 19)
    state = hass.states.get(SENSOR)
    attributes = state.attributes
    charges = attributes["charges"]
    assert len(charges) == 48
    assert {c["rate"] for c in charges} != {None}
    energy = sum(c["consumption"] * c["rate"] for c in charges)
    assert attributes["total_without_standing_charge"] == pytest.approx(energy)
    assert float(state.state) == pytest.approx(energy + attributes["standing_charge"])
    assert attributes["last_reset"] == uk_midnight(date(2026, 11, 19)).isoformat()
    assert attributes["last_7_days"]["days"] == 1
    assert attributes["last_7_days"]["actual_cost"] == pytest.approx(
        previous.total_cost
    )
    assert len(events) == 1
    assert events[0].data["mpan"] == IMPORT_MPAN
    assert events[0].data["tariff_code"] == "E-1R-VAR-22-11-01-C"
    assert events[0].data["product_code"] == "VAR-22-11-01"
    assert len(events[0].data["rates"]) == 48
    event_state = hass.states.get(EVENT)
    assert event_state.attributes["event_type"] == ELEC_EVENT
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["tariff_comparison"]["compared_day"] == "2026-11-19"


async def test_one_request_per_compared_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """Polls and restarts ask nothing; a new day asks once; history builds up."""
    entry = await add_comparison(hass)
    once = _requests(octopus_sim)
    for _ in range(4):
        freezer.tick(timedelta(minutes=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _requests(octopus_sim) == once
    first = float(hass.states.get(SENSOR).state)

    # the next day: the account publishes 20 Nov, the comparison follows once
    freezer.move_to(datetime(2026, 11, 21, 0, 10, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    for _ in range(2):
        freezer.tick(timedelta(minutes=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert consumption_of(account.runtime_data)[IMPORT_KEY].data.day == date(
        2026, 11, 20
    )
    attributes = hass.states.get(SENSOR).attributes
    assert attributes["last_reset"] == uk_midnight(date(2026, 11, 20)).isoformat()
    period = attributes["last_30_days"]
    assert period["days"] == 2
    assert period["cost"] == pytest.approx(first + float(hass.states.get(SENSOR).state))
    assert period["difference"] == pytest.approx(period["cost"] - period["actual_cost"])


async def test_failure_keeps_the_last_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """A failed comparison of a new day keeps the last one and is retried."""
    entry = await add_comparison(hass)
    coordinator = entry.runtime_data.entities["sensor"][0].coordinator
    stored = coordinator.data
    coordinator.data = None
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus.rest"))
    await coordinator.async_refresh()
    assert not coordinator.last_update_success  # nothing to keep: unavailable
    coordinator.data = stored
    day = consumption_of(account.runtime_data)[IMPORT_KEY].data
    coordinator.data = from_stored({**to_stored(stored), "day": "2026-11-18"})
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert coordinator.stale
    assert coordinator.data.day == date(2026, 11, 18)
    octopus_sim.sim.faults.clear()
    await coordinator.async_refresh()
    assert coordinator.data.day == day.day


async def test_reconfigured_tariff_compares_again(
    hass: HomeAssistant, account: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """The stored day of another tariff is not reused."""
    entry = await add_comparison(hass)
    before = _requests(octopus_sim)
    hass.config_entries.async_update_entry(
        entry,
        data=comparison_data(
            product_code="AGILE-24-10-01", tariff_code="E-1R-AGILE-24-10-01-C"
        ),
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _requests(octopus_sim)[0] == before[0] + 1
    previous = consumption_of(account.runtime_data)[IMPORT_KEY].data
    assert hass.states.get(SENSOR).attributes["total_without_standing_charge"] == (
        pytest.approx(previous.total_without_standing_charge)
    )


async def test_snapshot(
    hass: HomeAssistant,
    account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """An electricity and a gas comparison: sensor and event on the meter device."""
    entries = [
        await add_comparison(hass),
        await add_comparison(
            hass,
            name="gas_flexible",
            mpan_mprn=GAS_MPRN,
            tariff_code="G-1R-VAR-22-11-01-C",
        ),
    ]
    for entry in entries:
        registry_entries = er.async_entries_for_config_entry(
            entity_registry, entry.entry_id
        )
        assert len(registry_entries) == 2
        for registry_entry in sorted(registry_entries, key=lambda e: e.entity_id):
            device = device_registry.async_get(registry_entry.device_id)
            assert device is not None
            assert any(  # the meter's device
                ident[1].startswith(("electricity_", "gas_"))
                for ident in device.identifiers
            )
            fields = {name: getattr(registry_entry, name) for name in REGISTRY_FIELDS}
            assert plain(fields) == snapshot(name=f"{registry_entry.entity_id}-entry")
            state = hass.states.get(registry_entry.entity_id)
            attributes = plain(dict(state.attributes))
            for key in ("charges", "rates"):
                if key in attributes:
                    attributes[key] = {
                        "count": len(attributes[key]),
                        "first": attributes[key][0],
                    }
            value = state.state if registry_entry.domain == "sensor" else "event"
            assert {"state": value, "attributes": attributes} == snapshot(
                name=f"{registry_entry.entity_id}-state"
            )
    assert hass.states.get(f"sensor.{G}_previous_accumulative_cost_gas_flexible")


@pytest.mark.parametrize(
    ("overrides", "state"),
    [
        ({"mpan_mprn": "1999999999999"}, ConfigEntryState.SETUP_RETRY),
        ({"account_id": "A-ZZZZ9999"}, ConfigEntryState.SETUP_RETRY),
    ],
)
async def test_setup_retries(
    hass: HomeAssistant,
    account: MockConfigEntry,
    overrides: dict[str, Any],
    state: ConfigEntryState,
) -> None:
    """Without its meter or account the comparison waits."""
    entry = await add_comparison(hass, **overrides)
    assert entry.state is state


async def test_nothing_to_compare_yet(
    hass: HomeAssistant, account: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """Before the account knows a previous day nothing is asked; state unknown."""
    consumption = consumption_of(account.runtime_data)[IMPORT_KEY]
    consumption.data = None
    before = _requests(octopus_sim)
    await add_comparison(hass)
    assert _requests(octopus_sim) == before
    state = hass.states.get(SENSOR)
    assert state.state == "unknown"
    assert "charges" not in state.attributes
