"""Config flow of cost trackers: the user menu, account choice, form, reconfigure."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.config_flow import OctopusEnergyConfigFlow
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.data import OctopusEnergyData
from custom_components.octopus_energy.models import AccountSettings

from .builders import NO_ACCOUNT
from .conftest import ACCOUNT, community_entry_data
from .cost_tracker_helpers import SOURCE, tracker_data
from .rates_helpers import AGILE, FIXED_EXPORT, GAS

FORM = {
    "name": "plug",
    "mpan": AGILE.mpxn,
    "target_entity_id": SOURCE,
    "entity_accumulative_value": True,
    "manual_reset": False,
    "weekday_reset": "2",
    "month_day_reset": 15,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


@pytest.fixture(autouse=True)
def no_setup() -> Any:
    """Creating or reloading an entry does not set the integration up."""
    with (
        patch("custom_components.octopus_energy.async_setup_entry", return_value=True),
        patch("custom_components.octopus_energy.async_unload_entry", return_value=True),
    ):
        yield


def add_account(
    hass: HomeAssistant, account_id: str = ACCOUNT, *, loaded: bool = True
) -> MockConfigEntry:
    """An account entry; loaded ones have the reference meters."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        unique_id=account_id,
        title=account_id,
        data=community_entry_data(account_id=account_id),
    )
    entry.add_to_hass(hass)
    if loaded:
        entry.mock_state(hass, ConfigEntryState.LOADED)
        entry.runtime_data = OctopusEnergyData(
            hass=hass,
            entry=entry,
            account_number=account_id,
            client=None,  # type: ignore[arg-type]
            settings=AccountSettings(),
            account=NO_ACCOUNT,
            meters={m.key: m for m in (AGILE, FIXED_EXPORT, GAS)},
        )
    return entry


async def _start(hass: HomeAssistant) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "account",
        "cost_tracker_account",
        "tariff_comparison_account",
    ]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "cost_tracker_account"}
    )


async def test_create_cost_tracker(hass: HomeAssistant) -> None:
    """With one account the form opens directly; the entry has community data."""
    add_account(hass)
    result = await _start(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "cost_tracker"
    mpan = next(k for k in result["data_schema"].schema if k == "mpan")
    options = result["data_schema"].schema[mpan].config["options"]
    assert options == [
        {"value": AGILE.mpxn, "label": f"{AGILE.mpxn} (Import)"},
        {"value": FIXED_EXPORT.mpxn, "label": f"{FIXED_EXPORT.mpxn} (Export)"},
    ]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], FORM)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "plug (cost tracker)"
    assert result["data"] == tracker_data(weekday_reset=2, month_day_reset=15)
    entry = result["result"]
    assert entry.unique_id is None


async def test_options_only_for_accounts(hass: HomeAssistant) -> None:
    """Cost-tracker entries have no options flow; accounts do."""
    account = add_account(hass)
    tracker = MockConfigEntry(domain=DOMAIN, version=9, data=tracker_data())
    assert OctopusEnergyConfigFlow.async_supports_options_flow(account)
    assert not OctopusEnergyConfigFlow.async_supports_options_flow(tracker)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"name": "Plug 1"}, {"name": "invalid_tracker_name"}),
        ({"name": "dup"}, {"name": "duplicate_tracker_name"}),
        ({"month_day_reset": 29}, {"month_day_reset": "invalid_month_day"}),
    ],
)
async def test_form_errors(
    hass: HomeAssistant, overrides: dict[str, Any], errors: dict[str, str]
) -> None:
    """Bad names and month days show the form again; it then succeeds."""
    add_account(hass)
    MockConfigEntry(
        domain=DOMAIN, version=9, data=tracker_data(name="dup")
    ).add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**FORM, **overrides}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(result["flow_id"], FORM)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_choose_between_accounts(hass: HomeAssistant) -> None:
    """With two accounts the account is chosen first (shown upper case)."""
    add_account(hass)
    add_account(hass, "a-bbbb2222", loaded=False)
    result = await _start(hass)
    assert result["step_id"] == "cost_tracker_account"
    key = next(iter(result["data_schema"].schema))
    assert result["data_schema"].schema[key].config["options"] == [
        {"value": ACCOUNT, "label": ACCOUNT},
        {"value": "a-bbbb2222", "label": "A-BBBB2222"},
    ]
    chosen = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"account_id": "a-bbbb2222"}
    )
    assert chosen["type"] is FlowResultType.ABORT
    assert chosen["reason"] == "account_not_found"

    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"account_id": ACCOUNT}
    )
    assert result["step_id"] == "cost_tracker"


async def test_additional_account_from_menu(hass: HomeAssistant) -> None:
    """The menu's "Additional account" opens the account form."""
    add_account(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "account"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "account"


async def test_reconfigure(hass: HomeAssistant) -> None:
    """Reconfigure shows the entry's settings and saves the new ones."""
    add_account(hass)
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, title="plug (cost tracker)", data=tracker_data()
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_cost_tracker"
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested["weekday_reset"] == "0"
    assert suggested["target_entity_id"] == SOURCE
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**FORM, "name": "Bad name"}
    )
    assert result["errors"] == {"name": "invalid_tracker_name"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**FORM, "name": "kettle", "manual_reset": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "kettle (cost tracker)"
    assert entry.data == tracker_data(
        name="kettle", manual_reset=True, weekday_reset=2, month_day_reset=15
    )


async def test_reconfigure_needs_the_account(hass: HomeAssistant) -> None:
    """Without the account loaded, reconfigure aborts."""
    add_account(hass, loaded=False)
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=tracker_data())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_not_found"


async def test_reconfigure_not_supported(hass: HomeAssistant) -> None:
    """Legacy kinds cannot be reconfigured."""
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, data={"kind": "target_rate", "name": "x"}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_not_supported"
