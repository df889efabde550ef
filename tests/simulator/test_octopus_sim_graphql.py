"""Tests of the simulated Octopus GraphQL operations, mutations, faults and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
import json
import time
from typing import Any

from aiohttp import ClientError
from aiohttp.test_utils import TestClient
import pytest

from scripts.simulator.octopus.graphql import schemas
from scripts.simulator.server import Simulator

from . import octopus_support
from .octopus_support import (
    ACCOUNT,
    ACCOUNT_QUERY,
    AGILE,
    API_KEY,
    BACKEND,
    ELEC_MINI,
    EUID,
    EV,
    GAS_MINI,
    IMPORT_CONSUMPTION,
    NOON,
    QUERIES,
    basic,
    codes,
    gql,
    obtain,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

# The shared fixtures, under the names the tests ask for.
auto_enable_custom_integrations = octopus_support.auto_enable_custom_integrations
sim = octopus_support.sim
client = octopus_support.client
token = octopus_support.token


# --- every GraphQL root field answers ------------------------------------------------


@pytest.mark.parametrize("field", sorted(QUERIES))
async def test_every_query_answers(
    client: TestClient[Any, Any], token: str, field: str
) -> None:
    path, query, variables = QUERIES[field]
    status, body = await gql(client, query, variables, token=token, path=path)
    assert status == 200
    assert "errors" not in body, body
    assert all(value not in (None, []) for value in body["data"].values()), body


def test_queries_cover_the_schema() -> None:
    fields = {
        name for schema in schemas().values() for name in schema.query_type.fields
    }
    assert fields == set(QUERIES)


async def test_account_shape(client: TestClient[Any, Any], token: str) -> None:
    _, body = await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token)
    agreements = body["data"]["account"]["electricityAgreements"]
    tariffs = {
        a["tariff"]["tariffCode"]: a["meterPoint"]["direction"] for a in agreements
    }
    assert tariffs == {
        "E-1R-AGILE-24-10-01-C": "IMPORT",
        "E-1R-OUTGOING-FIX-12M-19-05-13-C": "EXPORT",
    }
    _, body = await gql(
        client,
        "query ($n: String!) { account(accountNumber: $n) { gasAgreements { "
        "tariff { tariffCode } meterPoint { mprn agreements(includeInactive: true) "
        "{ validTo } meters { consumptionUnits smartGasMeter { deviceId } } } } "
        "electricityAgreements { meterPoint { agreements(includeInactive: true) "
        "{ validTo } } } } }",
        {"n": ACCOUNT},
        token=token,
    )
    gas = body["data"]["account"]["gasAgreements"][0]
    assert gas["meterPoint"]["meters"][0]["smartGasMeter"]["deviceId"] == GAS_MINI
    history = body["data"]["account"]["electricityAgreements"]
    assert len(history) == 3  # without `active`, past agreements too


TELEMETRY = (
    "query ($d: String!, $s: DateTime, $e: DateTime, $g: TelemetryGrouping) "
    "{ smartMeterTelemetry(deviceId: $d, start: $s, end: $e, grouping: $g) "
    "{ readAt consumption consumptionDelta demand export } }"
)


async def test_telemetry_moves_and_adds_up(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    variables = {
        "d": ELEC_MINI,
        "s": "2026-11-23T09:00:00Z",
        "e": "2026-11-23T12:00:00Z",
        "g": "HALF_HOURLY",
    }
    _, body = await gql(client, TELEMETRY, variables, token=token)
    rows = body["data"]["smartMeterTelemetry"]
    assert len(rows) == 6
    assert rows[0]["readAt"] == "2026-11-23T09:00:00+00:00"
    for before, after in itertools.pairwise(rows):
        step = float(after["consumption"]) - float(before["consumption"])
        assert step == pytest.approx(float(after["consumptionDelta"]), abs=1e-3)
    _, body = await gql(client, TELEMETRY, {"d": ELEC_MINI}, token=token)
    first = body["data"]["smartMeterTelemetry"][0]
    sim.clock.set(NOON + timedelta(minutes=3), freeze=True)
    _, body = await gql(client, TELEMETRY, {"d": ELEC_MINI}, token=token)
    later = body["data"]["smartMeterTelemetry"][0]
    assert later["demand"] != first["demand"]
    assert float(later["consumption"]) > float(first["consumption"])
    _, body = await gql(client, TELEMETRY, {"d": GAS_MINI}, token=token)
    assert body["data"]["smartMeterTelemetry"][0]["demand"] is None
    variables = {"d": ELEC_MINI, "s": "2026-11-01T00:00:00Z", "g": "TEN_SECONDS"}
    _, body = await gql(client, TELEMETRY, variables, token=token)
    assert codes(body) == ["KT-CT-1189"]
    _, body = await gql(client, TELEMETRY, {"d": "unknown"}, token=token)
    assert codes(body) == ["KT-CT-1111"]


# --- mutations change the state ------------------------------------------------------


async def test_join_saving_session(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    path, query, variables = QUERIES["savingSessions"]
    _, body = await gql(client, query, variables, token=token, path=path)
    upcoming = [
        e
        for e in body["data"]["savingSessions"]["events"]
        if e["startAt"] > NOON.isoformat() and e["code"].startswith("EVENT-")
    ]
    assert upcoming
    join = (
        "mutation ($input: JoinSavingSessionsEventInput!) "
        "{ joinSavingSessionsEvent(input: $input) { joinedEventCodes } }"
    )
    code = upcoming[0]["code"]
    _, body = await gql(
        client,
        join,
        {"input": {"accountNumber": ACCOUNT, "eventCode": code}},
        token=token,
        path=BACKEND,
    )
    assert body["data"]["joinSavingSessionsEvent"]["joinedEventCodes"] == [code]
    _, body = await gql(client, query, variables, token=token, path=path)
    joined = body["data"]["savingSessions"]["account"]["joinedEvents"]
    assert [e["eventId"] for e in joined] == [upcoming[0]["id"]]
    _, body = await gql(
        client,
        join,
        {"input": {"accountNumber": ACCOUNT, "eventCode": "EVENT-19990101"}},
        token=token,
        path=BACKEND,
    )
    assert codes(body) == ["OE-1305"]
    # the reward arrives a day after the session and lands in the points ledger
    sim.clock.set(
        datetime.fromisoformat(upcoming[0]["endAt"]) + timedelta(days=1), freeze=True
    )
    token = (await obtain(client))["data"]["obtainKrakenToken"]["token"]
    _, body = await gql(client, QUERIES["loyaltyPointLedgers"][1], token=token)
    assert len(body["data"]["loyaltyPointLedgers"]) == 3


async def test_power_up_and_regional_sessions(
    client: TestClient[Any, Any], token: str
) -> None:
    """Power Ups (0 points) and other regions' sessions are listed, not joinable."""
    path, query, variables = QUERIES["savingSessions"]
    _, body = await gql(client, query, variables, token=token, path=path)
    events = body["data"]["savingSessions"]["events"]
    free = [e for e in events if e["code"].startswith("POWERUP-")]
    regional = [e for e in events if e["code"].startswith("REGIONAL-")]
    assert free
    assert all(e["rewardPerKwhInOctoPoints"] == 0 for e in free)
    assert regional
    assert all(e["targetRegion"] == {"regionId": "P"} for e in regional)
    join = (
        "mutation ($input: JoinSavingSessionsEventInput!) "
        "{ joinSavingSessionsEvent(input: $input) { joinedEventCodes } }"
    )
    for event, code in ((free[-1], "OE-1305"), (regional[-1], "OE-1306")):
        _, body = await gql(
            client,
            join,
            {"input": {"accountNumber": ACCOUNT, "eventCode": event["code"]}},
            token=token,
            path=BACKEND,
        )
        if event["startAt"] > NOON.isoformat():
            assert codes(body) == [code]


async def test_spin_the_wheel(client: TestClient[Any, Any], token: str) -> None:
    spin = (
        "mutation ($input: WheelOfFortuneSpinInput!) "
        "{ spinWheelOfFortune(input: $input) { prize { value } } }"
    )
    variables = {"input": {"accountNumber": ACCOUNT, "fuelType": "GAS"}}
    _, body = await gql(client, spin, variables, token=token, path=BACKEND)
    assert body["data"]["spinWheelOfFortune"]["prize"]["value"] == 5
    _, body = await gql(client, spin, variables, token=token, path=BACKEND)
    assert codes(body) == ["SIM-NO-SPINS"]
    spins = QUERIES["wheelOfFortuneSpinsAllowed"][1].replace("ELECTRICITY", "GAS")
    _, body = await gql(client, spins, {"n": ACCOUNT}, token=token, path=BACKEND)
    assert body["data"]["electricity"]["spinsAllowed"] == 0


async def test_redeem_points(client: TestClient[Any, Any], token: str) -> None:
    redeem = (
        "mutation ($n: String!, $p: Int!) { redeemLoyaltyPointsForAccountCredit("
        "input: {accountNumber: $n, points: $p}) { pointsRedeemed } }"
    )
    _, body = await gql(client, redeem, {"n": ACCOUNT, "p": 80}, token=token)
    assert body["data"]["redeemLoyaltyPointsForAccountCredit"]["pointsRedeemed"] == 80
    _, body = await gql(client, QUERIES["loyaltyPointLedgers"][1], token=token)
    assert body["data"]["loyaltyPointLedgers"][0]["balanceCarriedForward"] == "440"
    _, body = await gql(client, redeem, {"n": ACCOUNT, "p": 8000}, token=token)
    assert codes(body) == ["KT-CT-9202"]
    _, body = await gql(client, redeem, {"n": ACCOUNT, "p": 7}, token=token)
    assert codes(body) == ["KT-CT-9201"]


DEVICE_STATE = (
    "query ($n: String!, $d: String!) { devices(accountNumber: $n, deviceId: $d) "
    "{ status { currentState isSuspended } preferences { schedules { time max } } } "
    "flexPlannedDispatches(deviceId: $d) { type start end } }"
)


async def _device(client: TestClient[Any, Any], token: str) -> dict[str, Any]:
    _, body = await gql(client, DEVICE_STATE, {"n": ACCOUNT, "d": EV}, token=token)
    return body["data"]


async def test_boost_and_cancel(client: TestClient[Any, Any], token: str) -> None:
    boost = (
        "mutation ($input: UpdateBoostChargeInput!) "
        "{ updateBoostCharge(input: $input) { id } }"
    )
    data = await _device(client, token)
    assert data["devices"][0]["status"]["currentState"] == "SMART_CONTROL_CAPABLE"
    variables = {"input": {"deviceId": EV, "action": "BOOST"}}
    _, body = await gql(client, boost, variables, token=token)
    assert body["data"]["updateBoostCharge"]["id"] == EV
    data = await _device(client, token)
    assert data["devices"][0]["status"]["currentState"] == "BOOSTING"
    assert next(d["type"] for d in data["flexPlannedDispatches"]) == "BOOST"
    _, body = await gql(client, boost, variables, token=token)
    assert body["errors"][0]["extensions"]["boostChargeRefusalReasons"] == [
        "BC_BOOST_CHARGE_IN_PROGRESS"
    ]
    variables = {"input": {"deviceId": EV, "action": "CANCEL"}}
    await gql(client, boost, variables, token=token)
    data = await _device(client, token)
    assert data["devices"][0]["status"]["currentState"] == "SMART_CONTROL_CAPABLE"


async def test_suspend_and_preferences(
    client: TestClient[Any, Any], token: str
) -> None:
    control = (
        "mutation ($input: SmartControlInput!) "
        "{ updateDeviceSmartControl(input: $input) { id } }"
    )
    await gql(
        client, control, {"input": {"deviceId": EV, "action": "SUSPEND"}}, token=token
    )
    data = await _device(client, token)
    assert data["devices"][0]["status"] == {
        "currentState": "SMART_CONTROL_OFF",
        "isSuspended": True,
    }
    assert data["flexPlannedDispatches"] == []
    prefs = (
        "mutation ($input: SmartFlexDevicePreferencesInput!) "
        "{ setDevicePreferences(input: $input) { id } }"
    )
    schedule = [{"dayOfWeek": "MONDAY", "time": "06:30", "max": 90}]
    variables = {
        "input": {
            "deviceId": EV,
            "mode": "CHARGE",
            "unit": "PERCENTAGE",
            "schedules": schedule,
        }
    }
    _, body = await gql(client, prefs, variables, token=token)
    assert "errors" not in body
    data = await _device(client, token)
    assert data["devices"][0]["preferences"]["schedules"] == [
        {"time": "06:30", "max": "90"}
    ]
    schedule[0]["max"] = 5
    _, body = await gql(client, prefs, variables, token=token)
    assert codes(body) == ["KT-CT-4177"]
    schedule[0]["time"] = "25:00"
    status, _ = await gql(client, prefs, variables, token=token)
    assert status == 400


async def test_planned_dispatch_error(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    sim.state["octopus"]["account"]["devices"][0]["planned_dispatches_error"] = True
    _, body = await gql(client, DEVICE_STATE, {"n": ACCOUNT, "d": EV}, token=token)
    assert codes(body) == ["KT-CT-4340"]
    assert body["data"]["devices"]


async def test_dispatches_follow_the_clock(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    sim.clock.set(datetime(2026, 11, 23, 23, 45, tzinfo=UTC), freeze=True)
    token = (await obtain(client))["data"]["obtainKrakenToken"]["token"]
    data = await _device(client, token)
    assert data["devices"][0]["status"]["currentState"] == "SMART_CONTROL_IN_PROGRESS"
    assert data["flexPlannedDispatches"][0]["start"] == "2026-11-23T23:30:00+00:00"


HEAT_PUMP = QUERIES["heatPumpControllerConfiguration"]


async def _heat_pump(client: TestClient[Any, Any], token: str) -> dict[str, Any]:
    _, body = await gql(client, HEAT_PUMP[1], HEAT_PUMP[2], token=token, path=BACKEND)
    return body["data"]["heatPumpControllerConfiguration"]


async def test_heat_pump_mutations(client: TestClient[Any, Any], token: str) -> None:
    zone_mode = (
        "mutation ($n: String!, $e: ID!, $p: SetZoneModeParameters!) "
        "{ heatPumpSetZoneMode(accountNumber: $n, euid: $e, operationParameters: $p) "
        "{ transactionId } }"
    )
    boost = {
        "zone": "WATER",
        "mode": "BOOST",
        "setpointInCelsius": 55,
        "endAt": "2026-11-23T13:00:00Z",
    }
    _, body = await gql(
        client,
        zone_mode,
        {"n": ACCOUNT, "e": EUID, "p": boost},
        token=token,
        path=BACKEND,
    )
    assert body["data"]["heatPumpSetZoneMode"]["transactionId"]
    zones = {
        z["configuration"]["code"]: z["configuration"]
        for z in (await _heat_pump(client, token))["zones"]
    }
    assert zones["WATER"]["currentOperation"]["mode"] == "BOOST"
    bad = {"zone": "ZONE_1", "mode": "ON", "setpointInCelsius": 45}
    _, body = await gql(
        client,
        zone_mode,
        {"n": ACCOUNT, "e": EUID, "p": bad},
        token=token,
        path=BACKEND,
    )
    assert codes(body) == ["OE-0315"]
    flow = (
        "mutation ($n: String!, $e: ID!, $f: FlowTemperatureInput!) "
        "{ heatPumpUpdateFlowTemperatureConfiguration(accountNumber: $n, euid: $e, "
        "flowTemperatureInput: $f) { transactionIds { attributeName transactionId } } }"
    )
    fixed = {
        "useWeatherCompensation": False,
        "flowTemperature": {"value": "50", "unit": "DEGREES_CELSIUS"},
    }
    _, body = await gql(
        client, flow, {"n": ACCOUNT, "e": EUID, "f": fixed}, token=token, path=BACKEND
    )
    assert "errors" not in body
    hush = (
        "mutation ($n: String!, $e: ID!) { heatPumpSetHushMode(accountNumber: $n, "
        "euid: $e, hushModeEnabled: true) { transactionId } }"
    )
    await gql(client, hush, {"n": ACCOUNT, "e": EUID}, token=token, path=BACKEND)
    config = await _heat_pump(client, token)
    assert config["heatPump"]["weatherCompensation"]["enabled"] is False
    assert (
        config["heatPump"]["heatingFlowTemperature"]["currentTemperature"]["value"]
        == "50.0000"
    )
    assert config["heatPump"]["quieterModeEnabled"] is True
    assert "QUIET" in config["controller"]["state"]


# --- faults and request counting ------------------------------------------------------


async def _fault(client: TestClient[Any, Any], **fault: Any) -> None:
    response = await client.post("/_sim/faults", json=fault)
    assert response.status == 200


async def test_rest_faults(client: TestClient[Any, Any]) -> None:
    rates = f"{AGILE}/standard-unit-rates/"
    await _fault(
        client, kind="server_error", operation="octopus.rest.rates", remaining=1
    )
    assert (await client.get(rates)).status == 500
    assert (await client.get(rates)).status == 200
    await _fault(client, kind="html_403", operation="octopus.rest", remaining=1)
    response = await client.get(rates)
    assert (response.status, response.content_type) == (403, "text/html")
    await _fault(
        client, kind="rate_limit", operation="octopus.rest", remaining=1, retry_after=30
    )
    response = await client.get(rates)
    assert (response.status, response.headers["Retry-After"]) == (429, "30")
    await _fault(client, kind="malformed", operation="octopus.rest", remaining=1)
    response = await client.get(rates)
    with pytest.raises(ValueError, match="Expecting"):
        json.loads(await response.text())
    await _fault(client, kind="slow", operation="octopus.rest", remaining=1, delay=0.3)
    started = time.monotonic()
    assert (await client.get(rates)).status == 200
    assert time.monotonic() - started >= 0.3
    await _fault(client, kind="refuse", operation="octopus.rest", remaining=1)
    with pytest.raises(ClientError):
        await client.get(rates)


async def test_graphql_faults(client: TestClient[Any, Any], token: str) -> None:
    await _fault(client, kind="rate_limit", operation="octopus.token", remaining=1)
    assert codes(await obtain(client)) == ["KT-CT-1199"]
    await _fault(client, kind="auth", operation="octopus.graphql.Account", remaining=1)
    _, body = await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token)
    assert codes(body) == ["KT-CT-1139"]
    await _fault(client, kind="server_error", operation="octopus.graphql", remaining=1)
    status, _ = await gql(
        client, QUERIES["savingSessions"][1], {"n": ACCOUNT}, token=token, path=BACKEND
    )
    assert status == 500
    _, body = await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token)
    assert "errors" not in body


async def test_request_counting(client: TestClient[Any, Any], token: str) -> None:
    await client.delete("/_sim/requests")
    await gql(client, ACCOUNT_QUERY, {"n": ACCOUNT}, token=token)
    await gql(client, "{ electricVehicles { make } }", token=token)
    await obtain(client)
    await client.get(f"{AGILE}/standard-unit-rates/")
    await client.get(f"{AGILE}/standing-charges/")
    await client.get("/octopus/v1/products/AGILE-24-10-01/")
    await client.get(IMPORT_CONSUMPTION, headers=basic(API_KEY))
    counts = await (await client.get("/_sim/requests")).json()
    assert {k: v for k, v in counts["counts"].items() if k.startswith("octopus")} == {
        "octopus.graphql.Account": 1,
        "octopus.graphql.electricVehicles": 1,
        "octopus.token": 1,
        "octopus.rest.rates": 1,
        "octopus.rest.standing_charges": 1,
        "octopus.rest.products": 1,
        "octopus.rest.consumption": 1,
    }


async def test_reset_restores_the_scenario(
    client: TestClient[Any, Any], sim: Simulator, token: str
) -> None:
    sim.state["octopus"]["account"]["wheel_of_fortune"]["spins"]["GAS"] = 0
    await client.post("/_sim/reset")
    assert sim.state["octopus"]["account"]["wheel_of_fortune"]["spins"]["GAS"] == 1
    state = await (await client.get("/_sim/state")).json()
    assert state["octopus"]["account"]["number"] == ACCOUNT
