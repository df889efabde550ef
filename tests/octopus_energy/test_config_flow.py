"""Tests of the Octopus Energy config flow: user, reauth, reconfigure and options."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
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
    OctopusEnergyNotVisibleError,
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
        (
            OctopusEnergyNotFoundError("no account"),
            {CONF_ACCOUNT_ID: "account_not_found"},
        ),
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


async def test_user_normalises_the_account_number(
    hass: HomeAssistant, octopus_sim: OctopusSim, freezer: FrozenDateTimeFactory
) -> None:
    """A number typed in lower case with spaces is stored as Kraken spells it."""
    freezer.move_to(NOW)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_ACCOUNT_ID: f"  {ACCOUNT.lower()} ", CONF_API_KEY: API_KEY},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == ACCOUNT
    assert result["result"].unique_id == ACCOUNT
    assert result["result"].data[CONF_ACCOUNT_ID] == ACCOUNT


async def test_user_account_the_key_cannot_see(
    hass: HomeAssistant, octopus_sim: OctopusSim, freezer: FrozenDateTimeFactory
) -> None:
    """KT-CT-1111 (another account's number) is not "the key was refused"."""
    freezer.move_to(NOW)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ACCOUNT_ID: "a-bbbb2222", CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ACCOUNT_ID: "account_not_found"}
    assert result["description_placeholders"] == {"account_id": "A-BBBB2222"}
    assert octopus_sim.count("octopus.graphql.") == 1  # no token retry
    strings = json.loads(
        (Path(config_flow.__file__).parent / "translations" / "en.json").read_text()
    )
    message = strings["config"]["error"]["account_not_found"]
    assert message.startswith("No account {account_id} for this API key")


async def test_user_aborts_lower_case_duplicate(hass: HomeAssistant) -> None:
    """An entry stored in lower case (community) is the same account."""
    community = MockConfigEntry(
        domain=DOMAIN, version=9, data=community_entry_data(account_id="a-aaaa1111")
    )
    community.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU  # an account exists
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "account"}
    )
    with patch(GET_ACCOUNT, AsyncMock()) as get_account:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ACCOUNT_ID: ACCOUNT, CONF_API_KEY: API_KEY}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    get_account.assert_not_called()


async def test_user_aborts_duplicates(hass: HomeAssistant) -> None:
    """An account with an entry (with or without unique id) is not added twice."""
    community = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    community.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU  # an account exists
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "account"}
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
        result["flow_id"], {"next_step_id": "account"}
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


async def test_options_flow(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The options hold the settings in the community layout; options win."""
    monkeypatch.setattr(config_flow, "FEATURE_REGISTRY", ())  # no switches here
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


async def test_options_errors(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A calorific value of 0 shows the form again; selectors refuse the rest."""
    monkeypatch.setattr(config_flow, "FEATURE_REGISTRY", ())  # no switches here
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
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], _options_input(home_mini_settings=bad_minutes)
        )
    assert entry.options == {}


@pytest.mark.parametrize(
    ("caps", "field"),
    [
        ({"gas_price_cap": -1}, "gas_price_cap"),
        ({"electricity_price_cap": -0.01}, "electricity_price_cap"),
        ({"electricity_price_cap": 1000.5}, "electricity_price_cap"),
        ({"electricity_price_cap": 24.5, "gas_price_cap": 24500}, "gas_price_cap"),
    ],
)
async def test_options_price_cap_range(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    caps: dict[str, float],
    field: str,
) -> None:
    """A negative cap or one above 1000 p/kWh gets a translated error on its field."""
    monkeypatch.setattr(config_flow, "FEATURE_REGISTRY", ())  # no switches here
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _options_input(price_cap_settings=caps)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: "price_cap_out_of_range"}
    assert entry.options == {}
    # the boundaries are accepted
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        _options_input(
            price_cap_settings={"electricity_price_cap": 0, "gas_price_cap": 1000}
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["price_cap_settings"] == {
        "electricity_price_cap": 0.0,
        "gas_price_cap": 1000.0,
    }


def test_price_cap_form_states_the_unit() -> None:
    """The labels and descriptions of the caps say p/kWh."""
    strings = json.loads(
        (Path(config_flow.__file__).parent / "translations" / "en.json").read_text()
    )
    caps = strings["options"]["step"]["init"]["sections"]["price_cap_settings"]
    for key in ("electricity_price_cap", "gas_price_cap"):
        assert "(p/kWh)" in caps["data"][key]
        assert "pence per kWh" in caps["data_description"][key]
    assert "price_cap_out_of_range" in strings["options"]["error"]


class _Switchable(Feature):
    """A feature with an options switch that only enrolled accounts have."""

    key = "switchable"
    option = "feature_octoplus"

    @classmethod
    def available(cls, account: Account) -> bool:
        return account.is_octoplus_enrolled

    async def async_setup(self) -> None:
        return


async def test_options_switches_only_for_features_the_account_has(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feature switch exists only for a feature that exists and the account has."""
    entry = MockConfigEntry(domain=DOMAIN, version=9, data=community_entry_data())
    entry.add_to_hass(hass)
    monkeypatch.setattr(config_flow, "FEATURE_REGISTRY", ())
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


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_replace_key_of_a_lower_case_entry(
    hass: HomeAssistant,
    octopus_sim: OctopusSim,
    freezer: FrozenDateTimeFactory,
    source: str,
) -> None:
    """A number stored in lower case is sent upper-cased; it stays as stored."""
    freezer.move_to(NOW)
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        unique_id="a-aaaa1111 ",
        data=community_entry_data(account_id="a-aaaa1111 "),
    )
    entry.add_to_hass(hass)
    start = (
        entry.start_reauth_flow if source == "reauth" else entry.start_reconfigure_flow
    )
    result = await start(hass)
    assert result["description_placeholders"]["account_id"] == ACCOUNT
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == f"{source}_successful"
    assert entry.data[CONF_ACCOUNT_ID] == "a-aaaa1111 "


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_replace_key_of_another_account(hass: HomeAssistant, source: str) -> None:
    """A key that cannot see the entry's account: its own error, not invalid_auth."""
    entry = MockConfigEntry(
        domain=DOMAIN, version=9, unique_id=ACCOUNT, data=community_entry_data()
    )
    entry.add_to_hass(hass)
    start = (
        entry.start_reauth_flow if source == "reauth" else entry.start_reconfigure_flow
    )
    result = await start(hass)
    with patch(
        GET_ACCOUNT, AsyncMock(side_effect=OctopusEnergyNotVisibleError("1111"))
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "sk_live_other"}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "account_not_found"}
    assert result["description_placeholders"]["account_id"] == ACCOUNT
