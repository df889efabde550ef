"""Tests of the simulated OSO Energy API and of the simulator's control API.

The last group runs the integration's own API client against the simulator: the two
must agree on every endpoint and every error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
import time
from typing import Any

from aiohttp import ClientError, ClientSession
from aiohttp.test_utils import TestClient, TestServer
import pytest

from custom_components.osoenergy.api import (
    OSOEnergyAuthenticationError,
    OSOEnergyClient,
    OSOEnergyConnectionError,
    OSOEnergyNotFoundError,
    OSOEnergyRateLimitError,
    OSOEnergyResponseError,
    OSOEnergyServerError,
    OSOEnergyTimeoutError,
)
from scripts.simulator.oso import INVALID_KEY, KEY_HEADER, MISSING_KEY, PREFIX
from scripts.simulator.server import Simulator, create_app

pytestmark = pytest.mark.usefixtures("socket_enabled")

KEY = "sim-oso-demo-key"
EMPTY_KEY = "sim-oso-empty-key"
S200 = "sim-oso-s200"
S300 = "sim-oso-s300"
AUTH = {KEY_HEADER: KEY}
MORNING_TAP = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
QUIET = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PROFILE = [50.0] * 12 + [70.0] * 12


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """The simulator needs no Home Assistant instance."""


@pytest.fixture
def sim() -> Simulator:
    """A simulator with its clock frozen at noon UTC."""
    simulator = Simulator()
    simulator.clock.set(QUIET, freeze=True)
    return simulator


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[TestClient[Any, Any]]:
    """An HTTP client of the simulator, served on 127.0.0.1."""
    async with TestClient(TestServer(create_app(sim), host="127.0.0.1")) as test_client:
        yield test_client


async def _devices(client: TestClient[Any, Any]) -> dict[str, dict[str, Any]]:
    response = await client.get(f"{PREFIX}/Device/All", headers=AUTH)
    assert response.status == 200
    return {device["deviceId"]: device for device in await response.json()}


async def _s200(client: TestClient[Any, Any]) -> dict[str, Any]:
    return (await _devices(client))[S200]


async def _send(
    client: TestClient[Any, Any], method: str, path: str, **kwargs: Any
) -> tuple[int, str]:
    response = await client.request(method, f"{PREFIX}/{path}", headers=AUTH, **kwargs)
    return response.status, await response.text()


# --- authentication and routing --------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, MISSING_KEY), ({KEY_HEADER: "wrong"}, INVALID_KEY)],
)
async def test_key_is_required(client, headers, message) -> None:
    response = await client.get(f"{PREFIX}/Device/All", headers=headers)
    assert response.status == 401
    assert await response.json() == {"statusCode": 401, "message": message}


async def test_user_details(client) -> None:
    response = await client.get(f"{PREFIX}/User/Details", headers=AUTH)
    assert response.status == 200
    assert await response.json() == {
        "email": "demo@example.com",
        "firstName": "Demo",
        "lastName": "User",
    }


async def test_device_list_has_every_field(client) -> None:
    devices = await _devices(client)
    assert set(devices) == {S200, S300}
    s200 = devices[S200]
    assert s200["deviceType"] == "SAGA S200"
    assert s200["connectionState"]["connectionState"] == "Connected"
    assert s200["control"]["currentTemperatureOne"] is None
    assert devices[S300]["control"]["currentTemperatureOne"] == 12.5
    for key in ("tappingCapacitykWh", "capacityMixedWater40", "actualLoadKwh"):
        assert isinstance(s200["data"][key], float)
    assert len(s200["profile"]) == 24
    assert "sim" not in s200
    assert s200["isInPowerSave"] is False
    assert s200["isInExtraEnergy"] is False


async def test_other_account_sees_only_its_devices(client) -> None:
    response = await client.get(f"{PREFIX}/Device/All", headers={KEY_HEADER: EMPTY_KEY})
    assert await response.json() == []
    response = await client.post(
        f"{PREFIX}/Device/{S200}/TurnOn", headers={KEY_HEADER: EMPTY_KEY}
    )
    assert response.status == 404


async def test_unknown_device_and_path(client) -> None:
    status, body = await _send(client, "POST", "Device/nope/TurnOn")
    assert status == 404
    assert '"title": "Not Found"' in body
    response = await client.get("/oso/water-heater-api/1/Device/Nothing", headers=AUTH)
    assert response.status == 404
    assert await response.json() == {"statusCode": 404, "message": "Resource not found"}


# --- values as functions of the clock --------------------------------------------


async def test_quiet_hours_hold_the_profile_target(client) -> None:
    device = await _s200(client)
    assert device["control"]["currentTemperature"] == device["profile"][12] == 60
    assert device["control"]["targetTemperature"] == 60
    assert device["control"]["heater"] == "off"
    assert device["control"]["mode"] == "auto"
    assert device["data"]["actualLoadKwh"] == 0.0


async def test_tapping_in_the_morning_turns_the_heater_on(client, sim) -> None:
    quiet = await _s200(client)
    sim.clock.set(MORNING_TAP, freeze=True)
    tapped = await _s200(client)
    assert (
        tapped["control"]["currentTemperature"] < quiet["control"]["currentTemperature"]
    )
    assert tapped["data"]["tappingCapacitykWh"] < quiet["data"]["tappingCapacitykWh"]
    assert (
        tapped["data"]["capacityMixedWater40"] < quiet["data"]["capacityMixedWater40"]
    )
    assert tapped["control"]["heater"] == "on"
    assert tapped["data"]["actualLoadKwh"] == 3.0


async def test_clock_control_api(client) -> None:
    response = await client.post(
        "/_sim/clock", json={"now": MORNING_TAP.isoformat(), "freeze": True}
    )
    assert (await response.json())["now"] == MORNING_TAP.isoformat()
    assert (await _s200(client))["control"]["heater"] == "on"
    response = await client.post("/_sim/clock", json={"now": None})
    now = datetime.fromisoformat((await response.json())["now"])
    assert abs((datetime.now(UTC) - now).total_seconds()) < 5
    device = await _s200(client)
    assert device["control"]["targetTemperature"] == device["profile"][now.hour]


# --- commands --------------------------------------------------------------------


async def test_turn_on_heats_for_one_hour(client, sim) -> None:
    assert await _send(
        client, "POST", f"Device/{S200}/TurnOn?fullUtilizationParam=False"
    ) == (200, "")
    device = await _s200(client)
    assert device["isInExtraEnergy"] is True
    assert device["control"]["mode"] == "ExtraEnergy"
    assert device["control"]["heater"] == "on"
    assert device["control"]["targetTemperature"] == 75
    sim.clock.set(QUIET + timedelta(minutes=30), freeze=True)
    assert (await _s200(client))["control"]["currentTemperature"] > 60
    sim.clock.set(QUIET + timedelta(minutes=61), freeze=True)
    after = await _s200(client)
    assert after["isInExtraEnergy"] is False
    assert after["control"]["heater"] == "off"


async def test_turn_on_until_full_reaches_the_maximum(client, sim) -> None:
    await _send(client, "POST", f"Device/{S200}/TurnOn?fullUtilizationParam=True")
    override = sim.state["oso"]["devices"][S200]["override"]
    assert override["until"] - QUIET > timedelta(hours=1)
    sim.clock.set(override["until"] - timedelta(seconds=1), freeze=True)
    assert (await _s200(client))["control"]["currentTemperature"] == pytest.approx(
        75, abs=0.1
    )


async def test_turn_off_inhibits_heating(client, sim) -> None:
    sim.clock.set(MORNING_TAP - timedelta(minutes=30), freeze=True)
    status, _ = await _send(
        client, "POST", f"Device/{S200}/TurnOff?fullUtilizationParam=True"
    )
    assert status == 200
    sim.clock.set(MORNING_TAP, freeze=True)
    device = await _s200(client)
    assert device["control"]["heater"] == "off"
    assert device["data"]["actualLoadKwh"] == 0.0
    override = sim.state["oso"]["devices"][S200]["override"]
    assert override["kind"] == "inhibit"
    assert override["fullUtilization"] is True


async def test_turn_on_without_parameter_is_one_hour(client, sim) -> None:
    await _send(client, "POST", f"Device/{S300}/TurnOn")
    override = sim.state["oso"]["devices"][S300]["override"]
    assert override["until"] - override["start"] == timedelta(hours=1)


async def test_command_rejects_a_bad_parameter(client) -> None:
    status, body = await _send(
        client, "POST", f"Device/{S200}/TurnOn?fullUtilizationParam=maybe"
    )
    assert status == 400
    assert "fullUtilizationParam" in body


async def test_set_profile(client) -> None:
    assert await _send(
        client, "PUT", f"Device/{S200}/Profile", json={"hours": PROFILE}
    ) == (200, "")
    device = await _s200(client)
    assert device["profile"] == PROFILE
    assert device["control"]["targetTemperature"] == 70


@pytest.mark.parametrize(
    "body",
    [
        {"hours": [60] * 23},
        {"hours": [60] * 25},
        {"hours": ["60"] * 24},
        {"hours": [60] * 23 + [True]},
        {"hours": [60] * 23 + [99]},
        {"hours": None},
        {},
        [60] * 24,
    ],
)
async def test_set_profile_validates(client, sim, body) -> None:
    status, text = await _send(client, "PUT", f"Device/{S200}/Profile", json=body)
    assert status == 400
    assert '"hours"' in text
    assert sim.state["oso"]["devices"][S200]["device"]["profile"][0] == 55


async def test_set_profile_rejects_a_body_that_is_not_json(client) -> None:
    status, _ = await _send(client, "PUT", f"Device/{S200}/Profile", data="{no")
    assert status == 400


async def test_set_v40_min(client) -> None:
    assert await _send(client, "PUT", f"Device/{S200}/V40Min/300.0") == (200, "")
    assert (await _s200(client))["v40Min"] == 300


@pytest.mark.parametrize("value", ["199", "351", "abc", "nan", "inf"])
async def test_set_v40_min_validates(client, value) -> None:
    status, _ = await _send(client, "PUT", f"Device/{S200}/V40Min/{value}")
    assert status == 400
    assert (await _s200(client))["v40Min"] == 240


async def test_set_optimization_mode(client) -> None:
    body = {"optimizationOptions": 3, "optimizationSubOptions": 1}
    assert await _send(client, "PUT", f"Device/{S200}/OptimizationMode", json=body) == (
        200,
        "",
    )
    device = await _s200(client)
    assert device["optimizationOption"] == "smartcompany"
    assert device["optimizationSubOption"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"optimizationOptions": 9, "optimizationSubOptions": 0},
        {"optimizationOptions": 1, "optimizationSubOptions": "x"},
        {"optimizationOption": 1, "optimizationSubOption": 0},
        "nonsense",
    ],
)
async def test_set_optimization_mode_validates(client, body) -> None:
    status, _ = await _send(client, "PUT", f"Device/{S200}/OptimizationMode", json=body)
    assert status == 400


def _holiday_path(start: datetime, end: datetime) -> str:
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
    return f"Device/{S200}/HolidayMode/{start.strftime(fmt)}/{end.strftime(fmt)}"


async def test_holiday_mode_on_and_off(client, sim) -> None:
    path = _holiday_path(QUIET, QUIET + timedelta(days=365))
    assert await _send(client, "POST", path) == (200, "")
    sim.clock.set(QUIET + timedelta(hours=5), freeze=True)
    device = await _s200(client)
    assert device["isInPowerSave"] is True
    assert device["control"]["mode"] == "PowerSave"
    assert device["control"]["heater"] == "off"
    assert device["control"]["currentTemperature"] < 60
    assert await _send(client, "DELETE", f"Device/{S200}/HolidayMode") == (200, "")
    assert (await _s200(client))["isInPowerSave"] is False


async def test_holiday_mode_ends_by_itself(client, sim) -> None:
    await _send(client, "POST", _holiday_path(QUIET, QUIET + timedelta(hours=2)))
    sim.clock.set(QUIET + timedelta(hours=3), freeze=True)
    assert (await _s200(client))["isInPowerSave"] is False


async def test_future_holiday_can_be_cancelled(client, sim) -> None:
    start = QUIET + timedelta(days=1)
    await _send(client, "POST", _holiday_path(start, start + timedelta(days=1)))
    assert (await _s200(client))["isInPowerSave"] is False
    await _send(client, "DELETE", f"Device/{S200}/HolidayMode")
    assert sim.state["oso"]["devices"][S200]["holiday"] is None


@pytest.mark.parametrize(
    "path",
    [
        _holiday_path(QUIET, QUIET),
        _holiday_path(QUIET, QUIET - timedelta(days=1)),
        f"Device/{S200}/HolidayMode/yesterday/tomorrow",
    ],
)
async def test_holiday_mode_validates(client, path) -> None:
    status, _ = await _send(client, "POST", path)
    assert status == 400


# --- control API: faults, counts, state, reset -----------------------------------


async def _fault(client: TestClient[Any, Any], **fault: Any) -> None:
    response = await client.post("/_sim/faults", json=fault)
    assert response.status == 200


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("server_error", 500, "application/json"),
        ("html_403", 403, "text/html"),
        ("rate_limit", 429, "application/json"),
        ("auth", 401, "application/json"),
        ("malformed", 200, "application/json"),
    ],
)
async def test_fault_kinds(client, kind, status, content_type) -> None:
    await _fault(client, kind=kind, operation="oso.devices")
    response = await client.get(f"{PREFIX}/Device/All", headers=AUTH)
    assert response.status == status
    assert response.content_type == content_type
    if kind == "rate_limit":
        assert response.headers["Retry-After"] == "60"
    if kind == "malformed":
        with pytest.raises(ValueError, match="Expecting"):
            await response.json()
    other = await client.get(f"{PREFIX}/User/Details", headers=AUTH)
    assert other.status == 200


async def test_empty_fault_answers_no_heaters(client) -> None:
    await _fault(client, kind="empty", operation="oso.devices")
    response = await client.get(f"{PREFIX}/Device/All", headers=AUTH)
    assert response.status == 200
    assert await response.json() == []
    assert (await client.delete("/_sim/faults")).status == 200
    assert set(await _devices(client)) == {S200, S300}


async def test_fault_with_a_status_and_a_count(client) -> None:
    await _fault(client, kind="server_error", operation="oso", status=503, remaining=1)
    assert (await client.get(f"{PREFIX}/User/Details", headers=AUTH)).status == 503
    assert (await client.get(f"{PREFIX}/User/Details", headers=AUTH)).status == 200


async def test_slow_fault_delays_the_answer(client) -> None:
    await _fault(client, kind="slow", operation="oso.user", delay=0.3)
    start = time.monotonic()
    assert (await client.get(f"{PREFIX}/User/Details", headers=AUTH)).status == 200
    assert time.monotonic() - start >= 0.3


async def test_refuse_fault_drops_the_connection(client) -> None:
    await _fault(client, kind="refuse", operation="oso")
    with pytest.raises(ClientError):
        await client.get(f"{PREFIX}/Device/All", headers=AUTH)


async def test_faults_are_cleared_and_checked(client) -> None:
    await _fault(client, kind="server_error", operation="oso")
    assert (await client.delete("/_sim/faults")).status == 200
    assert (await client.get(f"{PREFIX}/Device/All", headers=AUTH)).status == 200
    response = await client.post("/_sim/faults", json={"kind": "volcano"})
    assert response.status == 400


async def test_requests_are_counted_per_operation(client) -> None:
    await client.get(f"{PREFIX}/Device/All", headers=AUTH)
    await client.get(f"{PREFIX}/Device/All")
    await _send(client, "PUT", f"Device/{S200}/V40Min/250")
    counts = await (await client.get("/_sim/requests")).json()
    assert counts["counts"] == {"oso.devices": 2, "oso.v40_min": 1}
    assert counts["total"] == 3
    await client.delete("/_sim/requests")
    assert (await (await client.get("/_sim/requests")).json())["total"] == 0


async def test_state_and_reset(client) -> None:
    await _send(client, "PUT", f"Device/{S200}/Profile", json={"hours": PROFILE})
    await _fault(client, kind="server_error", operation="oso")
    state = await (await client.get("/_sim/state")).json()
    assert state["oso"]["devices"][S200]["device"]["profile"] == PROFILE
    assert (await client.post("/_sim/reset")).status == 200
    state = await (await client.get("/_sim/state")).json()
    assert state["oso"]["devices"][S200]["device"]["profile"][0] == 55
    assert (await client.get(f"{PREFIX}/Device/All", headers=AUTH)).status == 200


# --- the integration's client against the simulator ------------------------------


@pytest.fixture
async def api(client: TestClient[Any, Any]) -> AsyncIterator[OSOEnergyClient]:
    """The integration's API client, talking to the simulator."""
    async with ClientSession() as session:
        yield OSOEnergyClient(
            api_key=KEY,
            session=session,
            base_url=str(client.make_url("/oso/water-heater-api")),
        )


async def test_client_reads_the_account_and_devices(api) -> None:
    assert (await api.get_user_details()).email == "demo@example.com"
    devices = {device.device_id: device for device in await api.get_devices()}
    s200 = devices[S200]
    assert s200.device_type == "SAGA S200"
    assert s200.connected is True
    assert s200.heater_mode == "auto"
    assert s200.optimization_mode == "oso"
    assert s200.current_temperature == 60
    assert s200.temperature_one is None
    assert s200.has_field("control", "currentTemperatureOne")
    assert s200.v40_level_min == 200
    assert s200.profile is not None
    assert len(s200.profile) == 24
    assert devices[S300].optimization_mode == "gridcompany"


async def _client_s200(api: OSOEnergyClient) -> Any:
    return {device.device_id: device for device in await api.get_devices()}[S200]


async def test_client_commands_change_the_simulator(api, sim) -> None:
    await api.turn_on(S200, full_utilization=True)
    assert (await _client_s200(api)).extra_energy is True
    assert sim.state["oso"]["devices"][S200]["override"]["fullUtilization"] is True
    await api.turn_off(S200, full_utilization=False)
    device = await _client_s200(api)
    assert device.extra_energy is False
    assert device.heater_on is False
    await api.set_profile(S200, PROFILE)
    assert (await _client_s200(api)).profile == tuple(PROFILE)
    await api.set_v40_min(S200, 321)
    assert (await _client_s200(api)).v40_min == 321
    await api.set_optimization_mode(S200, 0, 0)
    assert (await _client_s200(api)).optimization_mode == "off"
    now = sim.clock.now()
    await api.enable_holiday_mode(S200, now, now + timedelta(days=365))
    assert (await _client_s200(api)).power_save is True
    await api.disable_holiday_mode(S200)
    assert (await _client_s200(api)).power_save is False


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "auth"}, OSOEnergyAuthenticationError),
        ({"kind": "html_403"}, OSOEnergyResponseError),
        ({"kind": "server_error"}, OSOEnergyServerError),
        ({"kind": "malformed"}, OSOEnergyResponseError),
        ({"kind": "refuse"}, OSOEnergyConnectionError),
        ({"kind": "slow", "delay": 1.0}, OSOEnergyTimeoutError),
    ],
)
async def test_client_maps_every_fault(api, client, fault, error) -> None:
    await _fault(client, operation="oso.devices", **fault)
    api.request_timeout = 0.2
    with pytest.raises(error):
        await api.get_devices()


async def test_client_reads_retry_after(api, client) -> None:
    await _fault(client, kind="rate_limit", operation="oso", retry_after=42)
    with pytest.raises(OSOEnergyRateLimitError) as raised:
        await api.get_user_details()
    assert raised.value.retry_after == 42


async def test_client_errors_for_bad_input_and_keys(api) -> None:
    with pytest.raises(OSOEnergyResponseError) as raised:
        await api.set_v40_min(S200, 10)
    assert raised.value.status == 400
    with pytest.raises(OSOEnergyNotFoundError):
        await api.turn_on("unknown-device", full_utilization=False)
    api.api_key = "wrong"
    with pytest.raises(OSOEnergyAuthenticationError):
        await api.get_user_details()
