"""Every error class at the HTTP level, malformed bodies and rate limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
from aioresponses import aioresponses
import pytest

from custom_components.octopus_energy.api import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyClient,
    OctopusEnergyConnectionError,
    OctopusEnergyError,
    OctopusEnergyNotFoundError,
    OctopusEnergyNotVisibleError,
    OctopusEnergyRateLimitError,
    OctopusEnergyResponseError,
    OctopusEnergyServerError,
    OctopusEnergyTimeoutError,
)
from custom_components.octopus_energy.api.transport import retry_after_seconds

from .conftest import ACCOUNT, API_KEY, GraphQLRouter, load_json

PRODUCT_URL = "https://api.octopus.energy/v1/products/P/"


async def product_error(
    client: OctopusEnergyClient, expected: type[OctopusEnergyError]
) -> OctopusEnergyError:
    """Fetch a product expecting `expected`; no secret in the message."""
    with pytest.raises(expected) as info:
        await client.get_product("P")
    assert API_KEY not in str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, '{"detail": "Invalid API key."}', OctopusEnergyAuthenticationError),
        (403, '{"detail": "Forbidden."}', OctopusEnergyAuthenticationError),
        (
            403,
            "<html><h1>403 ERROR</h1>Request blocked.</html>",
            OctopusEnergyRateLimitError,
        ),
        (403, '{"detail": "Request blocked"}', OctopusEnergyRateLimitError),
        # a gateway's HTML page is a temporary failure, neither a key nor a limit
        (403, "<html><h1>403 Forbidden</h1></html>", OctopusEnergyServerError),
        (404, '{"detail": "Not found."}', OctopusEnergyNotFoundError),
        (429, "", OctopusEnergyRateLimitError),
        (500, "", OctopusEnergyServerError),
        (502, "<html>Bad gateway</html>", OctopusEnergyServerError),
        (503, '{"detail": "down"}', OctopusEnergyServerError),
        (418, "teapot", OctopusEnergyResponseError),
        (400, '{"detail": "bad"}', OctopusEnergyResponseError),
    ],
)
async def test_rest_status_mapping(
    client: OctopusEnergyClient,
    mock_http: aioresponses,
    status: int,
    body: str,
    expected: type[OctopusEnergyError],
) -> None:
    """HTTP statuses map onto the exception hierarchy."""
    mock_http.get(PRODUCT_URL, status=status, body=body)
    error = await product_error(client, expected)
    assert type(error) is expected
    assert isinstance(error, OctopusEnergyResponseError)
    assert error.status == status


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), ("-5", 0.0), ("soon", None), (None, None)],
)
async def test_retry_after_header(
    client: OctopusEnergyClient,
    mock_http: aioresponses,
    header: str | None,
    expected: float | None,
) -> None:
    """429 carries the `Retry-After` delay."""
    headers = {"Retry-After": header} if header is not None else None
    mock_http.get(PRODUCT_URL, status=429, body="slow down", headers=headers)
    error = await product_error(client, OctopusEnergyRateLimitError)
    assert isinstance(error, OctopusEnergyRateLimitError)
    assert error.retry_after == expected


def test_retry_after_http_date() -> None:
    """An HTTP-date `Retry-After` gives the seconds until then."""
    later = datetime.now(UTC) + timedelta(seconds=90)
    seconds = retry_after_seconds(format_datetime(later, usegmt=True))
    assert seconds is not None
    assert 80 < seconds <= 90
    naive = format_datetime(later.replace(tzinfo=None))
    assert retry_after_seconds(naive) is not None


@pytest.mark.parametrize("body", ["<html>maintenance</html>", "{not json"])
async def test_non_json_success_body(
    client: OctopusEnergyClient, mock_http: aioresponses, body: str
) -> None:
    """A 200 that is not JSON is a response error, never a crash."""
    mock_http.get(PRODUCT_URL, status=200, body=body)
    error = await product_error(client, OctopusEnergyResponseError)
    assert "not JSON" in str(error)


async def test_binary_body(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A body that is not even UTF-8 is a response error too."""
    mock_http.get(PRODUCT_URL, status=200, body=b"\xff\xfe\x00garbage")
    await product_error(client, OctopusEnergyResponseError)


async def test_timeout(client: OctopusEnergyClient, mock_http: aioresponses) -> None:
    """A request that takes too long is a timeout (a connection error)."""
    mock_http.get(PRODUCT_URL, exception=TimeoutError())
    await product_error(client, OctopusEnergyTimeoutError)


async def test_timeout_is_applied(
    session: aiohttp.ClientSession, mock_http: aioresponses
) -> None:
    """The client's own timeout bounds a hanging request."""

    async def hang(url: object, **kwargs: object) -> None:
        await asyncio.sleep(5)

    mock_http.get(PRODUCT_URL, callback=hang)
    client = OctopusEnergyClient(api_key=API_KEY, session=session, request_timeout=0.05)
    with pytest.raises(OctopusEnergyTimeoutError):
        await client.get_product("P")


async def test_connection_error(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """Network failures are connection errors, naming the failure class only."""
    mock_http.get(PRODUCT_URL, exception=aiohttp.ClientConnectionError("boom"))
    error = await product_error(client, OctopusEnergyConnectionError)
    assert "ClientConnectionError" in str(error)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("KT-CT-1199", OctopusEnergyRateLimitError),
        ("KT-CT-1188", OctopusEnergyResponseError),
        (None, OctopusEnergyResponseError),
    ],
)
async def test_graphql_error_codes(
    client: OctopusEnergyClient,
    authed: GraphQLRouter,
    code: str | None,
    expected: type[OctopusEnergyError],
) -> None:
    """GraphQL error codes are kept and mapped; messages carry no account number."""
    extensions = {"errorCode": code} if code else None
    authed.add(
        "Account",
        None,
        errors=[{"message": f"Account {ACCOUNT} problem", "extensions": extensions}],
    )
    with pytest.raises(expected) as info:
        await client.get_account(ACCOUNT)
    assert type(info.value) is expected
    assert info.value.codes == ((code,) if code else ("UNKNOWN",))
    assert ACCOUNT not in str(info.value)


@pytest.mark.parametrize("code", ["KT-CT-1139", "KT-CT-1112", "KT-CT-1143", "OE-0103"])
async def test_graphql_auth_codes(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: object, code: str
) -> None:
    """Auth codes on a call give an auth error (after one fresh-token retry)."""
    router.token(datetime(2026, 1, 10, 13, tzinfo=UTC))
    router.token(datetime(2026, 1, 10, 13, tzinfo=UTC), marker="2")
    errors = [{"message": "x", "extensions": {"errorCode": code}}]
    router.add("Account", None, errors=errors, repeat=True)
    with pytest.raises(OctopusEnergyAuthenticationError) as info:
        await client.get_account(ACCOUNT)
    assert info.value.codes == (code,)


async def test_graphql_not_visible_elsewhere(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """KT-CT-1111 on another query is a not-visible error, not an auth one."""
    errors = [{"message": "Unauthorized.", "extensions": {"errorCode": "KT-CT-1111"}}]
    authed.add("LoyaltyPoints", None, errors=errors)
    with pytest.raises(OctopusEnergyNotVisibleError) as info:
        await client.get_loyalty_points()
    assert info.value.codes == ("KT-CT-1111",)


async def test_octoplus_not_visible_is_not_enrolled(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """KT-CT-1111 on `octoplusAccountInfo` alone (OE#885): the account, not enrolled."""
    data = load_json("account.json")
    data["octoplusAccountInfo"] = None
    errors = [
        {
            "message": "Unauthorized.",
            "path": ["octoplusAccountInfo"],
            "extensions": {"errorCode": "KT-CT-1111"},
        }
    ]
    authed.add("Account", data, errors=errors)
    account = await client.get_account(ACCOUNT)
    assert not account.is_octoplus_enrolled
    assert account.electricity_meter_points


async def test_graphql_account_not_visible(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """KT-CT-1111: the key may not see the account; no fresh-token retry."""
    router.token(datetime(2026, 1, 10, 13, tzinfo=UTC))
    errors = [{"message": "Unauthorized.", "extensions": {"errorCode": "KT-CT-1111"}}]
    router.add("Account", None, errors=errors)
    with pytest.raises(OctopusEnergyNotVisibleError) as info:
        await client.get_account(ACCOUNT)
    assert isinstance(info.value, OctopusEnergyNotFoundError)
    assert not isinstance(info.value, OctopusEnergyAuthenticationError)
    assert client.request_counter.by_operation() == {
        "obtain_token": 1,
        "get_account": 1,
    }


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "<html>CloudFront</html>", OctopusEnergyResponseError),
        (200, "[1, 2]", OctopusEnergyResponseError),
        (200, '{"data": null}', OctopusEnergyResponseError),
        (200, '{"data": "x"}', OctopusEnergyResponseError),
        (200, "", OctopusEnergyResponseError),
        (
            400,
            (
                '{"errors": [{"message": "Cannot query field", '
                '"extensions": {"errorCode": "GRAPHQL_VALIDATION_FAILED"}}]}'
            ),
            OctopusEnergyResponseError,
        ),
        (
            400,
            (
                '{"errors": [{"message": "Expected type", "extensions": '
                '{"errorCode": "KT-CT-1199"}}]}'
            ),
            OctopusEnergyRateLimitError,
        ),
        (429, '{"errors": []}', OctopusEnergyRateLimitError),
        (403, "<html>Request blocked</html>", OctopusEnergyRateLimitError),
        (403, "<html><h1>403 Forbidden</h1></html>", OctopusEnergyServerError),
        (504, "<html>Gateway timeout</html>", OctopusEnergyServerError),
    ],
)
async def test_graphql_malformed_and_http_errors(
    client: OctopusEnergyClient,
    authed: GraphQLRouter,
    status: int,
    body: str,
    expected: type[OctopusEnergyError],
) -> None:
    """Malformed GraphQL answers and HTTP errors are library errors."""
    authed.add("LoyaltyPoints", status=status, body=body)
    with pytest.raises(expected) as info:
        await client.get_loyalty_points()
    assert type(info.value) is expected


async def test_graphql_validation_error_keeps_code(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """A 400 with GraphQL errors keeps the status and the codes."""
    authed.add(
        "LoyaltyPoints",
        status=400,
        body='{"errors": [{"extensions": {"errorCode": "GRAPHQL_VALIDATION_FAILED"}},'
        ' "odd"]}',
    )
    with pytest.raises(OctopusEnergyResponseError) as info:
        await client.get_loyalty_points()
    assert info.value.codes == ("GRAPHQL_VALIDATION_FAILED", "UNKNOWN")
