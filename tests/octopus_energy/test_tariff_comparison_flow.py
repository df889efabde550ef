"""Config flow of tariff comparisons: menu, form, tariff check, reconfigure."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.api import (
    OctopusEnergyConnectionError,
    OctopusEnergyNotFoundError,
)
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.models import RateSlot

from .rates_helpers import AGILE, FIXED_EXPORT, GAS, utc
from .test_cost_tracker_flow import (  # noqa: F401
    add_account,
    auto_enable_custom_integrations,
    no_setup,
)
from .test_tariff_comparison import comparison_data

FETCH = (
    "custom_components.octopus_energy.features.tariff_comparison.flow.async_fetch_rates"
)
SLOT = RateSlot(start=utc(2026, 11, 20), end=utc(2026, 11, 20, 0, 30), value=0.2)
FORM = {
    "name": "flexible",
    "mpan_mprn": AGILE.mpxn,
    "product_code": "VAR-22-11-01",
    "tariff_code": "E-1R-VAR-22-11-01-C",
}


async def _start(hass: HomeAssistant) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert "tariff_comparison_account" in result["menu_options"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tariff_comparison_account"}
    )


async def test_create_tariff_comparison(hass: HomeAssistant) -> None:
    """The form lists every meter point; the tariff is checked with today's rates."""
    add_account(hass)
    result = await _start(hass)
    assert result["step_id"] == "tariff_comparison"
    key = next(k for k in result["data_schema"].schema if k == "mpan_mprn")
    assert result["data_schema"].schema[key].config["options"] == [
        {"value": AGILE.mpxn, "label": f"{AGILE.mpxn} (Import Electricity)"},
        {
            "value": FIXED_EXPORT.mpxn,
            "label": f"{FIXED_EXPORT.mpxn} (Export Electricity)",
        },
        {"value": GAS.mpxn, "label": f"{GAS.mpxn} (Gas)"},
    ]
    with patch(FETCH, AsyncMock(return_value=[SLOT])) as fetch:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**FORM, "tariff_code": " E-1R-VAR-22-11-01-C "}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "flexible (tariff comparison)"
    assert result["data"] == comparison_data()
    meter = fetch.await_args.args[1]
    assert (meter.product_code, meter.tariff_code) == (
        "VAR-22-11-01",
        "E-1R-VAR-22-11-01-C",
    )


@pytest.mark.parametrize(
    ("overrides", "fetch", "errors"),
    [
        ({"name": "Flex"}, AsyncMock(), {"name": "invalid_tracker_name"}),
        ({"name": "dup"}, AsyncMock(), {"name": "duplicate_comparison_name"}),
        ({}, AsyncMock(return_value=[]), {"product_code": "invalid_product_or_tariff"}),
        (
            {},
            AsyncMock(side_effect=OctopusEnergyNotFoundError("404")),
            {"product_code": "invalid_product_or_tariff"},
        ),
        (
            {},
            AsyncMock(side_effect=OctopusEnergyConnectionError("down")),
            {"base": "cannot_connect"},
        ),
    ],
)
async def test_form_errors(
    hass: HomeAssistant,
    overrides: dict[str, Any],
    fetch: AsyncMock,
    errors: dict[str, str],
) -> None:
    """Each problem shows the form again with its error; it then succeeds."""
    add_account(hass)
    MockConfigEntry(
        domain=DOMAIN, version=9, data=comparison_data(name="dup")
    ).add_to_hass(hass)
    MockConfigEntry(  # same name on another meter point is fine
        domain=DOMAIN, version=9, data=comparison_data(mpan_mprn=GAS.mpxn)
    ).add_to_hass(hass)
    result = await _start(hass)
    with patch(FETCH, fetch):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**FORM, **overrides}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    with patch(FETCH, AsyncMock(return_value=[SLOT])):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], FORM)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_meter_gone_while_the_form_was_open(hass: HomeAssistant) -> None:
    """A meter point the account no longer has is refused."""
    account = add_account(hass)
    result = await _start(hass)
    account.runtime_data.meters.pop(GAS.key)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**FORM, "mpan_mprn": GAS.mpxn}
    )
    assert result["errors"] == {"mpan_mprn": "invalid_mpan"}


async def test_account_not_loaded(hass: HomeAssistant) -> None:
    """Without the account loaded the flow aborts."""
    add_account(hass, loaded=False)
    result = await _start(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_not_found"


async def test_reconfigure(hass: HomeAssistant) -> None:
    """Reconfigure shows the entry's settings, checks and saves the new ones."""
    add_account(hass)
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=comparison_data())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_tariff_comparison"
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested["tariff_code"] == "E-1R-VAR-22-11-01-C"
    with patch(FETCH, AsyncMock(return_value=[])):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], FORM)
    assert result["errors"] == {"product_code": "invalid_product_or_tariff"}
    agile = {
        **FORM,
        "product_code": "AGILE-24-10-01",
        "tariff_code": "E-1R-AGILE-24-10-01-C",
    }
    with patch(FETCH, AsyncMock(return_value=[SLOT])):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], agile
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == comparison_data(
        product_code="AGILE-24-10-01", tariff_code="E-1R-AGILE-24-10-01-C"
    )
    assert entry.title == "flexible (tariff comparison)"


async def test_reconfigure_needs_the_account(hass: HomeAssistant) -> None:
    """Without the account loaded, reconfigure aborts."""
    add_account(hass, loaded=False)
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=comparison_data())
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_not_found"
