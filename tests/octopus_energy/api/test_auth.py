"""Token lifecycle: single-flight, expiry, refresh, bounded attempts, no leaks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import logging

import pytest

from custom_components.octopus_energy.api import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyClient,
    OctopusEnergyRateLimitError,
    OctopusEnergyResponseError,
    OctopusEnergyServerError,
    auth,
)
from custom_components.octopus_energy.api.auth import KrakenToken, token_expiry

from .conftest import API_KEY, Clock, GraphQLRouter, make_jwt

POINTS = {"loyaltyPointLedgers": [{"balanceCarriedForward": "1200"}]}
OBTAIN = "ObtainKrakenToken"
AUTH_ERROR = [{"message": "Invalid data.", "extensions": {"errorCode": "KT-CT-1139"}}]


def token_inputs(router: GraphQLRouter) -> list[dict[str, str]]:
    """Return the `input` of every token request."""
    return [c.variables["input"] for c in router.calls if c.operation == OBTAIN]


async def test_token_obtained_once_and_sent_bare(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """The API key buys one token, sent bare in `Authorization`, then reused."""
    token = router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    assert await client.get_loyalty_points() == 1200
    clock.advance(minutes=50)
    assert await client.get_loyalty_points() == 1200
    assert router.operations() == [OBTAIN, "LoyaltyPoints", "LoyaltyPoints"]
    assert token_inputs(router) == [{"APIKey": API_KEY}]
    assert "Authorization" not in router.calls[0].headers
    assert router.calls[1].headers["Authorization"] == token
    assert router.calls[0].headers["Ha-Integration-Context"] == "obtain_token"
    assert client.tokens.token is not None
    assert client.tokens.token.expires_at == datetime(2026, 1, 10, 13, 0, tzinfo=UTC)
    assert client.request_counter.by_operation() == {
        "get_loyalty_points": 2,
        "obtain_token": 1,
    }


async def test_renewed_at_expiry_with_refresh_token(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A token serves its whole life; at the JWT's `exp` the refresh token renews it."""
    first = router.token(clock() + timedelta(minutes=30), marker="1")
    router.add("LoyaltyPoints", POINTS, repeat=True)
    await client.get_loyalty_points()
    clock.advance(minutes=29, seconds=59)
    await client.get_loyalty_points()
    assert router.last("LoyaltyPoints").headers["Authorization"] == first
    assert token_inputs(router) == [{"APIKey": API_KEY}]
    clock.advance(seconds=1)
    second = router.token(clock() + timedelta(hours=1), marker="2")
    await client.get_loyalty_points()
    assert token_inputs(router) == [{"APIKey": API_KEY}, {"refreshToken": "refresh-1"}]
    assert router.last("LoyaltyPoints").headers["Authorization"] == second


async def test_one_token_per_hour_with_a_call_every_minute(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """60-minute tokens and a call every minute: 24 token requests in 24 hours."""
    router.add("LoyaltyPoints", POINTS, repeat=True)
    for minute in range(24 * 60):
        if minute % 60 == 0:
            router.token(clock() + timedelta(hours=1), marker=str(minute))
        await client.get_loyalty_points()
        clock.advance(minutes=1)
    assert router.operations().count(OBTAIN) == 24
    assert router.operations().count("LoyaltyPoints") == 24 * 60


async def test_token_expired_in_flight_costs_one_token_request(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A call whose token lapses on the way is refused, renewed once and retried."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS)
    await client.get_loyalty_points()
    clock.advance(minutes=59, seconds=59)  # still valid when the call is sent
    expired = [
        {
            "message": "Signature of the JWT has expired.",
            "extensions": {"errorCode": "KT-CT-1124"},
        }
    ]
    router.add("LoyaltyPoints", None, errors=expired)
    fresh = router.token(clock() + timedelta(hours=1), marker="2")
    router.add("LoyaltyPoints", POINTS)
    assert await client.get_loyalty_points() == 1200
    assert token_inputs(router) == [{"APIKey": API_KEY}, {"refreshToken": "refresh-1"}]
    assert router.operations().count("LoyaltyPoints") == 3
    assert router.last("LoyaltyPoints").headers["Authorization"] == fresh


async def test_expired_refresh_token_falls_back_to_api_key(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """Once the refresh token has lapsed, the API key is used again."""
    router.token(clock() + timedelta(hours=1), refresh_in=3600)
    router.add("LoyaltyPoints", POINTS, repeat=True)
    await client.get_loyalty_points()
    clock.advance(hours=2)
    router.token(clock() + timedelta(hours=1), marker="2")
    await client.get_loyalty_points()
    assert token_inputs(router) == [{"APIKey": API_KEY}, {"APIKey": API_KEY}]


async def test_refused_refresh_token_retries_with_api_key(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A refused refresh token costs one attempt, then the API key is used."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    await client.get_loyalty_points()
    clock.advance(hours=1)
    router.add(OBTAIN, None, errors=AUTH_ERROR)
    refreshed = router.token(clock() + timedelta(hours=1), marker="3")
    await client.get_loyalty_points()
    assert token_inputs(router) == [
        {"APIKey": API_KEY},
        {"refreshToken": "refresh-1"},
        {"APIKey": API_KEY},
    ]
    assert router.last("LoyaltyPoints").headers["Authorization"] == refreshed


async def test_refresh_response_without_refresh_token_keeps_old_one(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A refresh answer without a new refresh token keeps the current one."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    await client.get_loyalty_points()
    clock.advance(minutes=60)
    router.add(
        OBTAIN,
        {"obtainKrakenToken": {"token": make_jwt(clock() + timedelta(hours=1), "2")}},
    )
    await client.get_loyalty_points()
    clock.advance(minutes=60)
    router.token(clock() + timedelta(hours=1), marker="4")
    await client.get_loyalty_points()
    assert token_inputs(router)[-1] == {"refreshToken": "refresh-1"}


async def test_twenty_concurrent_calls_one_token_request(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """Twenty calls started together share one token request."""
    router.delay = 5
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    results = await asyncio.gather(*(client.get_loyalty_points() for _ in range(20)))
    assert results == [1200] * 20
    assert router.operations().count(OBTAIN) == 1
    assert client.request_counter.by_operation() == {
        "get_loyalty_points": 20,
        "obtain_token": 1,
    }


async def test_concurrent_calls_share_one_failure(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """When the shared token request fails, every waiter gets the error once."""
    router.delay = 5
    router.add(OBTAIN, body="<html>oops</html>", status=503)
    results = await asyncio.gather(
        *(client.get_loyalty_points() for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(r, OctopusEnergyServerError) for r in results)
    assert router.operations() == [OBTAIN]


async def test_failing_token_endpoint_is_bounded(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A token endpoint that keeps failing gets at most 3 requests in 10 minutes."""
    router.add(OBTAIN, body="<html>403 Request blocked</html>", status=403, repeat=True)
    for _ in range(3):
        with pytest.raises(OctopusEnergyRateLimitError):
            await client.get_loyalty_points()
        clock.advance(seconds=30)
    for _ in range(10):
        with pytest.raises(OctopusEnergyRateLimitError) as info:
            await client.get_loyalty_points()
        assert info.value.retry_after is not None
        assert 0 < info.value.retry_after <= 600
        clock.advance(seconds=20)
    assert router.operations().count(OBTAIN) == 3
    assert client.tokens.attempts_in_window == 3
    clock.advance(minutes=10)
    with pytest.raises(OctopusEnergyRateLimitError):
        await client.get_loyalty_points()
    assert router.operations().count(OBTAIN) == 4


async def test_server_errors_on_token_endpoint_are_bounded(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """5xx answers count too: the fourth call is refused without a request."""
    router.add(OBTAIN, body="Bad gateway", status=502, repeat=True)
    for _ in range(3):
        with pytest.raises(OctopusEnergyServerError):
            await client.get_loyalty_points()
    with pytest.raises(
        OctopusEnergyRateLimitError, match="3 token requests within 10 minutes"
    ):
        await client.get_loyalty_points()
    assert router.operations().count(OBTAIN) == 3


async def test_refused_key_is_bounded_auth_error(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """A refused key gives auth errors; after 3 attempts, without new requests."""
    router.add(OBTAIN, None, errors=AUTH_ERROR, repeat=True)
    for _ in range(5):
        with pytest.raises(OctopusEnergyAuthenticationError) as info:
            await client.get_loyalty_points()
        assert API_KEY not in str(info.value)
    assert router.operations().count(OBTAIN) == 3
    assert info.value.codes == ("KT-CT-1139",)


async def test_key_refused_for_good_only_after_a_sustained_period(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """3+ consecutive refusals of the key over 2+ hours; a granted token resets."""
    for _ in range(4):
        router.add(OBTAIN, None, errors=AUTH_ERROR)
    router.token(clock() + timedelta(hours=5))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    for minutes, refusals, for_good in ((0, 1, False), (20, 2, False), (40, 3, False)):
        clock.advance(minutes=minutes)
        with pytest.raises(OctopusEnergyAuthenticationError):
            await client.get_loyalty_points()
        assert client.tokens.key_refusals == refusals
        assert client.tokens.key_refused_for_good is for_good
    clock.advance(minutes=59)  # three refusals, but within 1 h 59 min
    assert not client.tokens.key_refused_for_good
    clock.advance(minutes=2)
    assert client.tokens.key_refused_for_good  # 3 refusals spanning 2 h 01 min
    with pytest.raises(OctopusEnergyAuthenticationError):
        await client.get_loyalty_points()
    assert client.tokens.key_refusals == 4
    clock.advance(minutes=10)
    assert await client.get_loyalty_points() == 1200
    assert client.tokens.key_refusals == 0
    assert not client.tokens.key_refused_for_good


async def test_budget_answers_do_not_count_as_refusals(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """Only token requests sent with the key and refused count as refusals."""
    router.add(OBTAIN, None, errors=AUTH_ERROR, repeat=True)
    for _ in range(5):  # 3 requests, then the attempt budget answers
        with pytest.raises(OctopusEnergyAuthenticationError):
            await client.get_loyalty_points()
    assert client.tokens.key_refusals == 3
    clock.advance(hours=3)
    assert client.tokens.key_refused_for_good


async def test_rate_limited_token_request(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """KT-CT-1199 on the token mutation is a rate-limit error."""
    errors = [
        {"message": "Too many requests.", "extensions": {"errorCode": "KT-CT-1199"}}
    ]
    router.add(OBTAIN, None, errors=errors)
    with pytest.raises(OctopusEnergyRateLimitError) as info:
        await client.get_loyalty_points()
    assert info.value.codes == ("KT-CT-1199",)


async def test_valid_token_kept_when_renewal_fails(
    client: OctopusEnergyClient,
    router: GraphQLRouter,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a renewal margin, a failed early renewal keeps the still-valid token."""
    monkeypatch.setattr(auth, "TOKEN_REFRESH_MARGIN", timedelta(minutes=5))
    token = router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    await client.get_loyalty_points()
    clock.advance(minutes=57)
    router.add(OBTAIN, body="down", status=500, repeat=True)
    for _ in range(5):
        await client.get_loyalty_points()
    assert router.last("LoyaltyPoints").headers["Authorization"] == token
    assert router.operations().count(OBTAIN) == 4
    clock.advance(minutes=4)
    with pytest.raises(OctopusEnergyRateLimitError):
        await client.get_loyalty_points()


async def test_refused_token_is_replaced_once(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """A token the API refuses mid-life is replaced and the call retried once."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", None, errors=AUTH_ERROR)
    fresh = router.token(clock() + timedelta(hours=1), marker="2")
    router.add("LoyaltyPoints", POINTS)
    assert await client.get_loyalty_points() == 1200
    assert router.last("LoyaltyPoints").headers["Authorization"] == fresh
    assert token_inputs(router)[1] == {"refreshToken": "refresh-1"}


async def test_refused_twice_raises(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """When the new token is refused too, the auth error is raised."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", None, errors=AUTH_ERROR, repeat=True)
    router.token(clock() + timedelta(hours=1), marker="2")
    with pytest.raises(OctopusEnergyAuthenticationError):
        await client.get_loyalty_points()
    assert router.operations().count("LoyaltyPoints") == 2


async def test_refused_token_renewed_to_the_same_token(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """If the renewal hands back the refused token, the call is not retried."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", None, errors=AUTH_ERROR, repeat=True)
    router.token(clock() + timedelta(hours=1))
    with pytest.raises(OctopusEnergyAuthenticationError):
        await client.get_loyalty_points()
    assert router.operations().count("LoyaltyPoints") == 1


async def test_refused_token_when_renewal_fails(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """If no new token can be had, the original auth error surfaces."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", None, status=401, body='{"detail": "no"}')
    router.add(OBTAIN, body="nope", status=500, repeat=True)
    with pytest.raises(OctopusEnergyServerError):
        await client.get_loyalty_points()


async def test_token_without_exp_lasts_an_hour(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """An opaque token (no readable `exp`) is assumed to last 60 minutes."""
    router.add(
        OBTAIN,
        {"obtainKrakenToken": {"token": "opaque", "refreshExpiresIn": 604800}},
    )
    router.add("LoyaltyPoints", POINTS)
    await client.get_loyalty_points()
    token = client.tokens.token
    assert token is not None
    assert token.expires_at == clock() + timedelta(hours=1)
    assert token.refresh_token is None
    assert token.refresh_expires_at == clock() + timedelta(days=7)


async def test_token_response_without_token(
    client: OctopusEnergyClient, router: GraphQLRouter
) -> None:
    """A token answer without a token is a response error, not a crash."""
    router.add(OBTAIN, {"obtainKrakenToken": None})
    with pytest.raises(OctopusEnergyResponseError, match="no token"):
        await client.get_loyalty_points()


@pytest.mark.parametrize(
    "token",
    ["a.b", "a.!!!.c", "a.eyJleHAiOiAieCJ9.c", "a.WzFd.c"],
)
def test_unreadable_expiry(token: str) -> None:
    """Tokens without a readable `exp` give None."""
    assert token_expiry(token) is None


def test_token_repr_hides_secrets(clock: Clock) -> None:
    """The token's repr shows expiry times only."""
    hidden = "hidden-value"
    token = KrakenToken(
        token=hidden,
        expires_at=clock(),
        refresh_token=hidden,
        refresh_expires_at=None,
    )
    assert hidden not in repr(token)


async def test_nothing_secret_is_logged(
    client: OctopusEnergyClient,
    router: GraphQLRouter,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logs name operations, never the key, tokens or the account."""
    caplog.set_level(logging.DEBUG, "custom_components.octopus_energy")
    token = router.token(clock() + timedelta(minutes=3))
    router.add("LoyaltyPoints", POINTS, repeat=True)
    router.add(OBTAIN, None, errors=AUTH_ERROR, repeat=True)
    await client.get_loyalty_points()
    clock.advance(minutes=3)  # expired: the refresh token and the key are refused
    with pytest.raises(OctopusEnergyAuthenticationError):
        await client.get_loyalty_points()
    assert "obtain_token" in caplog.text
    for secret in (API_KEY, token, "refresh-1"):
        assert secret not in caplog.text
