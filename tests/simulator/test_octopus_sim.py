"""Tests of the simulated Octopus Energy API: tokens, validation and REST."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
import pytest

from scripts.simulator.server import Simulator

from . import octopus_support
from .octopus_support import (
    ACCOUNT,
    ACCOUNT_QUERY,
    AGILE,
    API,
    API_KEY,
    BACKEND,
    EUID,
    IMPORT_CONSUMPTION,
    NOON,
    OBTAIN_MUTATION,
    basic,
    claims,
    codes,
    gql,
    obtain,
    relative,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

# The shared fixtures, under the names the tests ask for.
auto_enable_custom_integrations = octopus_support.auto_enable_custom_integrations
sim = octopus_support.sim
client = octopus_support.client
token = octopus_support.token


# --- tokens and authentication ---------------------------------------------------


async def test_token_lifetimes(client: TestClient[Any, Any]) -> None:
    answer = (await obtain(client))["data"]["obtainKrakenToken"]
    payload = claims(answer["token"])
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["iat"] == int(NOON.timestamp())
    assert answer["payload"] == payload
    assert answer["refreshExpiresIn"] == int((NOON + timedelta(days=7)).timestamp())


async def test_refresh_token_keeps_its_expiry(
    client: TestClient[Any, Any], sim: Simulator
) -> None:
    first = (await obtain(client))["data"]["obtainKrakenToken"]
    sim.clock.set(NOON + timedelta(hours=2), freeze=True)
    second = (await obtain(client, refreshToken=first["refreshToken"]))["data"]
    again = second["obtainKrakenToken"]
    assert again["refreshToken"] == first["refreshToken"]
    assert again["refreshExpiresIn"] == first["refreshExpiresIn"]
    assert claims(again["token"])["iat"] == int(sim.clock.now().timestamp())
    sim.clock.set(NOON + timedelta(days=7, seconds=1), freeze=True)
    assert codes(await obtain(client, refreshToken=first["refreshToken"])) == [
        "KT-CT-1134"
    ]
    assert codes(await obtain(client, refreshToken="nonsense")) == ["KT-CT-1135"]


async def test_bad_api_key(client: TestClient[Any, Any]) -> None:
    body = await obtain(client, APIKey="sk_live_wrong")
    assert codes(body) == ["KT-CT-1139"]
    assert body["data"] == {"obtainKrakenToken": None}
    assert body["errors"][0]["message"] == "Authentication failed."
    assert codes(await obtain(client, email="a@b.c", password="x")) == ["KT-CT-1138"]  # noqa: S106


@pytest.mark.parametrize(
    ("header", "path", "expected"),
    [
        (None, API, "KT-CT-1112"),
        ("garbage", API, "KT-CT-1111"),
        (None, BACKEND, "OE-0101"),
        ("garbage", BACKEND, "OE-0102"),
    ],
)
async def test_authorization_required(
    client: TestClient[Any, Any], header: str | None, path: str, expected: str
) -> None:
    query = (
        ACCOUNT_QUERY
        if path == API
        else "query W($n: String!) { wheelOfFortuneSpinsAllowed("
        "accountNumber: $n, fuelType: GAS) { spinsAllowed } }"
    )
    status, body = await gql(client, query, {"n": ACCOUNT}, token=header, path=path)
    assert status == 200
    assert codes(body) == [expected]


async def test_expired_token(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    sim.clock.set(NOON + timedelta(minutes=59), freeze=True)
    assert (
        codes((await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token))[1]) == []
    )
    sim.clock.set(NOON + timedelta(minutes=60), freeze=True)
    _, body = await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token)
    assert codes(body) == ["KT-CT-1124"]
    _, body = await gql(
        client,
        "query { greenerNightsForecast { date } heatPumpControllerStatus("
        f'accountNumber: "{ACCOUNT}", euid: "{EUID}") {{ zones {{ zone }} }} }}',
        token=token,
        path=BACKEND,
    )
    assert codes(body) == ["OE-0104"]
    assert body["data"]["greenerNightsForecast"]


async def test_jwt_prefix_and_foreign_account(
    client: TestClient[Any, Any], token: str
) -> None:
    _, body = await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=f"JWT {token}")
    assert body["data"]["account"]["electricityAgreements"]
    _, body = await gql(client, ACCOUNT_QUERY, {"n": "A-BBBB2222"}, token=token)
    assert codes(body) == ["KT-CT-1111"]
    assert body["data"] == {"account": None}


# --- GraphQL validation against the schema ----------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (
            'query { account(accountNumber: "A") { balanceInPounds } }',
            {},
            "Cannot query field 'balanceInPounds' on type 'AccountType'.",
        ),
        (
            'query { account(accountNumber: "A", region: "C") { number } }',
            {},
            "Unknown argument 'region' on field 'Query.account'.",
        ),
        (
            "query ($n: Int!) { account(accountNumber: $n) { number } }",
            {"n": 1},
            "Variable '$n' of type 'Int!' used in position expecting type 'String!'.",
        ),
        (
            "query { savingSessions { events { code } } }",
            {},
            "Cannot query field 'savingSessions' on type 'Query'.",
        ),
        (
            "query { account { number } }",
            {},
            "of type 'String!' is required",
        ),
        (
            (
                'mutation { setDevicePreferences(input: {deviceId: "x", mode: CHARGE, '
                'unit: PERCENTAGE, schedules: [{dayOfWeek: MONDAY, time: "07:00", '
                "max: 23.0}]}) { id } }"
            ),
            {},
            "Expected value of type 'Decimal",
        ),
        ("query { account(", {}, "Syntax Error"),
    ],
)
async def test_invalid_documents_fail_validation(
    client: TestClient[Any, Any], query: str, variables: dict[str, Any], message: str
) -> None:
    status, body = await gql(client, query, variables, token="x")  # noqa: S106
    assert status == 400
    assert "data" not in body
    assert any(message in error["message"] for error in body["errors"]), body
    assert all("locations" in error for error in body["errors"])


async def test_variable_of_wrong_shape(
    client: TestClient[Any, Any], token: str
) -> None:
    status, body = await gql(
        client,
        OBTAIN_MUTATION,
        {"input": {"APIKey": API_KEY, "apiKey": API_KEY}},
    )
    assert status == 400
    assert "apiKey" in body["errors"][0]["message"]
    status, body = await gql(client, "{ __typename }", None)
    assert (status, body["data"]) == (200, {"__typename": "Query"})
    response = await client.post(API, data="not json")
    assert response.status == 400


async def test_backend_fields_not_on_main_host(
    client: TestClient[Any, Any], token: str
) -> None:
    status, _ = await gql(
        client, "query { greenerNightsForecast { date } }", token=token
    )
    assert status == 400
    status, _ = await gql(
        client, "query { loyaltyPointLedgers { value } }", token=token, path=BACKEND
    )
    assert status == 400


# --- REST: products, rates, pagination, periods ------------------------------------


async def test_product_links_lead_to_rates(client: TestClient[Any, Any]) -> None:
    response = await client.get("/octopus/v1/products/AGILE-24-10-01/")
    product = await response.json()
    tariff = product["single_register_electricity_tariffs"]["_C"][
        "direct_debit_monthly"
    ]
    assert tariff["code"] == "E-1R-AGILE-24-10-01-C"
    assert product["dual_register_electricity_tariffs"] == {}
    links = {link["rel"]: link["href"] for link in tariff["links"]}
    assert set(links) == {"standard_unit_rates", "standing_charges"}
    response = await client.get(relative(links["standard_unit_rates"]))
    assert response.status == 200
    same = await client.get("/octopus/v1/products/AGILE-24-10-01")
    assert (await same.json())["code"] == "AGILE-24-10-01"
    missing = await client.get("/octopus/v1/products/NOPE-1/")
    assert missing.status == 404
    assert (await missing.json()) == {
        "detail": "No EnergyProduct matches the given query."
    }


async def _rates(
    client: TestClient[Any, Any], path: str, **params: str
) -> dict[str, Any]:
    response = await client.get(path, params=params)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_agile_pagination(client: TestClient[Any, Any]) -> None:
    period = {
        "period_from": "2026-11-01T00:00:00Z",
        "period_to": "2026-11-05T00:00:00Z",
    }
    first = await _rates(client, f"{AGILE}/standard-unit-rates/", **period)
    assert first["count"] == 192
    assert len(first["results"]) == 100
    assert first["previous"] is None
    assert first["results"][0]["valid_from"] == "2026-11-04T23:30:00Z"
    second = await _rates(client, relative(first["next"]))
    assert second["next"] is None
    assert len(second["results"]) == 92
    assert second["previous"] is not None
    rows = first["results"] + second["results"]
    starts = [row["valid_from"] for row in rows]
    assert starts == sorted(starts, reverse=True)
    assert len(set(starts)) == 192
    assert all(row["payment_method"] is None for row in rows)
    assert any(row["value_inc_vat"] < 0 for row in await _agile_month(client))
    page = await _rates(
        client, f"{AGILE}/standard-unit-rates/", page_size="1500", **period
    )
    assert len(page["results"]) == 192
    bad = await client.get(
        f"{AGILE}/standard-unit-rates/", params={**period, "page": "9"}
    )
    assert bad.status == 404


async def _agile_month(client: TestClient[Any, Any]) -> list[dict[str, Any]]:
    body = await _rates(
        client,
        f"{AGILE}/standard-unit-rates/",
        period_from="2026-10-01T00:00:00Z",
        period_to="2026-11-01T00:00:00Z",
        page_size="1500",
    )
    return body["results"]


async def test_agile_prices_are_deterministic(
    client: TestClient[Any, Any], sim: Simulator
) -> None:
    before = await _agile_month(client)
    sim.reset()
    sim.clock.set(NOON + timedelta(days=3), freeze=True)
    assert await _agile_month(client) == before


@pytest.mark.parametrize(
    ("local_now", "last_end"),
    [
        # Before 16:00 UK the Agile rates end at 23:00 UK today, from 16:00 at
        # 23:00 UK tomorrow (GMT in winter, BST in summer).
        ("2026-11-23T00:10:00+00:00", "2026-11-23T23:00:00Z"),
        ("2026-11-23T15:59:00+00:00", "2026-11-23T23:00:00Z"),
        ("2026-11-23T16:00:00+00:00", "2026-11-24T23:00:00Z"),
        ("2026-11-23T23:30:00+00:00", "2026-11-24T23:00:00Z"),
        ("2026-06-10T15:59:00+01:00", "2026-06-10T22:00:00Z"),
        ("2026-06-10T16:00:00+01:00", "2026-06-11T22:00:00Z"),
    ],
)
async def test_agile_published_up_to_23_uk(
    client: TestClient[Any, Any], sim: Simulator, local_now: str, last_end: str
) -> None:
    sim.clock.set(datetime.fromisoformat(local_now), freeze=True)
    body = await _rates(
        client, f"{AGILE}/standard-unit-rates/", period_from="2026-06-01T00:00:00Z"
    )
    assert body["results"][0]["valid_to"] == last_end


@pytest.mark.parametrize(
    ("local_now", "published_from", "last_end", "slots"),
    [
        # The eve of the spring change: 23:00 GMT to 23:00 BST is 23 hours.
        ("2026-03-28T15:59:00+00:00", "2026-03-28T23:00:00Z", None, 0),
        (
            "2026-03-28T16:00:00+00:00",
            "2026-03-28T23:00:00Z",
            "2026-03-29T22:00:00Z",
            46,
        ),
        # The eve of the autumn change: 23:00 BST to 23:00 GMT is 25 hours.
        ("2026-10-24T15:59:00+01:00", "2026-10-24T22:00:00Z", None, 0),
        (
            "2026-10-24T16:00:00+01:00",
            "2026-10-24T22:00:00Z",
            "2026-10-25T23:00:00Z",
            50,
        ),
        # On the change days themselves the next block is an ordinary 48.
        (
            "2026-03-29T16:00:00+01:00",
            "2026-03-29T22:00:00Z",
            "2026-03-30T22:00:00Z",
            48,
        ),
        (
            "2026-10-25T16:00:00+00:00",
            "2026-10-25T23:00:00Z",
            "2026-10-26T23:00:00Z",
            48,
        ),
    ],
)
async def test_agile_publication_across_clock_changes(
    client: TestClient[Any, Any],
    sim: Simulator,
    local_now: str,
    published_from: str,
    last_end: str | None,
    slots: int,
) -> None:
    sim.clock.set(datetime.fromisoformat(local_now), freeze=True)
    body = await _rates(
        client, f"{AGILE}/standard-unit-rates/", period_from=published_from
    )
    assert body["count"] == slots
    if last_end is not None:
        assert body["results"][0]["valid_to"] == last_end
        assert body["results"][-1]["valid_from"] == published_from


@pytest.mark.parametrize(
    ("start", "end", "slots"),
    [
        ("2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z", 46),
        ("2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", 50),
        ("2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z", 48),
    ],
)
async def test_clock_change_days(
    client: TestClient[Any, Any], start: str, end: str, slots: int
) -> None:
    body = await _rates(
        client, f"{AGILE}/standard-unit-rates/", period_from=start, period_to=end
    )
    assert body["count"] == slots
    response = await client.get(
        IMPORT_CONSUMPTION,
        params={"period_from": start, "period_to": end, "page_size": "100"},
        headers=basic(API_KEY),
    )
    consumption = await response.json()
    assert consumption["count"] == slots
    assert (
        consumption["results"][-1]["interval_start"].startswith(start[:10])
        or slots == 50
    )


async def test_fixed_day_night_gas_and_standing_charges(
    client: TestClient[Any, Any],
) -> None:
    product = "/octopus/v1/products/VAR-22-11-01"
    dual = f"{product}/electricity-tariffs/E-2R-VAR-22-11-01-A"
    period = {
        "period_from": "2026-01-01T00:00:00Z",
        "period_to": "2026-01-02T00:00:00Z",
    }
    for kind in ("day-unit-rates", "night-unit-rates", "standing-charges"):
        body = await _rates(client, f"{dual}/{kind}/", **period)
        assert {row["payment_method"] for row in body["results"]} == {
            "DIRECT_DEBIT",
            "NON_DIRECT_DEBIT",
        }
        assert body["results"][0]["valid_to"] is None
    gas = await _rates(
        client, f"{product}/gas-tariffs/G-1R-VAR-22-11-01-C/standard-unit-rates/"
    )
    assert gas["count"] == 4
    wrong = await client.get(
        f"{product}/gas-tariffs/E-1R-VAR-22-11-01-C/standard-unit-rates/"
    )
    assert wrong.status == 404
    missing = await client.get(f"{dual}/standard-unit-rates/")
    assert missing.status == 404
    bad = await client.get(
        f"{dual}/day-unit-rates/", params={"period_from": "yesterday"}
    )
    assert bad.status == 400
    assert await bad.json() == {"period_from": ["Enter a valid date/time."]}


async def test_consumption_needs_basic_auth(client: TestClient[Any, Any]) -> None:
    assert (await client.get(IMPORT_CONSUMPTION)).status == 401
    wrong = await client.get(IMPORT_CONSUMPTION, headers=basic("sk_live_wrong"))
    assert wrong.status == 401
    assert await wrong.json() == {"detail": "Invalid API key."}
    unknown = await client.get(
        IMPORT_CONSUMPTION.replace("22L0000001", "XXX"), headers=basic(API_KEY)
    )
    assert unknown.status == 404


async def _consumption(
    client: TestClient[Any, Any], path: str, **params: str
) -> dict[str, Any]:
    response = await client.get(path, params=params, headers=basic(API_KEY))
    assert response.status == 200, await response.text()
    return await response.json()


async def test_consumption_arrives_a_day_late(client: TestClient[Any, Any]) -> None:
    latest = await _consumption(client, IMPORT_CONSUMPTION, page_size="52")
    assert len(latest["results"]) == 52
    assert latest["results"][0]["interval_end"] == "2026-11-23T00:00:00Z"
    summer = await _consumption(
        client,
        IMPORT_CONSUMPTION,
        period_from="2026-06-01T00:00:00Z",
        period_to="2026-06-01T01:00:00Z",
        order_by="period",
    )
    assert [row["interval_start"] for row in summer["results"]] == [
        "2026-06-01T01:00:00+01:00",
        "2026-06-01T01:30:00+01:00",
    ]
    gas = await _consumption(
        client, "/octopus/v1/gas-meter-points/3000000001/meters/G4A0000001/consumption"
    )
    assert 0 < gas["results"][0]["consumption"] < 1
    export = await _consumption(
        client,
        "/octopus/v1/electricity-meter-points/1200000000002/meters/22L0000001/consumption/",
        period_from="2026-06-01T00:00:00Z",
        period_to="2026-06-02T00:00:00Z",
    )
    night = [
        r["consumption"] for r in export["results"] if r["interval_start"][11:13] < "05"
    ]
    assert sum(night) == 0
    assert max(r["consumption"] for r in export["results"]) > 1


async def test_consumption_pages_through(client: TestClient[Any, Any]) -> None:
    period = {
        "period_from": "2026-11-01T00:00:00Z",
        "period_to": "2026-11-03T00:00:00Z",
    }
    seen: list[str] = []
    page = await _consumption(client, IMPORT_CONSUMPTION, page_size="40", **period)
    while True:
        seen.extend(row["interval_start"] for row in page["results"])
        if page["next"] is None:
            break
        response = await client.get(relative(page["next"]), headers=basic(API_KEY))
        page = await response.json()
    assert page["count"] == 96
    assert len(seen) == len(set(seen)) == 96


async def test_rate_requests_are_logged_with_their_tariff(
    client: TestClient[Any, Any], sim: Simulator
) -> None:
    await _rates(client, f"{AGILE}/standard-unit-rates/")
    await _rates(client, f"{AGILE}/standing-charges/")
    unit_rates, charges = list(sim.faults.log)[-2:]
    assert unit_rates.operation == "octopus.rest.rates"
    assert unit_rates.target == "standard-unit-rates/E-1R-AGILE-24-10-01-C"
    assert charges.operation == "octopus.rest.standing_charges"
    assert charges.target == "standing-charges/E-1R-AGILE-24-10-01-C"
    response = await client.get(IMPORT_CONSUMPTION, headers=basic(API_KEY))
    assert response.status == 200
    assert sim.faults.log[-1].target == ""
