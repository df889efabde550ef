"""HTTP-level tests of the HA-free OSO Energy client (aiohttp session, aioresponses)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aioresponses import aioresponses
from freezegun.api import FrozenDateTimeFactory
import pytest
from yarl import URL

from custom_components.osoenergy.api import (
    Device,
    OSOEnergyAuthenticationError,
    OSOEnergyClient,
    OSOEnergyConnectionError,
    OSOEnergyError,
    OSOEnergyNotFoundError,
    OSOEnergyRateLimitError,
    OSOEnergyResponseError,
    OSOEnergyServerError,
    OSOEnergyTimeoutError,
)

from .conftest import (
    API_KEY,
    DEVICE_ID,
    DEVICES_URL,
    URL as API_URL,
    USER_URL,
    load_json,
)

DEVICE_URL = f"{API_URL}/Device/{DEVICE_ID}"
HOURS = [float(hour) for hour in range(40, 64)]

type Command = Callable[[OSOEnergyClient], Awaitable[None]]


@pytest.fixture
def client(session: aiohttp.ClientSession) -> OSOEnergyClient:
    """The client under test, talking to the default cloud host."""
    return OSOEnergyClient(api_key=API_KEY, session=session)


def only_request(mock_http: aioresponses, method: str, url: str) -> dict[str, Any]:
    """Assert exactly one request was sent, to `method url`; return its kwargs."""
    assert list(mock_http.requests) == [(method, URL(url))]
    (call,) = mock_http.requests[(method, URL(url))]
    return call.kwargs


async def raised(
    client: OSOEnergyClient, expected: type[OSOEnergyError]
) -> OSOEnergyError:
    """Fetch the device list, expecting `expected`; the key is never in the message."""
    with pytest.raises(expected) as info:
        await client.get_devices()
    assert API_KEY not in str(info.value)
    assert all(API_KEY not in str(arg) for arg in info.value.args)
    return info.value


# --- Requests --------------------------------------------------------------------


async def test_get_user_details(
    client: OSOEnergyClient, mock_http: aioresponses
) -> None:
    """The account e-mail comes from GET /1/User/Details, sent with the key header."""
    mock_http.get(USER_URL, payload=load_json("user_details.json"))

    details = await client.get_user_details()

    assert details.email == "test@example.com"
    assert details.raw["firstName"] == "Test"
    kwargs = only_request(mock_http, "GET", USER_URL)
    assert kwargs["headers"]["Ocp-Apim-Subscription-Key"] == API_KEY
    assert kwargs["headers"]["Accept"] == "application/json"
    assert kwargs["json"] is None
    assert kwargs["params"] is None


async def test_get_devices(client: OSOEnergyClient, mock_http: aioresponses) -> None:
    """The device list comes from GET /1/Device/All and is parsed into models."""
    mock_http.get(DEVICES_URL, payload=load_json("devices.json"))

    (device,) = await client.get_devices()

    only_request(mock_http, "GET", DEVICES_URL)
    assert device.device_id == DEVICE_ID
    assert device.name == "TEST DEVICE"
    assert device.device_type == "SAGA S200"
    assert device.connected is True
    assert device.heater_on is True
    assert device.heater_mode == "auto"
    assert device.optimization_mode == "oso"
    assert device.optimization_sub_option is None
    assert device.current_temperature == 60.0
    assert (device.target_temperature_low, device.target_temperature_high) == (57, 63)
    assert (device.min_temperature, device.max_temperature) == (10.0, 75.0)
    assert (device.temperature_top, device.temperature_mid) == (65.5, 58.2)
    assert (device.temperature_low, device.temperature_one) == (40.1, None)
    assert (device.tapping_capacity, device.capacity_mixed_water_40) == (9.8, 245.0)
    assert (device.power_load, device.rated_power, device.volume) == (2.4, 3.0, 200.0)
    assert (device.v40_min, device.v40_level_min, device.v40_level_max) == (
        240.0,
        200.0,
        350.0,
    )
    assert device.profile is not None
    assert len(device.profile) == 24
    assert (device.power_save, device.extra_energy) == (False, False)
    assert device.has_field("control", "currentTemperatureOne")
    assert not device.has_field("control", "currentTemperatureTwo")
    assert not device.has_field("nothing", "currentTemperatureTop")


@pytest.mark.parametrize(
    ("command", "method", "url", "body"),
    [
        pytest.param(
            lambda c: c.turn_on(DEVICE_ID, full_utilization=True),
            "POST",
            f"{DEVICE_URL}/TurnOn?fullUtilizationParam=True",
            None,
            id="turn_on_full",
        ),
        pytest.param(
            lambda c: c.turn_on(DEVICE_ID, full_utilization=False),
            "POST",
            f"{DEVICE_URL}/TurnOn?fullUtilizationParam=False",
            None,
            id="turn_on_one_hour",
        ),
        pytest.param(
            lambda c: c.turn_off(DEVICE_ID, full_utilization=True),
            "POST",
            f"{DEVICE_URL}/TurnOff?fullUtilizationParam=True",
            None,
            id="turn_off_full",
        ),
        pytest.param(
            lambda c: c.turn_off(DEVICE_ID, full_utilization=False),
            "POST",
            f"{DEVICE_URL}/TurnOff?fullUtilizationParam=False",
            None,
            id="turn_off_one_hour",
        ),
        pytest.param(
            lambda c: c.set_profile(DEVICE_ID, tuple(HOURS)),
            "PUT",
            f"{DEVICE_URL}/Profile",
            {"hours": HOURS},
            id="set_profile",
        ),
        pytest.param(
            lambda c: c.set_v40_min(DEVICE_ID, 240),
            "PUT",
            f"{DEVICE_URL}/V40Min/240.0",
            None,
            id="set_v40_min",
        ),
        pytest.param(
            lambda c: c.set_optimization_mode(DEVICE_ID, 1, 2),
            "PUT",
            f"{DEVICE_URL}/OptimizationMode",
            {"optimizationOptions": 1, "optimizationSubOptions": 2},
            id="set_optimization_mode",
        ),
        pytest.param(
            lambda c: c.enable_holiday_mode(
                DEVICE_ID,
                datetime(2026, 7, 1, 12, 30, 15, 250, tzinfo=ZoneInfo("Europe/Oslo")),
                datetime(2026, 7, 8, 9, 0, tzinfo=UTC),
            ),
            "POST",
            f"{DEVICE_URL}/HolidayMode/2026-07-01T10:30:15.000250Z"
            "/2026-07-08T09:00:00.000000Z",
            None,
            id="enable_holiday_mode",
        ),
        pytest.param(
            lambda c: c.disable_holiday_mode(DEVICE_ID),
            "DELETE",
            f"{DEVICE_URL}/HolidayMode",
            None,
            id="disable_holiday_mode",
        ),
    ],
)
async def test_commands(
    client: OSOEnergyClient,
    *,
    mock_http: aioresponses,
    command: Command,
    method: str,
    url: str,
    body: dict[str, Any] | None,
) -> None:
    """Every command uses its method, path, query and JSON body, with the key header."""
    mock_http.add(url, method, status=200)

    assert await command(client) is None

    kwargs = only_request(mock_http, method, url)
    assert kwargs["json"] == body
    assert kwargs["headers"]["Ocp-Apim-Subscription-Key"] == API_KEY


async def test_base_url(
    session: aiohttp.ClientSession, mock_http: aioresponses
) -> None:
    """Another API host (the simulator) can be given; a trailing slash is ignored."""
    client = OSOEnergyClient(
        api_key=API_KEY, session=session, base_url="http://localhost:8080/"
    )
    mock_http.get("http://localhost:8080/1/Device/All", payload=[])

    assert await client.get_devices() == []


@pytest.mark.parametrize("status", [200, 201, 202, 204])
@pytest.mark.parametrize("body", ["", "  \n", '{"ok": true}'])
async def test_any_2xx_is_success(
    client: OSOEnergyClient, mock_http: aioresponses, status: int, body: str
) -> None:
    """Any 2xx status is success, with or without a body."""
    mock_http.delete(f"{DEVICE_URL}/HolidayMode", status=status, body=body)

    await client.disable_holiday_mode(DEVICE_ID)


# --- Errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, OSOEnergyResponseError),
        (403, OSOEnergyResponseError),
        (404, OSOEnergyNotFoundError),
        (418, OSOEnergyResponseError),
        (400, OSOEnergyResponseError),
        (500, OSOEnergyServerError),
        (503, OSOEnergyServerError),
    ],
)
async def test_error_status(
    client: OSOEnergyClient,
    mock_http: aioresponses,
    status: int,
    expected: type[OSOEnergyError],
) -> None:
    """Error statuses map to the exception hierarchy, keeping the status."""
    mock_http.get(DEVICES_URL, status=status, body="nope")

    err = await raised(client, expected)

    assert type(err) is expected
    assert isinstance(err, OSOEnergyResponseError)
    assert err.status == status
    assert f"HTTP {status}" in str(err)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '{"statusCode": 401, "message": "Access denied due to invalid '
            'subscription key."}',
            OSOEnergyAuthenticationError,
            id="apim_json",
        ),
        pytest.param(
            '{"message": "Forbidden"}', OSOEnergyAuthenticationError, id="json"
        ),
        pytest.param(
            "<html><body><h1>403 Forbidden</h1></body></html>",
            OSOEnergyResponseError,
            id="html",
        ),
        pytest.param("", OSOEnergyResponseError, id="empty"),
        pytest.param('["no"]', OSOEnergyResponseError, id="json_list"),
        pytest.param('{"error": "waf"}', OSOEnergyResponseError, id="other_json"),
    ],
)
async def test_only_the_apis_own_refusal_is_an_auth_error(
    client: OSOEnergyClient,
    mock_http: aioresponses,
    status: int,
    body: str,
    expected: type[OSOEnergyError],
) -> None:
    """401/403 means a refused key only in the API gateway's own JSON answer.

    An HTML page (a proxy, firewall or CDN) or an empty body says nothing about the
    key: a temporary failure, so no reauth is started.
    """
    mock_http.get(DEVICES_URL, status=status, body=body)

    err = await raised(client, expected)

    assert type(err) is expected
    assert err.status == status
    if expected is OSOEnergyResponseError:
        assert "proxy or gateway" in str(err)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("30", 30.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Thu, 01 Jan 2026 12:02:00 GMT", 120.0),
        ("Thu, 01 Jan 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
@pytest.mark.freeze_time("2026-01-01 12:00:00+00:00")
async def test_rate_limited(
    client: OSOEnergyClient,
    mock_http: aioresponses,
    retry_after: str | None,
    expected: float | None,
) -> None:
    """429 is a rate-limit error carrying `Retry-After` (seconds or an HTTP date)."""
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    mock_http.get(DEVICES_URL, status=429, headers=headers)

    err = await raised(client, OSOEnergyRateLimitError)

    assert isinstance(err, OSOEnergyRateLimitError)
    assert err.status == 429
    assert err.retry_after == expected


async def test_rate_limited_date_follows_clock(
    client: OSOEnergyClient, mock_http: aioresponses, freezer: FrozenDateTimeFactory
) -> None:
    """An HTTP-date `Retry-After` is measured from now."""
    freezer.move_to("2026-03-01 08:00:00+00:00")
    mock_http.get(
        DEVICES_URL,
        status=429,
        headers={"Retry-After": "Sun, 01 Mar 2026 08:00:45 GMT"},
    )

    err = await raised(client, OSOEnergyRateLimitError)

    assert isinstance(err, OSOEnergyRateLimitError)
    assert err.retry_after == 45.0


@pytest.mark.parametrize(
    "body", ["<html><body>Bad gateway</body></html>", "{not json", "null"]
)
async def test_unusable_body(
    client: OSOEnergyClient, mock_http: aioresponses, body: str
) -> None:
    """A 200 whose body is not a JSON device list is a response error, not a crash."""
    mock_http.get(DEVICES_URL, status=200, body=body)

    err = await raised(client, OSOEnergyResponseError)

    assert type(err) is OSOEnergyResponseError


@pytest.mark.parametrize("payload", [{"devices": []}, "a string", 42])
async def test_device_list_not_a_list(
    client: OSOEnergyClient, mock_http: aioresponses, payload: Any
) -> None:
    """A device list that is not a JSON list is a response error."""
    mock_http.get(DEVICES_URL, payload=payload)

    err = await raised(client, OSOEnergyResponseError)

    assert type(err) is OSOEnergyResponseError
    assert err.status is None


async def test_timeout_exception(
    client: OSOEnergyClient, mock_http: aioresponses
) -> None:
    """A timeout raised by the transport becomes OSOEnergyTimeoutError."""
    mock_http.get(DEVICES_URL, exception=TimeoutError())

    err = await raised(client, OSOEnergyTimeoutError)

    assert isinstance(err, OSOEnergyConnectionError)


async def test_request_timeout(
    session: aiohttp.ClientSession, mock_http: aioresponses
) -> None:
    """A server slower than `request_timeout` is cut off by the client's own timeout."""
    client = OSOEnergyClient(api_key=API_KEY, session=session, request_timeout=0.01)

    async def slow(url: URL, **kwargs: Any) -> None:
        await asyncio.sleep(5)

    mock_http.get(DEVICES_URL, callback=slow, payload=[])

    await raised(client, OSOEnergyTimeoutError)


@pytest.mark.parametrize(
    "exception",
    [
        aiohttp.ClientConnectionError("refused"),
        aiohttp.ClientPayloadError("broken"),
        aiohttp.ServerDisconnectedError(),
    ],
)
async def test_connection_error(
    client: OSOEnergyClient, mock_http: aioresponses, exception: Exception
) -> None:
    """The client errors of aiohttp become OSOEnergyConnectionError (not a timeout)."""
    mock_http.get(DEVICES_URL, exception=exception)

    err = await raised(client, OSOEnergyConnectionError)

    assert type(err) is OSOEnergyConnectionError
    assert err.__cause__ is exception


@pytest.mark.parametrize(
    "payload",
    [
        {"firstName": "Test"},
        {"email": ""},
        {"email": None},
        ["test@example.com"],
    ],
)
async def test_user_details_without_email(
    client: OSOEnergyClient, mock_http: aioresponses, payload: Any
) -> None:
    """User details that name no account mean the key is not usable."""
    mock_http.get(USER_URL, payload=payload)

    with pytest.raises(OSOEnergyAuthenticationError):
        await client.get_user_details()


async def test_user_details_empty_body(
    client: OSOEnergyClient, mock_http: aioresponses
) -> None:
    """An empty user-details body names no account either."""
    mock_http.get(USER_URL, status=204, body="")

    with pytest.raises(OSOEnergyAuthenticationError):
        await client.get_user_details()


async def test_set_profile_needs_24_hours(
    client: OSOEnergyClient, mock_http: aioresponses
) -> None:
    """A profile of another length is refused before anything is sent."""
    with pytest.raises(ValueError, match="24 hours, not 23"):
        await client.set_profile(DEVICE_ID, HOURS[:23])

    assert mock_http.requests == {}


@pytest.mark.parametrize("days", [0, -1])
async def test_holiday_must_end_after_start(
    client: OSOEnergyClient, mock_http: aioresponses, days: int
) -> None:
    """A holiday that ends when or before it starts is refused before sending."""
    start = datetime(2026, 7, 1, tzinfo=UTC)

    with pytest.raises(ValueError, match="end after it starts"):
        await client.enable_holiday_mode(DEVICE_ID, start, start + timedelta(days=days))

    assert mock_http.requests == {}


# --- Parsing -------------------------------------------------------------------------


async def test_device_list_tolerance(
    client: OSOEnergyClient, mock_http: aioresponses
) -> None:
    """Items that are not objects or have no device id are skipped."""
    mock_http.get(
        DEVICES_URL,
        payload=[
            "junk",
            None,
            {"deviceName": "No id"},
            {"deviceId": ""},
            {"deviceId": 12},
            {"deviceId": "minimal"},
        ],
    )

    (device,) = await client.get_devices()

    assert device.device_id == "minimal"


def test_device_missing_fields() -> None:
    """A device with nothing but an id gets defaults as core shows them."""
    device = Device.from_dict({"deviceId": "minimal"})

    assert device is not None
    assert device.name == "Water Heater"
    assert device.device_type == "Unknown"
    assert device.connected is False
    assert device.heater_on is False
    assert device.heater_mode == "off"
    assert device.optimization_mode == "off"
    assert device.current_temperature is None
    assert device.v40_level_max is None
    assert device.profile is None
    assert device.power_save is False
    assert device.extra_energy is False
    assert not device.has_field("control", "currentTemperatureTop")


def test_device_odd_values() -> None:
    """Wrong types become None/False; unknown modes are kept, lower-cased."""
    device = Device.from_dict(
        {
            "deviceId": "odd",
            "deviceName": "",
            "connectionState": "Connected",
            "control": {
                "heater": "ON",
                "mode": "SuperBoost",
                "currentTemperature": "60",
                "targetTemperature": True,
                "minTemperature": None,
                "maxTemperature": 75,
            },
            "data": ["not", "a", "dict"],
            "optimizationOption": None,
            "optimizationSubOption": 3,
            "v40Min": "many",
            "profile": [60] * 23,
            "isInPowerSave": "true",
            "isInExtraEnergy": True,
        }
    )

    assert device is not None
    assert device.name == "Water Heater"
    assert device.connected is False
    assert device.heater_on is True
    assert device.heater_mode == "superboost"
    assert device.optimization_mode == "off"
    assert device.optimization_sub_option == 3
    assert device.current_temperature is None
    assert device.target_temperature is None
    assert device.min_temperature is None
    assert device.max_temperature == 75.0
    assert device.power_load is None
    assert device.v40_min is None
    assert device.profile is None
    assert device.power_save is False
    assert device.extra_energy is True


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ([60] * 24, (60.0,) * 24),
        ([55.5] * 24, (55.5,) * 24),
        ([60] * 23, None),
        ([60] * 25, None),
        ([60] * 23 + ["60"], None),
        ([60] * 23 + [None], None),
        ([60] * 23 + [True], None),
        ("60," * 24, None),
        (None, None),
    ],
)
def test_device_profile(profile: Any, expected: tuple[float, ...] | None) -> None:
    """The profile is kept only when it is exactly 24 numbers."""
    device = Device.from_dict({"deviceId": "p", "profile": profile})

    assert device is not None
    assert device.profile == expected


def test_device_raw_not_compared() -> None:
    """Two parses of the same payload are equal; the raw payload is kept as is."""
    payload = load_json("devices.json")[0]

    first, second = Device.from_dict(payload), Device.from_dict(dict(payload))

    assert first == second
    assert first is not None
    assert first.raw is payload


@pytest.mark.parametrize("status", [404, 500])
async def test_command_error_names_no_device(
    client: OSOEnergyClient, mock_http: aioresponses, status: int
) -> None:
    """A failed command's message names the operation, not the device id."""
    mock_http.post(f"{DEVICE_URL}/TurnOn?fullUtilizationParam=True", status=status)

    with pytest.raises(OSOEnergyResponseError) as info:
        await client.turn_on(DEVICE_ID, full_utilization=True)

    assert DEVICE_ID not in str(info.value)
    assert "POST Device/{id}/TurnOn" in str(info.value)
