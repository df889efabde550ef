"""Tests of the osoenergy actions: the HTTP requests they make and their validation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import copy
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, selector
from homeassistant.helpers.service import async_get_all_descriptions
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
import voluptuous as vol
from yarl import URL as YURL

from custom_components.osoenergy.const import DOMAIN
from custom_components.osoenergy.services import ACTIONS

from .conftest import DEVICE_ID, DEVICES_URL, URL, requests_to

ENTITY_ID = "water_heater.test_device"
DEVICE_URL = f"{URL}/Device/{DEVICE_ID}"
PROFILE_URL = f"{DEVICE_URL}/Profile"
pytestmark = pytest.mark.usefixtures("water_heater_only")

INTEGRATION_DIR = Path(__file__).parents[2] / "custom_components" / DOMAIN

# The fixture's profile (index = UTC hour) ...
CACHED_UTC = [60, 60, 60, 60, 60, 60, 65, 65, 65, 55, 55, 55]
CACHED_UTC += [55, 55, 55, 55, 60, 65, 65, 65, 60, 60, 60, 60]
# ... seen from US/Pacific on 2024-10-10 (UTC-7): local H is UTC H+7.
CACHED_PACIFIC = [65, 65, 55, 55, 55, 55, 55, 55, 55, 60, 65, 65]
CACHED_PACIFIC += [65, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 65]


async def call(
    hass: HomeAssistant, service: str, *, response: bool = False, **data: Any
) -> ServiceResponse:
    """Call an osoenergy action on the test heater."""
    return await hass.services.async_call(
        DOMAIN,
        service,
        {ATTR_ENTITY_ID: ENTITY_ID, **data},
        blocking=True,
        return_response=response,
    )


async def get_profile(hass: HomeAssistant) -> dict[str, Any]:
    """The get_profile response of the test heater."""
    response = await call(hass, "get_profile", response=True)
    assert response is not None
    result = response[ENTITY_ID]
    assert isinstance(result, dict)
    return result


def fresh_cloud(
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    *,
    profile: list[Any] | None,
    put_status: int = 200,
    on_put: Callable[..., Awaitable[AiohttpClientMockResponse]] | None = None,
) -> None:
    """Make the cloud report another profile than the cached one and accept a PUT."""
    payload = copy.deepcopy(devices_payload)
    payload[0]["profile"] = profile
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=payload)
    aioclient_mock.put(PROFILE_URL, status=put_status, side_effect=on_put)


# --- get_profile -------------------------------------------------------------


@pytest.mark.freeze_time("2024-10-10 00:00:00+00:00")
async def test_get_profile(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The profile by local hour, by UTC hour, and the offset used (core's moment)."""
    assert await get_profile(hass) == {
        "profile": CACHED_PACIFIC,
        "profile_utc": CACHED_UTC,
        "utc_offset": "-07:00",
    }


async def test_get_profile_unavailable(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """A heater that reports no usable profile gives a translated error, not zeros."""
    fresh_cloud(aioclient_mock, devices_payload, profile=[60] * 23)
    await init_integration.runtime_data.async_refresh()

    with pytest.raises(ServiceValidationError) as err:
        await get_profile(hass)
    assert err.value.translation_key == "profile_unavailable"


# --- set_profile -------------------------------------------------------------


@pytest.mark.freeze_time("2024-10-10 00:00:00+00:00")
async def test_set_profile_patches_a_fresh_profile(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """The changed local hours are applied to the profile the cloud reports now."""
    coordinator = init_integration.runtime_data
    cached_data = coordinator.data
    cached_device = cached_data[DEVICE_ID]
    seen_at_put: list[Any] = []

    async def record_put(
        method: str, url: YURL, data: Any
    ) -> AiohttpClientMockResponse:
        seen_at_put.append(coordinator.data)
        return AiohttpClientMockResponse(method, url, status=200)

    fresh_cloud(aioclient_mock, devices_payload, profile=[50] * 24, on_put=record_put)

    await call(hass, "set_profile", hour_01=45, hour_23="70")

    assert [call[0] for call in aioclient_mock.mock_calls] == ["GET", "PUT"]
    [put] = requests_to(aioclient_mock, "PUT", "/Profile")
    expected = [50] * 24
    expected[8] = 45  # local 01:00 is 08:00 UTC at -07:00
    expected[6] = 70  # local 23:00 is 06:00 UTC
    assert put[2] == {"hours": expected}
    # Nothing touched the cache before the cloud accepted the profile ...
    assert seen_at_put == [cached_data]
    assert cached_device.profile == tuple(map(float, CACHED_UTC))
    # ... and afterwards get_profile shows the change at once.
    result = await get_profile(hass)
    assert result["profile_utc"] == expected
    assert result["profile"][1] == 45
    assert result["profile"][23] == 70
    await assert_debounced_refresh()


async def test_set_profile_put_fails(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """When the cloud refuses the profile nothing changes in Home Assistant."""
    coordinator = init_integration.runtime_data
    cached_data = coordinator.data
    fresh_cloud(aioclient_mock, devices_payload, profile=[50] * 24, put_status=500)

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "set_profile", hour_05=40)

    assert err.value.translation_key == "action_failed"
    assert coordinator.data is cached_data
    assert cached_data[DEVICE_ID].profile == tuple(map(float, CACHED_UTC))
    assert (await get_profile(hass))["profile_utc"] == CACHED_UTC


@pytest.mark.parametrize("fresh_profile", [None, [60] * 23, [60, "x", *[60] * 22]])
async def test_set_profile_without_fresh_profile(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    fresh_profile: list[Any] | None,
) -> None:
    """A heater that reports no usable profile now cannot be patched."""
    fresh_cloud(aioclient_mock, devices_payload, profile=fresh_profile)

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_profile", hour_05=40)

    assert err.value.translation_key == "profile_unavailable"
    assert not requests_to(aioclient_mock, "PUT", "/Profile")


async def test_set_profile_device_gone(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """A heater the account no longer has is reported as such."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=[])

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "set_profile", hour_05=40)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "device_not_found"


@pytest.mark.parametrize(
    "data",
    [
        {"hour_23": "warm"},
        {"hour_24": 50},
        {"hour_7": 50},
    ],
)
async def test_set_profile_bad_input(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
) -> None:
    """Temperatures that are not numbers and unknown hours are refused by the schema."""
    mock_oso_api.mock_calls.clear()
    with pytest.raises(vol.Invalid):
        await call(hass, "set_profile", **data)
    assert not mock_oso_api.mock_calls


# --- set_profile and get_profile on clock-change days and in a half-hour zone -----


async def test_profile_on_clock_change_day(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Europe/Oslo on 2025-03-30: the offset in force at the call is used, no gaps."""
    await hass.config.async_set_time_zone("Europe/Oslo")
    utc = [40 + hour for hour in range(24)]
    fresh_cloud(aioclient_mock, devices_payload, profile=utc)
    await init_integration.runtime_data.async_refresh()

    freezer.move_to("2025-03-30 00:30:00+00:00")  # 01:30 CET, before the change
    before = await get_profile(hass)
    freezer.move_to("2025-03-30 01:30:00+00:00")  # 03:30 CEST, after the change
    after = await get_profile(hass)

    assert before["utc_offset"] == "+01:00"
    assert before["profile"] == [utc[(hour - 1) % 24] for hour in range(24)]
    assert after["utc_offset"] == "+02:00"
    assert after["profile"] == [utc[(hour - 2) % 24] for hour in range(24)]
    assert sorted(after["profile"]) == utc  # local 02:00 exists, nothing doubled

    await call(hass, "set_profile", hour_02=75)  # still 01:30 UTC, +02:00

    [put] = requests_to(aioclient_mock, "PUT", "/Profile")
    assert put[2]["hours"][0] == 75  # local 02:00 CEST is 00:00 UTC
    assert (await get_profile(hass))["profile"][2] == 75


async def test_profile_on_autumn_clock_change_day(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Europe/Oslo on 2025-10-26: local 01:00 is present, 02:00 is not doubled."""
    await hass.config.async_set_time_zone("Europe/Oslo")
    freezer.move_to("2025-10-26 01:30:00+00:00")  # 02:30 CET, after the change
    utc = [40 + hour for hour in range(24)]
    fresh_cloud(aioclient_mock, devices_payload, profile=utc)
    await init_integration.runtime_data.async_refresh()

    result = await get_profile(hass)

    assert result["utc_offset"] == "+01:00"
    assert result["profile"] == [utc[(hour - 1) % 24] for hour in range(24)]


async def test_profile_round_trip_in_half_hour_zone(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Asia/Kolkata (+05:30): a written hour reads back at the same hour."""
    await hass.config.async_set_time_zone("Asia/Kolkata")
    freezer.move_to("2025-06-01 12:00:00+00:00")
    fresh_cloud(aioclient_mock, devices_payload, profile=[50] * 24)

    await call(hass, "set_profile", hour_07=70, hour_00=20)

    [put] = requests_to(aioclient_mock, "PUT", "/Profile")
    assert put[2]["hours"][1] == 70  # 07:00 IST is 01:30 UTC
    assert put[2]["hours"][18] == 20  # 00:00 IST is 18:30 UTC
    result = await get_profile(hass)
    assert result["utc_offset"] == "+05:30"
    assert [hour for hour, value in enumerate(result["profile"]) if value != 50] == [
        0,
        7,
    ]
    assert result["profile"][0] == 20
    assert result["profile"][7] == 70


# --- set_v40_min ---------------------------------------------------------------


@pytest.mark.parametrize("value", [240, "240", 240.0])
async def test_set_v40_min(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    value: Any,
) -> None:
    """The V40 floor is written in the path, as a float."""
    await call(hass, "set_v40_min", v40_min=value)

    [request] = requests_to(mock_oso_api, "PUT", "/V40Min/")
    assert str(request[1]) == f"{DEVICE_URL}/V40Min/240.0"


@pytest.mark.parametrize(("value", "shown"), [(199, "199"), (351, "351"), (0, "0")])
async def test_set_v40_min_outside_device_limits(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    value: float,
    shown: str,
) -> None:
    """The heater's own limits (200-350 L here) are enforced."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_v40_min", v40_min=value)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "v40_out_of_range"
    assert err.value.translation_placeholders == {
        "value": shown,
        "min": "200",
        "max": "350",
    }
    assert not requests_to(mock_oso_api, "PUT", "/V40Min/")


async def test_set_v40_min_one_limit_unknown(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """A limit the heater does not report is its model's documented one."""
    payload = copy.deepcopy(devices_payload)
    payload[0]["v40LevelMax"] = None
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=payload)
    aioclient_mock.put(f"{DEVICE_URL}/V40Min/350.0", status=200)
    await init_integration.runtime_data.async_refresh()

    await call(hass, "set_v40_min", v40_min=350)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_v40_min", v40_min=900)

    assert requests_to(aioclient_mock, "PUT", "/V40Min/350.0")
    assert err.value.translation_placeholders == {
        "value": "900",
        "min": "200",
        "max": "350",
    }


@pytest.mark.parametrize(
    ("model", "limits", "value", "shown"),
    [
        ("SAGA S200", ("200", "350"), 360, "360"),
        ("SAGA S300", ("300", "550"), 250, "250"),
        ("saga s 300", ("300", "550"), 560, "560"),
        ("Future model", ("200", "550"), 600, "600"),
    ],
)
async def test_set_v40_min_model_range(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
    model: str,
    limits: tuple[str, str],
    value: float,
    shown: str,
) -> None:
    """Without reported limits the model's documented range applies."""
    payload = copy.deepcopy(devices_payload)
    payload[0].update(deviceType=model, v40LevelMin=None, v40LevelMax=None)
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=payload)
    await init_integration.runtime_data.async_refresh()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_v40_min", v40_min=value)

    assert err.value.translation_key == "v40_out_of_range"
    assert err.value.translation_placeholders == {
        "value": shown,
        "min": limits[0],
        "max": limits[1],
    }
    assert not requests_to(aioclient_mock, "PUT", "/V40Min/")


@pytest.mark.parametrize("value", [250.5, "250.5", float("nan")])
async def test_set_v40_min_whole_litres(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    value: Any,
) -> None:
    """Litres are whole numbers: a translated error naming the range."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_v40_min", v40_min=value)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "v40_not_whole"
    assert err.value.translation_placeholders["min"] == "200"
    assert err.value.translation_placeholders["max"] == "350"
    assert not requests_to(mock_oso_api, "PUT", "/V40Min/")


async def test_set_v40_min_shown_at_once(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    assert_debounced_refresh: Callable[[], Awaitable[None]],
) -> None:
    """The sensor shows the new floor right after the action; a refresh follows."""
    mock_oso_api.put(f"{DEVICE_URL}/V40Min/300.0", status=200)
    await call(hass, "set_v40_min", v40_min=300.0)

    assert init_integration.runtime_data.data[DEVICE_ID].v40_min == 300
    await assert_debounced_refresh()


@pytest.mark.parametrize(
    ("data", "shown"), [({"hour_00": 9}, "9"), ({"hour_12": 76}, "76")]
)
async def test_set_profile_outside_heater_range(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    shown: str,
) -> None:
    """set_profile uses the heater's range, the same as set_temperature."""
    mock_oso_api.mock_calls.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_profile", **data)

    assert err.value.translation_key == "temperature_out_of_range"
    assert err.value.translation_placeholders == {
        "value": shown,
        "min": "10",
        "max": "75",
    }
    assert not mock_oso_api.mock_calls


async def test_set_profile_up_to_the_heaters_maximum(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    devices_payload: list[dict[str, Any]],
    init_integration: MockConfigEntry,
) -> None:
    """A heater reporting 80 °C accepts 80 in set_profile too (not only 75)."""
    payload = copy.deepcopy(devices_payload)
    payload[0]["control"]["maxTemperature"] = 80
    aioclient_mock.clear_requests()
    aioclient_mock.get(DEVICES_URL, json=payload)
    aioclient_mock.put(f"{DEVICE_URL}/Profile", status=200)
    await init_integration.runtime_data.async_refresh()

    await call(hass, "set_profile", hour_12=80)

    [request] = requests_to(aioclient_mock, "PUT", "/Profile")
    assert 80 in request[2]["hours"]
    with pytest.raises(ServiceValidationError):
        await call(hass, "set_profile", hour_12=81)


@pytest.mark.parametrize("data", [{}, {"v40_min": "lots"}])
async def test_set_v40_min_bad_input(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
) -> None:
    """A missing or non-numeric value is refused by the schema."""
    mock_oso_api.mock_calls.clear()
    with pytest.raises(vol.Invalid):
        await call(hass, "set_v40_min", **data)
    assert not mock_oso_api.mock_calls


async def test_set_v40_min_api_failure(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """A refused command raises a translated HomeAssistantError."""
    aioclient_mock.clear_requests()
    aioclient_mock.put(f"{DEVICE_URL}/V40Min/240.0", status=503)

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "set_v40_min", v40_min=240)

    assert err.value.translation_key == "action_failed"


# --- turn_on / turn_off --------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "path"), [("turn_on", "TurnOn"), ("turn_off", "TurnOff")]
)
@pytest.mark.parametrize(
    ("until", "param"), [(True, "True"), (False, "False"), ("on", "True")]
)
async def test_turn_on_off(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    *,
    service: str,
    path: str,
    until: Any,
    param: str,
) -> None:
    """until_temp_limit chooses full utilisation (until the limit) or one hour."""
    await call(hass, service, until_temp_limit=until)

    [request] = requests_to(mock_oso_api, "POST", path)
    assert str(request[1]) == f"{DEVICE_URL}/{path}?fullUtilizationParam={param}"


@pytest.mark.parametrize("service", ["turn_on", "turn_off"])
@pytest.mark.parametrize("data", [{}, {"until_temp_limit": "maybe"}])
async def test_turn_on_off_bad_input(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """until_temp_limit is a required boolean."""
    mock_oso_api.mock_calls.clear()
    with pytest.raises(vol.Invalid):
        await call(hass, service, **data)
    assert not mock_oso_api.mock_calls


# --- turn_away_mode_on ---------------------------------------------------------


@pytest.mark.freeze_time("2025-01-15 10:00:00.123456+00:00")
@pytest.mark.parametrize(
    ("days", "end"),
    [(1, "2025-01-16"), ("7", "2025-01-22"), (365, "2026-01-15")],
)
async def test_turn_away_mode_on(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    days: Any,
    end: str,
) -> None:
    """Holiday mode from now for the given number of days."""
    url = f"{DEVICE_URL}/HolidayMode/2025-01-15T10:00:00.123456Z/{end}T10:00:00.123456Z"
    mock_oso_api.post(url, status=200)

    await call(hass, "turn_away_mode_on", duration_days=days)

    [request] = requests_to(mock_oso_api, "POST", "/HolidayMode/")
    assert str(request[1]) == url


@pytest.mark.parametrize("data", [{}, {"duration_days": 0}, {"duration_days": 366}])
async def test_turn_away_mode_on_bad_input(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
) -> None:
    """duration_days is required and 1-365."""
    mock_oso_api.mock_calls.clear()
    with pytest.raises(vol.Invalid):
        await call(hass, "turn_away_mode_on", **data)
    assert not mock_oso_api.mock_calls


# --- registration and descriptions ---------------------------------------------


async def test_action_descriptions(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """services.yaml and the translations describe every action and field."""
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    translations = json.loads(
        (INTEGRATION_DIR / "translations" / "en.json").read_text(encoding="utf-8")
    )["services"]

    assert set(descriptions) == {action.name for action in ACTIONS}
    assert set(translations) == set(descriptions)
    for name, description in descriptions.items():
        assert description["target"] == {
            "entity": [{"integration": DOMAIN, "domain": ["water_heater"]}]
        }
        schema_fields = {
            str(key) for key in next(a.schema for a in ACTIONS if a.name == name)
        }
        assert set(description["fields"]) == schema_fields
        assert set(translations[name].get("fields", {})) == schema_fields
        for field in description["fields"].values():
            selector.validate_selector(field["selector"])


# --- targets that are not ours -----------------------------------------------------


@pytest.mark.parametrize("action", [action.name for action in ACTIONS])
@pytest.mark.parametrize(
    ("target", "named"),
    [
        ({ATTR_ENTITY_ID: "water_heater.not_there"}, "water_heater.not_there"),
        ({ATTR_ENTITY_ID: "water_heater.other"}, "water_heater.other"),
        (
            {ATTR_ENTITY_ID: [ENTITY_ID, "water_heater.not_there"]},
            "water_heater.not_there",
        ),
        ({"device_id": "other-device"}, "-"),
    ],
)
async def test_action_on_an_entity_that_is_not_ours(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    action: str,
    target: dict[str, Any],
    named: str,
) -> None:
    """Every action refuses targets that are not OSO heaters, naming the accepted."""
    hass.states.async_set("water_heater.other", "eco")
    data = {
        "set_v40_min": {"v40_min": 240},
        "turn_on": {"until_temp_limit": False},
        "turn_off": {"until_temp_limit": False},
        "turn_away_mode_on": {"duration_days": 1},
    }.get(action, {})
    mock_oso_api.mock_calls.clear()

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            action,
            {**target, **data},
            blocking=True,
            return_response=action == "get_profile",
        )

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "entity_not_supported"
    assert err.value.translation_placeholders == {
        "entity_id": named,
        "entities": ENTITY_ID,
    }
    assert not mock_oso_api.mock_calls


async def test_action_through_the_heaters_device(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A device target reaches the heater's water heater."""
    [device] = dr.async_entries_for_config_entry(
        device_registry, init_integration.entry_id
    )

    result = await hass.services.async_call(
        DOMAIN,
        "get_profile",
        {"device_id": device.id},
        blocking=True,
        return_response=True,
    )

    assert list(result) == [ENTITY_ID]


async def test_action_on_all_entities(
    hass: HomeAssistant,
    mock_oso_api: AiohttpClientMocker,
    init_integration: MockConfigEntry,
) -> None:
    """`entity_id: all` reaches every OSO heater."""
    result = await hass.services.async_call(
        DOMAIN,
        "get_profile",
        {ATTR_ENTITY_ID: "all"},
        blocking=True,
        return_response=True,
    )

    assert list(result) == [ENTITY_ID]
