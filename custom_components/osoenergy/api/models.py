"""Typed models of the OSO Energy API responses.

Parsing is tolerant: a missing or malformed field becomes `None` instead of an error,
and unknown fields are ignored. Each model keeps the payload it came from in `raw`,
for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Any

HEATER_MODES: tuple[str, ...] = (
    "auto",
    "manual",
    "off",
    "legionella",
    "powersave",
    "extraenergy",
    "voltage",
    "ffr",
)
"""Heater modes as Home Assistant core reports them (raw value, lower-cased)."""

OPTIMIZATION_MODES: tuple[str, ...] = (
    "off",
    "oso",
    "gridcompany",
    "smartcompany",
    "advanced",
)
"""Optimisation owners as Home Assistant core reports them (lower-cased)."""

PROFILE_HOURS = 24

V40_RANGES_BY_MODEL: dict[str, tuple[float, float]] = {
    "S200": (200.0, 350.0),
    "S300": (300.0, 550.0),
}
"""The V40-minimum range (litres) OSO documents per model (SAGA S200, S300)."""

V40_RANGE_UNKNOWN_MODEL: tuple[float, float] = (200.0, 550.0)
"""Another model: the span of the documented ranges."""

TEMPERATURE_RANGE_DEFAULT: tuple[float, float] = (10.0, 75.0)
"""Target temperatures (°C) when a heater reports no limits (HA core's range)."""

_MODEL = re.compile(r"\bS\s?(\d{3})\b", re.IGNORECASE)


def model_v40_range(device_type: str) -> tuple[float, float]:
    """The documented V40-minimum range of a model (`SAGA S200` -> 200-350 L)."""
    match = _MODEL.search(device_type)
    if match is None:
        return V40_RANGE_UNKNOWN_MODEL
    return V40_RANGES_BY_MODEL.get(f"S{match.group(1)}", V40_RANGE_UNKNOWN_MODEL)


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _bool(value: Any) -> bool:
    return value is True


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lower(value: Any, default: str) -> str:
    """Lower-case an enum value; a missing value means `default` (as in core)."""
    text = _str(value)
    return text.lower() if text is not None else default


def _profile(value: Any) -> tuple[float, ...] | None:
    """Return the 24-hour profile, or None unless it is exactly 24 numbers."""
    if not isinstance(value, list) or len(value) != PROFILE_HOURS:
        return None
    hours = [_float(item) for item in value]
    if any(hour is None for hour in hours):
        return None
    return tuple(float(hour) for hour in hours if hour is not None)


@dataclass(frozen=True, kw_only=True)
class UserDetails:
    """The account behind a subscription key."""

    email: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UserDetails | None:
        """Parse `GET /1/User/Details`; None when it names no account."""
        email = _str(data.get("email"))
        return cls(email=email, raw=data) if email else None


@dataclass(frozen=True, kw_only=True)
class Device:
    """One water heater, as `GET /1/Device/All` describes it."""

    device_id: str
    name: str
    device_type: str
    connected: bool
    heater_on: bool
    heater_mode: str
    optimization_mode: str
    optimization_sub_option: Any
    current_temperature: float | None
    target_temperature: float | None
    target_temperature_low: float | None
    target_temperature_high: float | None
    min_temperature: float | None
    max_temperature: float | None
    temperature_top: float | None
    temperature_mid: float | None
    temperature_low: float | None
    temperature_one: float | None
    tapping_capacity: float | None
    capacity_mixed_water_40: float | None
    power_load: float | None
    rated_power: float | None
    volume: float | None
    v40_min: float | None
    v40_level_min: float | None
    v40_level_max: float | None
    profile: tuple[float, ...] | None
    power_save: bool
    extra_energy: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Device | None:
        """Parse one element of the device list; None if it has no device id."""
        device_id = _str(data.get("deviceId"))
        if device_id is None:
            return None
        control = _dict(data.get("control"))
        values = _dict(data.get("data"))
        connection = _dict(data.get("connectionState"))
        return cls(
            device_id=device_id,
            name=_str(data.get("deviceName")) or "Water Heater",
            device_type=_str(data.get("deviceType")) or "Unknown",
            connected=connection.get("connectionState") == "Connected",
            heater_on=_lower(control.get("heater"), "off") == "on",
            heater_mode=_lower(control.get("mode"), "off"),
            optimization_mode=_lower(data.get("optimizationOption"), "off"),
            optimization_sub_option=data.get("optimizationSubOption"),
            current_temperature=_float(control.get("currentTemperature")),
            target_temperature=_float(control.get("targetTemperature")),
            target_temperature_low=_float(control.get("targetTemperatureLow")),
            target_temperature_high=_float(control.get("targetTemperatureHigh")),
            min_temperature=_float(control.get("minTemperature")),
            max_temperature=_float(control.get("maxTemperature")),
            temperature_top=_float(control.get("currentTemperatureTop")),
            temperature_mid=_float(control.get("currentTemperatureMid")),
            temperature_low=_float(control.get("currentTemperatureLow")),
            temperature_one=_float(control.get("currentTemperatureOne")),
            tapping_capacity=_float(values.get("tappingCapacitykWh")),
            capacity_mixed_water_40=_float(values.get("capacityMixedWater40")),
            power_load=_float(values.get("actualLoadKwh")),
            rated_power=_float(data.get("powerConsumption")),
            volume=_float(data.get("volume")),
            v40_min=_float(data.get("v40Min")),
            v40_level_min=_float(data.get("v40LevelMin")),
            v40_level_max=_float(data.get("v40LevelMax")),
            profile=_profile(data.get("profile")),
            power_save=_bool(data.get("isInPowerSave")),
            extra_energy=_bool(data.get("isInExtraEnergy")),
            raw=data,
        )

    @property
    def v40_range(self) -> tuple[float, float]:
        """The V40-minimum range: the heater's own limits, else its model's."""
        low, high = model_v40_range(self.device_type)
        return (
            low if self.v40_level_min is None else self.v40_level_min,
            high if self.v40_level_max is None else self.v40_level_max,
        )

    @property
    def temperature_range(self) -> tuple[float, float]:
        """The settable target temperatures: the heater's own, else 10-75 °C."""
        low, high = TEMPERATURE_RANGE_DEFAULT
        return (
            low if self.min_temperature is None else self.min_temperature,
            high if self.max_temperature is None else self.max_temperature,
        )

    def has_field(self, section: str, key: str) -> bool:
        """Whether the payload carries `section.key` at all (even as null)."""
        return key in _dict(self.raw.get(section))
