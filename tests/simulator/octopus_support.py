"""Fixtures, constants and helpers shared by the Octopus simulator tests."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime
import json
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
import pytest
from yarl import URL

from scripts.simulator.server import Simulator, create_app

API_KEY = "sk_live_simulatorAAAA1111"
ACCOUNT = "A-AAAA1111"
EV = "00000000-0000-0000-0000-00000000ev01"
EUID = "00:00:00:00:00:00:00:a1"
ELEC_MINI = "00-00-00-00-00-00-E1-01"
GAS_MINI = "00-00-00-00-00-00-G1-01"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
API = "/octopus/v1/graphql/"
BACKEND = "/octopus-backend/v1/graphql/"
AGILE = "/octopus/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C"
IMPORT_CONSUMPTION = (
    "/octopus/v1/electricity-meter-points/1200000000001/meters/22L0000001/consumption/"
)
OBTAIN_MUTATION = """
mutation Token($input: ObtainJSONWebTokenInput!) {
  obtainKrakenToken(input: $input) { token payload refreshToken refreshExpiresIn }
}"""
ACCOUNT_QUERY = """
query Account($n: String!) {
  account(accountNumber: $n) {
    electricityAgreements(active: true) {
      validFrom
      tariff { ... on TariffType { productCode tariffCode } }
      meterPoint { mpan direction meters(includeInactive: false) { serialNumber } }
    }
  }
}"""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The simulator needs no Home Assistant instance."""


@pytest.fixture
def sim() -> Simulator:
    """A simulator frozen at noon UTC on a winter Monday."""
    simulator = Simulator()
    simulator.clock.set(NOON, freeze=True)
    return simulator


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[TestClient[Any, Any]]:
    """An HTTP client of the simulator on 127.0.0.1."""
    async with TestClient(TestServer(create_app(sim), host="127.0.0.1")) as test_client:
        yield test_client


async def gql(
    client: TestClient[Any, Any],
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    path: str = API,
) -> tuple[int, dict[str, Any]]:
    """POST a GraphQL document; return status and body."""
    headers = {"Authorization": token} if token else {}
    body = {"query": query, "variables": variables or {}}
    response = await client.post(path, json=body, headers=headers)
    return response.status, await response.json()


async def obtain(client: TestClient[Any, Any], **token_input: str) -> dict[str, Any]:
    """Run obtainKrakenToken with the given input; return its answer."""
    token_input = token_input or {"APIKey": API_KEY}
    status, body = await gql(client, OBTAIN_MUTATION, {"input": token_input})
    assert status == 200
    return body


@pytest.fixture
async def token(client: TestClient[Any, Any]) -> str:
    """A fresh access token."""
    return (await obtain(client))["data"]["obtainKrakenToken"]["token"]


def codes(body: dict[str, Any]) -> list[str]:
    """The Kraken error codes of an answer."""
    return [e["extensions"]["errorCode"] for e in body.get("errors", [])]


def basic(user: str) -> dict[str, str]:
    """HTTP Basic auth headers with `user` and an empty password."""
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:".encode()).decode()}


def relative(url: str) -> str:
    """A link of the simulator's answers as a path the test client accepts."""
    return URL(url).path_qs


def claims(jwt: str) -> dict[str, Any]:
    """Decode a JWT's payload without checking it."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


QUERIES = {
    "account": (
        API,
        ACCOUNT_QUERY,
        {"n": ACCOUNT},
    ),
    "properties": (
        API,
        """
        query ($n: String!) { properties(accountNumber: $n) { id occupancyPeriods {
        effectiveFrom effectiveTo } } }
        """,
        {"n": ACCOUNT},
    ),
    "octoplusAccountInfo": (
        API,
        """
        query ($n: String!) { octoplusAccountInfo(accountNumber: $n) {
        isOctoplusEnrolled } }
        """,
        {"n": ACCOUNT},
    ),
    "smartMeterTelemetry": (
        API,
        """
        query ($d: String!) { smartMeterTelemetry(deviceId: $d) { readAt consumption
        consumptionDelta demand export } }
        """,
        {"d": ELEC_MINI},
    ),
    "devices": (
        API,
        """
        query ($n: String!) { devices(accountNumber: $n) { id __typename status {
        current currentState isSuspended } preferences { mode schedules { dayOfWeek
        time max } } ... on SmartFlexChargePoint { make model } } }
        """,
        {"n": ACCOUNT},
    ),
    "flexPlannedDispatches": (
        API,
        """
        query ($d: String!) { flexPlannedDispatches(deviceId: $d) { start end type
        energyAddedKwh } }
        """,
        {"d": EV},
    ),
    "completedDispatches": (
        API,
        """
        query ($n: String!) { completedDispatches(accountNumber: $n) { start end delta
        meta { source location } } }
        """,
        {"n": ACCOUNT},
    ),
    "electricVehicles": (
        API,
        "{ electricVehicles { make models { model batterySize } } }",
        {},
    ),
    "chargePointVariants": (
        API,
        "{ chargePointVariants { make models { model powerInKw } } }",
        {},
    ),
    "loyaltyPointLedgers": (
        API,
        "{ loyaltyPointLedgers { balanceCarriedForward } }",
        {},
    ),
    "savingSessions": (
        BACKEND,
        """
        query ($n: String!) { savingSessions { events(includeDev: false) { id code
        startAt endAt rewardPerKwhInOctoPoints targetRegion { regionId } }
        account(accountNumber: $n) {
        hasJoinedCampaign signedUpMeterPoint { regionId } joinedEvents { eventId } } }
        }
        """,
        {"n": ACCOUNT},
    ),
    "wheelOfFortuneSpinsAllowed": (
        BACKEND,
        """
        query ($n: String!) { electricity: wheelOfFortuneSpinsAllowed(accountNumber:
        $n, fuelType: ELECTRICITY) { spinsAllowed } }
        """,
        {"n": ACCOUNT},
    ),
    "greenerNightsForecast": (
        BACKEND,
        """
        { greenerNightsForecast { date isGreenerNight greennessScore greennessIndex }
        }
        """,
        {},
    ),
    "heatPumpControllersAtLocation": (
        BACKEND,
        """
        query ($n: String!) { heatPumpControllersAtLocation(accountNumber: $n,
        propertyId: "1000001") { controller { euid } heatPumpModel } }
        """,
        {"n": ACCOUNT},
    ),
    "heatPumpControllerStatus": (
        BACKEND,
        """
        query ($n: String!, $e: ID!) { heatPumpControllerStatus(accountNumber: $n,
        euid: $e) { sensors { code telemetry { temperatureInCelsius } } zones { zone
        telemetry { mode setpointInCelsius heatDemand } } } }
        """,
        {"n": ACCOUNT, "e": EUID},
    ),
    "heatPumpControllerConfiguration": (
        BACKEND,
        """
        query ($n: String!, $e: ID!) { heatPumpControllerConfiguration(accountNumber:
        $n, euid: $e) { controller { state connected } heatPump { serialNumber
        quieterModeEnabled heatingFlowTemperature { currentTemperature { value unit }
        } weatherCompensation { enabled currentRange { minimum { value } maximum {
        value } } } } zones { configuration { code currentOperation { mode } sensors {
        ... on ZigbeeSensorConfiguration { code firmwareVersion } ... on
        ADCSensorConfiguration { code } } } } } }
        """,
        {"n": ACCOUNT, "e": EUID},
    ),
    "heatPumpLivePerformance": (
        BACKEND,
        """
        query ($n: String!, $e: ID!) { heatPumpLivePerformance(accountNumber: $n,
        euid: $e) { coefficientOfPerformance outdoorTemperature { value unit }
        heatOutput { value unit } powerInput { value unit } readAt } }
        """,
        {"n": ACCOUNT, "e": EUID},
    ),
    "heatPumpLifetimePerformance": (
        BACKEND,
        """
        query ($n: String!, $e: ID!) { heatPumpLifetimePerformance(accountNumber: $n,
        euid: $e) { seasonalCoefficientOfPerformance heatOutput { value unit }
        energyInput { value unit } readAt } }
        """,
        {"n": ACCOUNT, "e": EUID},
    ),
}
