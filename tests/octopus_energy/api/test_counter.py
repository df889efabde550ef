"""The per-account request counter."""

from __future__ import annotations

from datetime import timedelta

from custom_components.octopus_energy.api import OctopusEnergyClient, RequestCounter

from .conftest import Clock, GraphQLRouter


def test_sliding_hour(clock: Clock) -> None:
    """Requests older than an hour drop out; the lifetime total stays."""
    counter = RequestCounter(clock)
    counter.record("get_account")
    clock.advance(minutes=30)
    counter.record("get_loyalty_points")
    counter.record("get_loyalty_points")
    assert counter.requests_last_hour == 3
    assert counter.by_operation() == {"get_loyalty_points": 2, "get_account": 1}
    clock.advance(minutes=31)
    assert counter.requests_last_hour == 2
    assert counter.as_dict() == {
        "requests_last_hour": 2,
        "by_operation": {"get_loyalty_points": 2},
        "total": 3,
    }
    clock.advance(hours=2)
    assert counter.by_operation() == {}
    assert counter.total == 3


async def test_client_counts_every_request(
    client: OctopusEnergyClient, router: GraphQLRouter, clock: Clock
) -> None:
    """Token, main-host and backend requests are all counted."""
    router.token(clock() + timedelta(hours=1))
    router.add("LoyaltyPoints", {"loyaltyPointLedgers": []})
    router.add("GreenerNightsForecast", {"greenerNightsForecast": []})
    await client.get_loyalty_points()
    await client.get_greener_nights_forecast()
    assert client.request_counter.as_dict() == {
        "requests_last_hour": 3,
        "by_operation": {
            "obtain_token": 1,
            "get_loyalty_points": 1,
            "get_greener_nights_forecast": 1,
        },
        "total": 3,
    }
    assert "api_key" not in repr(client)
