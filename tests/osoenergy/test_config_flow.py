"""Tests of the OSO Energy config flow: user, reauth and reconfigure steps."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

import aiohttp
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.osoenergy.const import CONF_BASE_URL, DOMAIN

from .conftest import API_KEY, EMAIL, USER_URL, apim_refusal, requests_to

NEW_KEY = "new-subscription-key"

pytestmark = pytest.mark.usefixtures("mock_setup_entry")

ERRORS = pytest.mark.parametrize(
    ("answer", "errors"),
    [
        pytest.param(apim_refusal(401), {CONF_API_KEY: "invalid_auth"}, id="401"),
        pytest.param(apim_refusal(403), {CONF_API_KEY: "invalid_auth"}, id="403"),
        pytest.param(
            {"status": 403, "text": "<html>Forbidden</html>"},
            {"base": "cannot_connect"},
            id="html_403",
        ),
        pytest.param(
            {"json": {"firstName": "No"}}, {CONF_API_KEY: "invalid_auth"}, id="no_email"
        ),
        pytest.param(
            {"status": 429, "headers": {"Retry-After": "30"}},
            {"base": "rate_limited"},
            id="429",
        ),
        pytest.param({"status": 500}, {"base": "cannot_connect"}, id="500"),
        pytest.param({"status": 404}, {"base": "cannot_connect"}, id="404"),
        pytest.param({"text": "<html>"}, {"base": "cannot_connect"}, id="not_json"),
        pytest.param(
            {"exc": aiohttp.ClientConnectionError()},
            {"base": "cannot_connect"},
            id="connection",
        ),
        pytest.param({"exc": TimeoutError()}, {"base": "cannot_connect"}, id="timeout"),
        pytest.param({"exc": RuntimeError("boom")}, {"base": "unknown"}, id="unknown"),
    ],
)


def answer_user_details(aioclient_mock: AiohttpClientMocker, **answer: Any) -> None:
    """Make GET User/Details answer as given (and nothing else be registered)."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(USER_URL, **answer)


def sent_keys(aioclient_mock: AiohttpClientMocker) -> list[str]:
    """The subscription keys sent to User/Details, in order."""
    return [
        call[3]["Ocp-Apim-Subscription-Key"]
        for call in requests_to(aioclient_mock, "GET", "User/Details")
    ]


async def submit(
    hass: HomeAssistant, result: ConfigFlowResult, api_key: str
) -> ConfigFlowResult:
    """Submit a key to the flow's current form."""
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key}
    )


# --- User step -----------------------------------------------------------------------


@pytest.mark.usefixtures("mock_oso_api")
async def test_user_flow(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """A valid key creates an entry as core does: title and unique id = e-mail."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await submit(hass, result, f"  {API_KEY}\n")

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == EMAIL
    assert result["data"] == {CONF_API_KEY: API_KEY}
    entry = result["result"]
    assert entry.unique_id == EMAIL
    assert entry.version == 1
    assert sent_keys(aioclient_mock) == [API_KEY]
    assert len(mock_setup_entry.mock_calls) == 1


@ERRORS
async def test_user_flow_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Each failure shows its error on the form; the user can then succeed."""
    answer_user_details(aioclient_mock, **answer)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    result = await submit(hass, result, "bad-key")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == errors

    answer_user_details(aioclient_mock, json={"email": EMAIL})
    result = await submit(hass, result, API_KEY)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_API_KEY: API_KEY}


async def test_user_flow_unknown_error_logged(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected error is logged with its traceback, without the key."""
    answer_user_details(aioclient_mock, exc=RuntimeError("boom"))
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    await submit(hass, result, API_KEY)

    assert "Unexpected error while checking the subscription key" in caplog.text
    assert "RuntimeError: boom" in caplog.text
    assert API_KEY not in caplog.text


@pytest.mark.usefixtures("mock_oso_api")
async def test_user_flow_already_configured(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """An account can be added once; another key of it aborts."""
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    result = await submit(hass, result, "secondary-key-of-the-same-account")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_config_entry.data == {CONF_API_KEY: API_KEY}


@pytest.mark.usefixtures("mock_oso_api")
async def test_user_flow_second_account(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Several accounts are separate entries."""
    mock_config_entry.add_to_hass(hass)
    answer_user_details(aioclient_mock, json={"email": "other@example.com"})
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "other@example.com"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


# --- Reauth ------------------------------------------------------------


@pytest.mark.usefixtures("mock_oso_api")
async def test_reauth_flow(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A new key of the same account is stored and the entry reloaded."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["email"] == EMAIL

    result = await submit(hass, result, NEW_KEY)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data == {CONF_API_KEY: NEW_KEY}
    assert mock_config_entry.unique_id == EMAIL
    assert sent_keys(aioclient_mock) == [NEW_KEY]
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reauth_flow_other_account(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A key of another account is refused and the stored key kept."""
    mock_config_entry.add_to_hass(hass)
    answer_user_details(aioclient_mock, json={"email": "other@example.com"})
    result = await mock_config_entry.start_reauth_flow(hass)

    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert mock_config_entry.data == {CONF_API_KEY: API_KEY}


@ERRORS
async def test_reauth_flow_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    answer: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """A failing check shows the error on the reauth form; a retry can succeed."""
    mock_config_entry.add_to_hass(hass)
    answer_user_details(aioclient_mock, **answer)
    result = await mock_config_entry.start_reauth_flow(hass)

    result = await submit(hass, result, "bad-key")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == errors
    assert mock_config_entry.data == {CONF_API_KEY: API_KEY}

    answer_user_details(aioclient_mock, json={"email": EMAIL})
    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data == {CONF_API_KEY: NEW_KEY}


# --- Reconfigure -------------------------------------------------------


@pytest.mark.usefixtures("mock_oso_api")
async def test_reconfigure_flow(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """The key can be changed without removing the entry."""
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"]["email"] == EMAIL

    result = await submit(hass, result, NEW_KEY)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data == {CONF_API_KEY: NEW_KEY}
    assert sent_keys(aioclient_mock) == [NEW_KEY]
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reconfigure_flow_other_account(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A key of another account is refused on reconfigure too."""
    mock_config_entry.add_to_hass(hass)
    answer_user_details(aioclient_mock, json={"email": "other@example.com"})
    result = await mock_config_entry.start_reconfigure_flow(hass)

    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert mock_config_entry.data == {CONF_API_KEY: API_KEY}


@ERRORS
async def test_reconfigure_flow_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    answer: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """A failing check shows the error on the reconfigure form; a retry can succeed."""
    mock_config_entry.add_to_hass(hass)
    answer_user_details(aioclient_mock, **answer)
    result = await mock_config_entry.start_reconfigure_flow(hass)

    result = await submit(hass, result, "bad-key")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == errors

    answer_user_details(aioclient_mock, json={"email": EMAIL})
    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data == {CONF_API_KEY: NEW_KEY}


async def test_reconfigure_keeps_api_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An entry talking to another API host (the simulator) is checked against it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=EMAIL,
        data={CONF_API_KEY: API_KEY, CONF_BASE_URL: "http://localhost:8080"},
    )
    entry.add_to_hass(hass)
    aioclient_mock.get("http://localhost:8080/1/User/Details", json={"email": EMAIL})
    result = await entry.start_reconfigure_flow(hass)

    result = await submit(hass, result, NEW_KEY)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {CONF_API_KEY: NEW_KEY, CONF_BASE_URL: "http://localhost:8080"}
    assert sent_keys(aioclient_mock) == [NEW_KEY]
