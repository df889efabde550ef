"""The simulated OSO Energy water-heater API under `/oso/water-heater-api/1/`.

Follows the reference (§1 of oso-energy.md): the same paths, the
`Ocp-Apim-Subscription-Key` header (401 in Azure API Management's JSON shape when it is
missing or unknown), JSON device objects with the real field names, commands that
answer 200 with an empty body, and 400/404 answers in ASP.NET's problem-details shape.

The scenario (`scenarios/<name>/oso.json`) names the accounts (subscription key ->
e-mail and devices) and the static part of every device. Everything else is a
deterministic function of the simulator's clock and of the commands received:

- normal operation: the tank sits at the current UTC hour's profile target, minus a
  dip while hot water is tapped in the morning (06-09 UTC) and the evening (18-21:30
  UTC); the element is on while the tank is below the target band or below the V40
  floor, and then `actualLoadKwh` is the element's power;
- TurnOn (extra energy): heats at the element's rate up to the maximum temperature,
  for one hour or (fullUtilizationParam=True) until the maximum is reached;
- TurnOff (inhibit): no heating and the tank cools, for one hour or
  (fullUtilizationParam=True) until the V40 floor is reached;
- HolidayMode: power save (`isInPowerSave`) from start to end; DELETE ends it now;
- after a command's period the tank relaxes back to normal operation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import math
from typing import Any

from aiohttp import web

from .core import Simulator

PREFIX = "/oso/water-heater-api/1"
VENDOR = "oso"
KEY_HEADER = "Ocp-Apim-Subscription-Key"

WATER_KJ_PER_L_K = 4.186
COOLING_K_PER_HOUR = 3.0
RELAX_HOURS = 1.0
BAND_K = 3.0
HOLIDAY_ABOVE_INLET = 15.0
ONE_HOUR = timedelta(hours=1)
PROFILE_HOURS = 24
OPTIMIZATION_OPTIONS = ("off", "oso", "gridcompany", "smartcompany", "advanced")
"""The simulator's own guess at the undocumented OptimizationMode codes (0-4)."""

MISSING_KEY = (
    "Access denied due to missing subscription key. Make sure to include "
    "subscription key when making requests to an API."
)
INVALID_KEY = (
    "Access denied due to invalid subscription key. Make sure to provide a valid "
    "key for an active subscription."
)

type Device = dict[str, Any]


# --- state -----------------------------------------------------------------------


def load_state(scenario: dict[str, Any]) -> dict[str, Any]:
    """Build the vendor state from a scenario file (see the module docstring)."""
    devices = {}
    for item in scenario.get("devices", []):
        device = copy.deepcopy(item)
        params = device.pop("sim", {})
        devices[device["deviceId"]] = {
            "device": device,
            "params": params,
            "override": None,
            "holiday": None,
        }
    accounts = {
        key: {**account, "devices": list(account.get("devices", []))}
        for key, account in scenario.get("accounts", {}).items()
    }
    return {"accounts": accounts, "devices": devices}


# --- the simulated tank ----------------------------------------------------------


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _bump(hour: float, start: float, peak: float, end: float) -> float:
    """0 outside [start, end], rising to 1 at `peak` and falling back linearly."""
    if hour <= start or hour >= end:
        return 0.0
    if hour <= peak:
        return (hour - start) / (peak - start)
    return (end - hour) / (end - peak)


def _tapping_dip(dev: Device, now: datetime) -> float:
    """Kelvin below target while hot water is being used (morning and evening)."""
    params = dev["params"]
    hour = now.hour + now.minute / 60 + now.second / 3600
    morning = params.get("tappingMorning", 15.0) * _bump(hour, 6.0, 7.0, 9.0)
    evening = params.get("tappingEvening", 15.0) * _bump(hour, 18.0, 19.5, 21.5)
    return morning + evening


def _control(dev: Device) -> dict[str, Any]:
    control: dict[str, Any] = dev["device"].setdefault("control", {})
    return control


def _inlet(dev: Device) -> float:
    return float(dev["params"].get("inletTemperature", 10.0))


def _max_temperature(dev: Device) -> float:
    return float(_control(dev).get("maxTemperature", 75.0))


def _heat_rate(dev: Device) -> float:
    """Kelvin per hour the element adds to the whole tank."""
    device = dev["device"]
    power = float(device.get("powerConsumption") or 3.0)
    return power * 3600 / (float(device.get("volume") or 200) * WATER_KJ_PER_L_K)


def _v40_floor_temperature(dev: Device) -> float:
    """The tank temperature at which the 40 °C capacity equals the V40 floor."""
    device = dev["device"]
    inlet = _inlet(dev)
    return inlet + float(device["v40Min"]) * (40 - inlet) / float(device["volume"])


def _profile_target(dev: Device, now: datetime) -> float:
    return float(dev["device"]["profile"][now.hour])


def _relax(normal: float, end_value: float, since: timedelta) -> float:
    """Drift back from where a period left the tank to normal operation."""
    return normal + (end_value - normal) * math.exp(-_hours(since) / RELAX_HOURS)


def _holiday_target(dev: Device) -> float:
    """The temperature the tank is kept at while on holiday."""
    return _inlet(dev) + HOLIDAY_ABOVE_INLET


def _holiday_value(dev: Device, holiday: dict[str, Any], at: datetime) -> float:
    cooled = holiday["startTemperature"] - COOLING_K_PER_HOUR * _hours(
        at - holiday["start"]
    )
    return max(_holiday_target(dev), cooled)


def _override_value(dev: Device, override: dict[str, Any], at: datetime) -> float:
    elapsed = _hours(at - override["start"])
    if override["kind"] == "boost":
        heated = override["startTemperature"] + _heat_rate(dev) * elapsed
        return min(_max_temperature(dev), heated)
    cooled = override["startTemperature"] - COOLING_K_PER_HOUR * elapsed
    return max(min(_v40_floor_temperature(dev), override["startTemperature"]), cooled)


type PeriodValue = Callable[[Device, dict[str, Any], datetime], float]


def _layer(
    dev: Device,
    base: float,
    period: dict[str, Any] | None,
    *,
    end_key: str,
    value: PeriodValue,
    now: datetime,
) -> float:
    """The temperature with one period (holiday or command) applied on top of base."""
    if period is None or now < period["start"]:
        return base
    if now < period[end_key]:
        return value(dev, period, now)
    end = period[end_key]
    return _relax(base, value(dev, period, end), now - end)


def _temperature(dev: Device, now: datetime) -> float:
    """The tank temperature now: profile, tapping, holiday and the last command."""
    normal = _profile_target(dev, now) - _tapping_dip(dev, now)
    with_holiday = _layer(
        dev, normal, dev["holiday"], end_key="end", value=_holiday_value, now=now
    )
    return _layer(
        dev,
        with_holiday,
        dev["override"],
        end_key="until",
        value=_override_value,
        now=now,
    )


def _active(period: dict[str, Any] | None, end_key: str, now: datetime) -> bool:
    return period is not None and period["start"] <= now < period[end_key]


def _phase(dev: Device, now: datetime) -> str:
    """boost, holiday, inhibit or normal: what drives the heater right now."""
    override = dev["override"]
    overridden = _active(override, "until", now)
    if overridden and override["kind"] == "boost":
        return "boost"
    if _active(dev["holiday"], "end", now):
        return "holiday"
    return str(override["kind"]) if overridden else "normal"


def _target(dev: Device, phase: str, now: datetime) -> float:
    if phase == "boost":
        return _max_temperature(dev)
    if phase == "holiday":
        return _holiday_target(dev)
    return _profile_target(dev, now)


def _heater_on(dev: Device, phase: str, temperature: float, now: datetime) -> bool:
    if phase != "normal":
        return phase == "boost"
    below_band = temperature < _profile_target(dev, now) - 1
    return below_band or _capacity_40(dev, temperature) < float(dev["device"]["v40Min"])


def _capacity_40(dev: Device, temperature: float) -> float:
    """Litres of 40 °C mixed water the tank can deliver."""
    inlet = _inlet(dev)
    volume = float(dev["device"]["volume"])
    return max(0.0, volume * (temperature - inlet) / (40 - inlet))


def _tapping_capacity(dev: Device, temperature: float) -> float:
    """Energy (kWh) stored above the inlet temperature."""
    volume = float(dev["device"]["volume"])
    return max(0.0, volume * WATER_KJ_PER_L_K * (temperature - _inlet(dev)) / 3600)


MODES = {"boost": "ExtraEnergy", "holiday": "PowerSave"}


def _live_control(dev: Device, now: datetime) -> dict[str, Any]:
    phase = _phase(dev, now)
    temperature = _temperature(dev, now)
    target = _target(dev, phase, now)
    heater_on = _heater_on(dev, phase, temperature, now)
    return {
        "heater": "on" if heater_on else "off",
        "mode": MODES.get(phase, "auto"),
        "currentTemperature": round(temperature, 1),
        "targetTemperature": target,
        "targetTemperatureLow": target - BAND_K,
        "targetTemperatureHigh": target + BAND_K,
        "currentTemperatureTop": round(min(temperature + 3, _max_temperature(dev)), 1),
        "currentTemperatureMid": round(temperature, 1),
        "currentTemperatureLow": round(max(_inlet(dev), temperature - 20), 1),
    }


def device_json(dev: Device, now: datetime) -> dict[str, Any]:
    """The device object of `GET /1/Device/All` at `now`."""
    device = copy.deepcopy(dev["device"])
    live = _live_control(dev, now)
    temperature = live["currentTemperature"]
    heater_on = live["heater"] == "on"
    phase = _phase(dev, now)
    device["control"] = {**device.get("control", {}), **live}
    device["data"] = {
        "tappingCapacitykWh": round(_tapping_capacity(dev, temperature), 2),
        "capacityMixedWater40": round(_capacity_40(dev, temperature), 1),
        "actualLoadKwh": device.get("powerConsumption", 3.0) if heater_on else 0.0,
    }
    device["isInPowerSave"] = phase == "holiday"
    device["isInExtraEnergy"] = phase == "boost"
    return device


# --- commands --------------------------------------------------------------------


def _start_override(dev: Device, kind: str, now: datetime, *, full: bool) -> None:
    temperature = _temperature(dev, now)
    if not full:
        until = now + ONE_HOUR
    elif kind == "boost":
        until = now + timedelta(
            hours=max(0.0, _max_temperature(dev) - temperature) / _heat_rate(dev)
        )
    else:
        margin = max(0.0, temperature - _v40_floor_temperature(dev))
        until = now + timedelta(hours=margin / COOLING_K_PER_HOUR)
    dev["override"] = {
        "kind": kind,
        "start": now,
        "until": until,
        "startTemperature": temperature,
        "fullUtilization": full,
    }


def _start_holiday(dev: Device, start: datetime, end: datetime, now: datetime) -> None:
    """Plan a holiday; one that starts now ends the running command."""
    override = dev["override"]
    if start <= now and _active(override, "until", now):
        override["until"] = now
    dev["holiday"] = {
        "start": start,
        "end": end,
        "startTemperature": _temperature(dev, max(start, now)),
    }


def _end_holiday(dev: Device, now: datetime) -> None:
    holiday = dev["holiday"]
    if holiday is None or now >= holiday["end"]:
        return
    if now < holiday["start"]:
        dev["holiday"] = None
        return
    holiday["end"] = now


# --- HTTP ------------------------------------------------------------------------


@dataclass
class Call:
    """One authenticated request to the simulated API."""

    request: web.Request
    sim: Simulator
    account: dict[str, Any]
    now: datetime
    dev: Device | None = None

    @property
    def state(self) -> dict[str, Any]:
        """The OSO part of the simulator's state."""
        state: dict[str, Any] = self.sim.state[VENDOR]
        return state

    @property
    def device(self) -> Device:
        """The device named in the path (only for device routes)."""
        if self.dev is None:
            raise web.HTTPInternalServerError
        return self.dev


type Handler = Callable[[Call], Awaitable[web.Response]]


def _apim_error(status: int, message: str) -> web.Response:
    return web.json_response({"statusCode": status, "message": message}, status=status)


def _problem(
    status: int, title: str, errors: dict[str, list[str]] | None = None
) -> web.Response:
    body: dict[str, Any] = {
        "type": f"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
        "title": title,
        "status": status,
    }
    if errors:
        body["errors"] = errors
    return web.json_response(body, status=status)


def _invalid(field: str, message: str) -> web.Response:
    return _problem(400, "One or more validation errors occurred.", {field: [message]})


def _ok() -> web.Response:
    return web.Response(status=200)


def _authenticate(
    sim: Simulator, request: web.Request
) -> dict[str, Any] | web.Response:
    key = request.headers.get(KEY_HEADER)
    if not key:
        return _apim_error(401, MISSING_KEY)
    account: dict[str, Any] | None = sim.state[VENDOR]["accounts"].get(key)
    if account is None:
        return _apim_error(401, INVALID_KEY)
    return account


def _find_device(call: Call) -> Device | None:
    device_id = call.request.match_info["device_id"]
    if device_id not in call.account["devices"]:
        return None
    dev: Device | None = call.state["devices"].get(device_id)
    return dev


def endpoint(
    sim: Simulator, operation: str, handler: Handler, *, device: bool = False
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a handler: count and fault injection, then the key, then the device."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        if (fault := await sim.enter(f"{VENDOR}.{operation}", request)) is not None:
            return fault
        account = _authenticate(sim, request)
        if isinstance(account, web.Response):
            return account
        call = Call(request, sim, account, sim.clock.now())
        if device:
            call.dev = _find_device(call)
            if call.dev is None:
                return _problem(404, "Not Found")
        return await handler(call)

    return wrapped


async def user_details(call: Call) -> web.Response:
    """`GET /1/User/Details`."""
    account = {k: v for k, v in call.account.items() if k != "devices"}
    return web.json_response(account)


async def all_devices(call: Call) -> web.Response:
    """`GET /1/Device/All`."""
    devices = call.state["devices"]
    return web.json_response(
        [
            device_json(devices[device_id], call.now)
            for device_id in call.account["devices"]
            if device_id in devices
        ]
    )


def _full_utilization(request: web.Request) -> bool | None:
    """The `fullUtilizationParam` query value (False if absent, None if invalid)."""
    value = request.query.get("fullUtilizationParam")
    if value is None or value == "":
        return False
    return {"true": True, "false": False}.get(value.lower())


async def _command(call: Call, kind: str) -> web.Response:
    full = _full_utilization(call.request)
    if full is None:
        value = call.request.query["fullUtilizationParam"]
        return _invalid("fullUtilizationParam", f"The value '{value}' is not valid.")
    _start_override(call.device, kind, call.now, full=full)
    return _ok()


async def turn_on(call: Call) -> web.Response:
    """`POST /1/Device/{id}/TurnOn?fullUtilizationParam=`: extra energy."""
    return await _command(call, "boost")


async def turn_off(call: Call) -> web.Response:
    """`POST /1/Device/{id}/TurnOff?fullUtilizationParam=`: inhibit heating."""
    return await _command(call, "inhibit")


async def _json_body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _profile_error(dev: Device, hours: Any) -> str | None:
    if not isinstance(hours, list) or len(hours) != PROFILE_HOURS:
        return f"The profile must have exactly {PROFILE_HOURS} hours."
    if not all(_number(hour) for hour in hours):
        return "Every hour must be a number."
    control = _control(dev)
    low, high = control.get("minTemperature", 10), control.get("maxTemperature", 75)
    if not all(low <= hour <= high for hour in hours):
        return f"Every hour must be between {low} and {high}."
    return None


async def set_profile(call: Call) -> web.Response:
    """`PUT /1/Device/{id}/Profile` with `{"hours": [24 numbers]}`."""
    body = await _json_body(call.request)
    hours = body.get("hours") if isinstance(body, dict) else None
    if (error := _profile_error(call.device, hours)) is not None:
        return _invalid("hours", error)
    call.device["device"]["profile"] = list(hours)
    return _ok()


def _parse_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


async def set_v40_min(call: Call) -> web.Response:
    """`PUT /1/Device/{id}/V40Min/{value}`: within the device's own limits."""
    text = call.request.match_info["value"]
    value = _parse_float(text)
    if value is None:
        return _invalid("value", f"The value '{text}' is not valid.")
    device = call.device["device"]
    low, high = device["v40LevelMin"], device["v40LevelMax"]
    if not low <= value <= high:
        return _invalid("value", f"V40Min must be between {low} and {high}.")
    device["v40Min"] = value
    return _ok()


async def set_optimization_mode(call: Call) -> web.Response:
    """`PUT /1/Device/{id}/OptimizationMode` with the two plural option keys."""
    body = await _json_body(call.request)
    body = body if isinstance(body, dict) else {}
    option = body.get("optimizationOptions")
    sub_option = body.get("optimizationSubOptions")
    if not isinstance(option, int) or not 0 <= option < len(OPTIMIZATION_OPTIONS):
        return _invalid("optimizationOptions", "Unknown optimization option.")
    if not isinstance(sub_option, int) or isinstance(sub_option, bool):
        return _invalid("optimizationSubOptions", "Unknown optimization sub-option.")
    call.device["device"]["optimizationOption"] = OPTIMIZATION_OPTIONS[option]
    call.device["device"]["optimizationSubOption"] = sub_option
    return _ok()


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def enable_holiday(call: Call) -> web.Response:
    """`POST /1/Device/{id}/HolidayMode/{start}/{end}` (UTC ISO-8601)."""
    start = _parse_time(call.request.match_info["start"])
    end = _parse_time(call.request.match_info["end"])
    if start is None or end is None:
        return _invalid("start", "Start and end must be ISO-8601 date-times.")
    if end <= start:
        return _invalid("end", "The holiday must end after it starts.")
    _start_holiday(call.device, start.astimezone(UTC), end.astimezone(UTC), call.now)
    return _ok()


async def disable_holiday(call: Call) -> web.Response:
    """`DELETE /1/Device/{id}/HolidayMode`: end the holiday now."""
    _end_holiday(call.device, call.now)
    return _ok()


async def _not_found(request: web.Request) -> web.Response:
    """APIM's answer for a path no operation matches."""
    del request
    return _apim_error(404, "Resource not found")


ROUTES: tuple[tuple[str, str, str, Handler, bool], ...] = (
    ("GET", "/User/Details", "user", user_details, False),
    ("GET", "/Device/All", "devices", all_devices, False),
    ("POST", "/Device/{device_id}/TurnOn", "turn_on", turn_on, True),
    ("POST", "/Device/{device_id}/TurnOff", "turn_off", turn_off, True),
    ("PUT", "/Device/{device_id}/Profile", "profile", set_profile, True),
    ("PUT", "/Device/{device_id}/V40Min/{value}", "v40_min", set_v40_min, True),
    (
        "PUT",
        "/Device/{device_id}/OptimizationMode",
        "optimization_mode",
        set_optimization_mode,
        True,
    ),
    (
        "POST",
        "/Device/{device_id}/HolidayMode/{start}/{end}",
        "holiday_on",
        enable_holiday,
        True,
    ),
    ("DELETE", "/Device/{device_id}/HolidayMode", "holiday_off", disable_holiday, True),
)
"""(method, path below /1, operation name, handler, names a device)."""


def setup(app: web.Application, sim: Simulator) -> None:
    """Register the OSO routes and the OSO state (rebuilt on every reset)."""
    sim.register(VENDOR, load_state)
    for method, path, operation, handler, device in ROUTES:
        app.router.add_route(
            method, PREFIX + path, endpoint(sim, operation, handler, device=device)
        )
    app.router.add_route("*", "/oso/{tail:.*}", _not_found)
