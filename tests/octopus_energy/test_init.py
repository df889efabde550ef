"""Tests of setting up, unloading and repairing Octopus Energy account entries."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.octopus_energy import (
    _store_keys,
    async_remove_config_entry_device,
)
from custom_components.octopus_energy.api import (
    Account,
    OctopusEnergyClient,
    OctopusEnergyNotFoundError,
)
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.rates import coordinator as rates_module
from custom_components.octopus_energy.repairs import async_create_fix_flow, hashed
from scripts.simulator.faults import Fault

from .builders import consumption_of, home_mini_of, rates_of
from .conftest import ACCOUNT, GAS_MPRN, GAS_SERIAL, OctopusSim, community_entry_data

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
HEALTH = "sensor.octopus_energy_a_aaaa1111_api_health"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config.async_set_time_zone("Europe/London")
    if (
        entry.state is ConfigEntryState.NOT_LOADED
        and not hass.config_entries.async_get_entry(entry.entry_id)
    ):
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_setup_and_unload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A community entry loads unchanged, gets its unique id, and unloads."""
    freezer.move_to(NOW)
    data_before = copy.deepcopy(dict(mock_config_entry.data))
    await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.unique_id == ACCOUNT
    assert dict(mock_config_entry.data) == data_before
    runtime = mock_config_entry.runtime_data
    assert sorted(meter.key for meter in runtime.meters.values()) == [
        "electricity_22L0000001_1200000000001",
        "electricity_22L0000001_1200000000002_export",
        "gas_G4A0000001_3000000001",
    ]
    assert set(rates_of(runtime)) == set(consumption_of(runtime)) == set(runtime.meters)
    assert home_mini_of(runtime) is not None
    assert not runtime.account.from_storage
    assert hass.states.get(HEALTH) is not None
    device = next(
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, mock_config_entry.entry_id
        )
        if (DOMAIN, "gas_G4A0000001_3000000001") in device.identifiers
    )
    assert not await async_remove_config_entry_device(hass, mock_config_entry, device)

    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_asks_rates_once_per_meter(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Fresh install: the rates refresh first, consumption reuses their rates.

    The product documents are never requested (the rate paths follow from the
    tariff codes).
    """
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    meters = len(mock_config_entry.runtime_data.meters)
    assert octopus_sim.count("octopus.graphql.Account") == 1
    assert octopus_sim.count("octopus.rest.products") == 0
    assert octopus_sim.count("octopus.rest.rates") == meters
    assert octopus_sim.count("octopus.rest.standing_charges") == meters
    assert octopus_sim.count("octopus.rest.consumption") == meters
    assert octopus_sim.count("octopus.token") == 1
    for coordinator in consumption_of(mock_config_entry.runtime_data).values():
        assert coordinator.data is not None
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_offline_start_from_storage(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """With Octopus unreachable, the entry starts from what it stored."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    freezer.tick(timedelta(minutes=20))
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    runtime = mock_config_entry.runtime_data
    assert runtime.account.from_storage
    assert len(runtime.meters) == 3
    state = hass.states.get(
        "sensor.octopus_energy_electricity_22l0000001_1200000000001_current_rate"
    )
    assert state is not None
    assert state.state not in ("unavailable", "unknown")
    health = hass.states.get(HEALTH)
    assert health is not None
    assert health.attributes["last_error"] is not None

    # The API recovers: the account is retrieved again within 15 minutes
    octopus_sim.sim.faults.active.clear()
    freezer.tick(timedelta(minutes=16))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not runtime.account.from_storage


async def test_offline_without_storage_retries(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Nothing stored and no API: the entry is retried later."""
    freezer.move_to(NOW)
    octopus_sim.sim.faults.add(Fault(kind="refuse", operation="octopus"))
    await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_rates_unavailable_retries(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The account answers but no rates are retrievable or stored: retry."""
    freezer.move_to(NOW)
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus.rest"))
    await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize(
    ("operation", "reauth"),
    [("octopus.token", True), ("octopus.graphql", False), ("octopus.rest", False)],
)
async def test_refused_key_starts_reauth_only_when_sustained(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    operation: str,
    reauth: bool,
) -> None:
    """KT-CT-1139 / 401 at setup: retried, no reauth flow at first.

    Only token requests with the key refused 3 times over 2 hours or more start
    reauth (also while the setup keeps retrying); refused data calls never do.
    """
    freezer.move_to(NOW)
    octopus_sim.sim.faults.add(Fault(kind="auth", operation=operation))
    await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress()
    for _ in range(11):  # 1 h 50 min
        freezer.tick(timedelta(minutes=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress()
    for _ in range(6):  # 2 h 50 min
        freezer.tick(timedelta(minutes=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    flows = hass.config_entries.flow.async_progress()
    if reauth:
        assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
        assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    else:
        assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
        assert not flows


@pytest.mark.parametrize("kind", ["target_rate", "rolling_target_rate"])
async def test_unsupported_kind_is_reported(
    hass: HomeAssistant, issue_registry: ir.IssueRegistry, kind: str
) -> None:
    """Community entries of other kinds stay untouched and raise an issue."""
    data = {"kind": kind, "name": "my_tracker", "account_id": ACCOUNT}
    entry = MockConfigEntry(domain=DOMAIN, version=9, title="Tracker", data=data)
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.reason == (
        f"Octopus Energy entries of kind {kind} are not supported yet; "
        "the entry is kept unchanged"
    )
    assert dict(entry.data) == data
    assert entry.unique_id is None
    issue = issue_registry.async_get_issue(
        DOMAIN, f"unsupported_entry_kind_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders == {"title": "Tracker", "kind": kind}
    await hass.config_entries.async_remove(entry.entry_id)


def _account_without_gas_tariff(account: Account) -> Account:
    raw = copy.deepcopy(account.raw)
    for item in raw["account"]["gasAgreements"]:
        for agreement in item["meterPoint"]["agreements"]:
            agreement["validTo"] = "2026-11-01T00:00:00+00:00"
    return Account.from_dict(account.number, raw)  # type: ignore[return-value]


async def test_meter_removed_and_no_active_tariff(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An account refresh without the gas tariff raises both issues; fixing reloads."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    runtime = mock_config_entry.runtime_data
    changed = _account_without_gas_tariff(runtime.account.data)
    with patch.object(runtime.client, "get_account", AsyncMock(return_value=changed)):
        await runtime.account.async_refresh()
        await hass.async_block_till_done()

    tariff_issue = f"no_active_tariff_{hashed('gas', GAS_MPRN)}"
    issue = issue_registry.async_get_issue(DOMAIN, tariff_issue)
    assert issue is not None
    assert issue.translation_placeholders == {"meter": "gas"}
    removed_id = f"meter_removed_{hashed(mock_config_entry.entry_id)}"
    removed = issue_registry.async_get_issue(DOMAIN, removed_id)
    assert removed is not None
    assert removed.is_fixable
    assert removed.translation_placeholders == {"meters": "gas", "title": ACCOUNT}
    assert (
        issue_registry.async_get_issue(
            DOMAIN, f"meter_added_{hashed(mock_config_entry.entry_id)}"
        )
        is None
    )
    assert ACCOUNT not in removed_id
    assert GAS_MPRN not in tariff_issue

    # The fix flow reloads the entry; the reloaded entry has no gas meter
    flow = await async_create_fix_flow(hass, removed_id, removed.data)
    flow.hass, flow.handler, flow.issue_id = hass, DOMAIN, removed_id
    result = await flow.async_step_init()
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {"meters": "gas", "title": ACCOUNT}
    with patch.object(
        type(runtime.client), "get_account", AsyncMock(return_value=changed)
    ):
        result = await flow.async_step_confirm({})
        assert result["type"] == "create_entry"
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert len(mock_config_entry.runtime_data.meters) == 2
    assert issue_registry.async_get_issue(DOMAIN, removed_id) is None
    assert issue_registry.async_get_issue(DOMAIN, tariff_issue) is not None


async def test_meter_added_without_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A meter that gains a tariff gets its entities at once, without a reload."""
    freezer.move_to(NOW)
    real = OctopusEnergyClient.get_account
    full: list[Any] = []

    async def without_gas(client: Any, number: str) -> Any:
        account = await real(client, number)
        full.append(account)
        return _account_without_gas_tariff(account)

    with patch.object(OctopusEnergyClient, "get_account", without_gas):
        await _setup(hass, mock_config_entry)
    runtime = mock_config_entry.runtime_data
    gas_rate = "sensor.octopus_energy_gas_g4a0000001_3000000001_current_rate"
    assert hass.states.get(gas_rate) is None
    tariff_issue = f"no_active_tariff_{hashed('gas', GAS_MPRN)}"
    assert issue_registry.async_get_issue(DOMAIN, tariff_issue) is not None

    with patch.object(runtime.client, "get_account", AsyncMock(return_value=full[0])):
        await runtime.account.async_refresh()
        await hass.async_block_till_done()
    assert mock_config_entry.runtime_data is runtime  # no reload
    state = hass.states.get(gas_rate)
    assert state is not None
    assert state.state not in ("unknown", "unavailable")
    assert issue_registry.async_get_issue(DOMAIN, tariff_issue) is None
    assert len(runtime.meters) == 3

    # A tariff ends: the issue comes back, the entities stay (unavailable)
    changed = _account_without_gas_tariff(full[0])
    with patch.object(runtime.client, "get_account", AsyncMock(return_value=changed)):
        await runtime.account.async_refresh()
        await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, tariff_issue) is not None
    assert hass.states.get(gas_rate) is not None


async def test_unknown_product(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A product that returns 404 raises `unknown_product`; the entry still loads."""
    freezer.move_to(NOW)
    fetch = (
        "custom_components.octopus_energy.features.rates.coordinator.async_fetch_rates"
    )
    real = rates_module.async_fetch_rates

    async def fetch_rates(client: Any, meter: Any, *args: Any) -> Any:
        if meter.fuel.value == "gas":
            raise OctopusEnergyNotFoundError("Not found (get_product)")
        return await real(client, meter, *args)

    with patch(fetch, fetch_rates):
        await _setup(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    gas_meter = next(
        m
        for m in mock_config_entry.runtime_data.meters.values()
        if m.fuel.value == "gas"
    )
    issue_id = f"unknown_product_{hashed(gas_meter.key, gas_meter.tariff_code)}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {"product_code": "VAR-22-11-01"}
    assert issue.severity is ir.IssueSeverity.ERROR
    gas_rate = hass.states.get(
        "sensor.octopus_energy_gas_g4a0000001_3000000001_current_rate"
    )
    assert gas_rate is not None
    assert gas_rate.state == "unavailable"

    # Once the product is known the issue goes
    gas = next(
        c
        for k, c in rates_of(mock_config_entry.runtime_data).items()
        if k.startswith("gas")
    )
    await gas.async_refresh()
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_options_change_reloads(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Switching the Home Mini off in the options reloads without it."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    assert home_mini_of(mock_config_entry.runtime_data) is not None
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={"home_mini_settings": {"supports_live_consumption": False}},
    )
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert home_mini_of(mock_config_entry.runtime_data) is None
    # A data-only change (e.g. a new key) does not reload through the listener
    runtime = mock_config_entry.runtime_data
    hass.config_entries.async_update_entry(mock_config_entry, title="Renamed")
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data is runtime


async def test_stale_meter_device_kept(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A meter device without a tariff is never deleted; the user may delete it."""
    freezer.move_to(NOW)
    mock_config_entry.add_to_hass(hass)
    old = device_registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, "electricity_OLD0000001_1200000000009")},
    )
    await _setup(hass, mock_config_entry)
    assert device_registry.async_get(old.id) is not None
    assert await async_remove_config_entry_device(hass, mock_config_entry, old)
    current = next(
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, mock_config_entry.entry_id
        )
        if (DOMAIN, f"gas_{GAS_SERIAL}_{GAS_MPRN}") in device.identifiers
    )
    assert not await async_remove_config_entry_device(hass, mock_config_entry, current)


async def test_remove_entry_deletes_stores(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Removing the entry deletes its stores, never the community's."""
    freezer.move_to(NOW)
    hass_storage[f"{DOMAIN}.{ACCOUNT}_account"] = {
        "version": 1,
        "key": f"{DOMAIN}.{ACCOUNT}_account",
        "data": {"id": ACCOUNT},
    }
    await _setup(hass, mock_config_entry)
    entry_id = mock_config_entry.entry_id
    await hass.config_entries.async_unload(entry_id)
    await hass.async_block_till_done()
    ours = [key for key in hass_storage if key.startswith(f"{DOMAIN}.{entry_id}_")]
    assert f"{DOMAIN}.{entry_id}_account" in ours
    with patch("custom_components.octopus_energy._store_keys", return_value=ours):
        await hass.config_entries.async_remove(entry_id)
        await hass.async_block_till_done()
    assert not [key for key in hass_storage if key.startswith(f"{DOMAIN}.{entry_id}_")]
    assert f"{DOMAIN}.{ACCOUNT}_account" in hass_storage


def test_store_keys(tmp_path: Any) -> None:
    """The store listing reads the `.storage` directory."""
    (tmp_path / "octopus_energy.abc_account").write_text("{}")
    (tmp_path / "octopus_energy.other_account").write_text("{}")
    assert _store_keys(tmp_path, "octopus_energy.abc_") == [
        "octopus_energy.abc_account"
    ]
    assert _store_keys(tmp_path / "missing", "x") == []


async def test_remove_device(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Devices that are not an active meter's can be deleted."""
    freezer.move_to(NOW)
    await _setup(hass, mock_config_entry)
    other = device_registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, "something-else")},
    )
    assert await async_remove_config_entry_device(hass, mock_config_entry, other)


async def test_new_entry_with_dev_hosts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An entry that stored the development hosts uses them without the env."""
    freezer.move_to(NOW)
    base = str(octopus_sim.server.make_url("/octopus"))
    backend = str(octopus_sim.server.make_url("/octopus-backend"))
    monkeypatch.delenv("OCTOPUS_ENERGY_DEV_API_URL")
    monkeypatch.delenv("OCTOPUS_ENERGY_DEV_BACKEND_URL")
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        unique_id=ACCOUNT,
        data=community_entry_data(dev_base_url=base, dev_backend_url=backend),
    )
    await _setup(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.client.base_url == base
