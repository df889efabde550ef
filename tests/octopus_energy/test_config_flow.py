"""Tests of the Octopus Energy config flow: user, reauth, reconfigure and options."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy import config_flow
from custom_components.octopus_energy.api import (
    Account,
    OctopusEnergyAuthenticationError,
    OctopusEnergyConnectionError,
    OctopusEnergyNotFoundError,
    OctopusEnergyRateLimitError,
    OctopusEnergyServerError,
)
from custom_components.octopus_energy.const import (
    CONF_ACCOUNT_ID,
    CONF_BACKEND_URL,
    CONF_BASE_URL,
    DOMAIN,
)
from custom_components.octopus_energy.feature import Feature
from custom_components.octopus_energy.models import AccountSettings

from .conftest import ACCOUNT, API_KEY, OctopusSim, community_entry_data

GET_ACCOUNT = "custom_components.octopus_energy.api.OctopusEnergyClient.get_account"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


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


async def test_user_creates_community_layout_entry(
    hass: HomeAssistant, octopus_sim: OctopusSim, freezer: FrozenDateTimeFactory
) -> None:
    """A valid account number and key create a VERSION 9 community-layout entry."""
    freezer.move_to(NOW)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_ID: f" {ACCOUNT} ", CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == ACCOUNT
    entry = result["result"]
    assert entry.unique_id == ACCOUNT
    assert entry.version == 9
    data = dict(entry.data)
    assert data.pop(CONF_BASE_URL).startswith("http://127.0.0.1")
    assert data.pop(CONF_BACKEND_URL).startswith("http://127.0.0.1")
    assert data == {
        **community_entry_data(),
        "home_mini_settings": {
            "supports_live_consumption": False,
            "live_electricity_consumption_refresh_in_minutes": 1,
            "live_gas_consumption_refresh_in_minutes": 2,
        },
    }
    assert octopus_sim.count("octopus.graphql.") == 1


async def test_user_wrong_key_against_simulator(
    hass: HomeAssistant, octopus_sim: OctopusSim, freezer: FrozenDateTimeFactory
) -> None:
    """The simulator refuses a wrong key: invalid_auth on the key field."""
    freezer.move_to(NOW)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_ID: ACCOUNT, CONF_API_KEY: "sk_live_wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_auth"}
    assert octopus_sim.count() >= 1


@pytest.mark.parametrize(
    ("error", "errors"),
    [
        (OctopusEnergyAuthenticationError("refused"), {CONF_API_KEY: "invalid_auth"}),
        (OctopusEnergyNotFoundError("no account"), {"base": "account_not_found"}),
        (OctopusEnergyRateLimitError("slow down"), {"base": "rate_limited"}),
        (OctopusEnergyConnectionError("down"), {"base": "cannot_connect"}),
        (OctopusEnergyServerError("500"), {"base": "cannot_connect"}),
        (ValueError("boom"), {"base": "unknown"}),
    ],
)
async def test_user_errors_then_recover(
    hass: HomeAssistant, error: Exception, errors: dict[str, str]
) -> None:
    """Each failure maps to its error; the same form then succeeds."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    user_input = {CONF_ACCOUNT_ID: ACCOUNT, CONF_API_KEY: API_KEY}
    with patch(GET_ACCOUNT, AsyncMock(side_effect=error)):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    with patch(GET_ACCOUNT, AsyncMock()):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_aborts_duplicates(hass: HomeAssistant) -> None:
    """An account with an entry (with or without unique id) is not added twice."""
    community = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    community.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    with patch(GET_ACCOUNT, AsyncMock()) as get_account:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ACCOUNT_ID: ACCOUNT, CONF_API_KEY: API_KEY}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    get_account.assert_not_called()

    hass.config_entries.async_update_entry(community, unique_id=ACCOUNT)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_ID: ACCOUNT, CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_replace_key(hass: HomeAssistant, source: str) -> None:
    """Reauth and reconfigure check the new key on the entry's own account."""
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, unique_id=ACCOUNT, data=community_entry_data()
    )
    entry.add_to_hass(hass)
    start = (
        entry.start_reauth_flow if source == "reauth" else entry.start_reconfigure_flow
    )
    result = await start(hass)
    step = "reauth_confirm" if source == "reauth" else "reconfigure"
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    assert result["description_placeholders"]["account_id"] == ACCOUNT

    with patch(
        GET_ACCOUNT, AsyncMock(side_effect=OctopusEnergyAuthenticationError("x"))
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "sk_live_old"}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_KEY: "invalid_auth"}

    with patch(GET_ACCOUNT, AsyncMock()) as get_account:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: " sk_live_new "}
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == f"{source}_successful"
    assert entry.data[CONF_API_KEY] == "sk_live_new"
    get_account.assert_awaited_once_with(ACCOUNT)


@pytest.fixture
def no_switchable_features(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the features without an options switch (the form has no features)."""
    monkeypatch.setattr(
        config_flow,
        "FEATURE_REGISTRY",
        tuple(f for f in config_flow.FEATURE_REGISTRY if f.option is None),
    )


def _options_input(**overrides: Any) -> dict[str, Any]:
    user_input: dict[str, Any] = {
        "calorific_value": 39.2,
        "favour_direct_debit_rates": False,
        "home_mini_settings": {
            "supports_live_consumption": True,
            "live_electricity_consumption_refresh_in_minutes": 5,
            "live_gas_consumption_refresh_in_minutes": 30,
        },
        "price_cap_settings": {"electricity_price_cap": 24.5},
    }
    user_input.update(overrides)
    return user_input


@pytest.mark.usefixtures("no_switchable_features")
async def test_options_flow(hass: HomeAssistant) -> None:
    """The options hold the settings in the community layout; options win."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        unique_id=ACCOUNT,
        data=community_entry_data(price_cap_settings={"gas_price_cap": 7.0}),
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input()
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        "calorific_value": 39.2,
        "favour_direct_debit_rates": False,
        "home_mini_settings": {
            "supports_live_consumption": True,
            "live_electricity_consumption_refresh_in_minutes": 5,
            "live_gas_consumption_refresh_in_minutes": 30,
        },
        "price_cap_settings": {"electricity_price_cap": 24.5, "gas_price_cap": None},
    }
    settings = AccountSettings.from_entry(entry.data, entry.options)
    assert settings.gas_price_cap is None  # cleared although the data holds one
    assert settings.electricity_price_cap == 24.5
    assert settings.live_consumption is True
    assert settings.live_gas_refresh_minutes == 30

    # The form opens with the current values (the cap as a suggestion)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    schema = result["data_schema"].schema
    caps = next(value for key, value in schema.items() if key == "price_cap_settings")
    cap_key = next(iter(caps.schema.schema))
    assert cap_key.description == {"suggested_value": 24.5}


@pytest.mark.usefixtures("no_switchable_features")
async def test_options_errors(hass: HomeAssistant) -> None:
    """A calorific value of 0 shows the form again; selectors refuse the rest."""
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input(calorific_value=0)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"calorific_value": "value_greater_than_zero"}
    bad_minutes = {
        "supports_live_consumption": True,
        "live_electricity_consumption_refresh_in_minutes": 0,
        "live_gas_consumption_refresh_in_minutes": 2,
    }
    for overrides in (
        {"home_mini_settings": bad_minutes},
        {"price_cap_settings": {"gas_price_cap": -1}},
    ):
        with pytest.raises(InvalidData):
            await hass.config_entries.options.async_configure(
                result["flow_id"], _options_input(**overrides)
            )
    assert entry.options == {}


class _Switchable(Feature):
    """A feature with an options switch that only enrolled accounts have."""

    key = "switchable"
    option = "feature_octoplus"

    @classmethod
    def available(cls, account: Account) -> bool:
        return account.is_octoplus_enrolled

    async def async_setup(self) -> None:
        return


@pytest.mark.usefixtures("no_switchable_features")
async def test_options_switches_only_for_features_the_account_has(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feature switch exists only for a feature that exists and the account has."""
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "features" not in result["data_schema"].schema  # no switchable feature

    monkeypatch.setattr(config_flow, "FEATURE_REGISTRY", (_Switchable,))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "features" in result["data_schema"].schema  # not loaded: shown
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input(features={"feature_octoplus": False})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["feature_octoplus"] is False
    settings = AccountSettings.from_entry(entry.data, entry.options)
    assert not settings.feature_enabled("feature_octoplus")
    assert settings.feature_enabled("feature_heat_pump")
    assert settings.feature_enabled(None)

    enrolled = SimpleNamespace(is_octoplus_enrolled=True)
    assert config_flow.switchable_features(enrolled) == ["feature_octoplus"]  # type: ignore[arg-type]
    not_enrolled = SimpleNamespace(is_octoplus_enrolled=False)
    assert config_flow.switchable_features(not_enrolled) == []  # type: ignore[arg-type]
