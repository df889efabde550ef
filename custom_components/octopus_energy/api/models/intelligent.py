"""Models of Intelligent Octopus (SmartFlex) devices, dispatches and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._parse import as_bool, as_datetime, as_dict, as_dicts, as_float, as_str

CHARGE_POINT_TYPENAME = "SmartFlexChargePoint"

BOOST_REFUSAL_REASONS: dict[str, str] = {
    "BC_DEVICE_NOT_YET_LIVE": "the device is not live yet",
    "BC_DEVICE_RETIRED": "the device is retired",
    "BC_DEVICE_SUSPENDED": "smart control of the device is suspended",
    "BC_DEVICE_DISCONNECTED": "the device is disconnected",
    "BC_DEVICE_NOT_AT_HOME": "the vehicle is not at home",
    "BC_BOOST_CHARGE_IN_PROGRESS": "a boost charge is already in progress",
    "BC_DEVICE_FULLY_CHARGED": "the vehicle is fully charged",
}
"""Known `boostChargeRefusalReasons` with a readable explanation."""


@dataclass(frozen=True, kw_only=True)
class IntelligentDevice:
    """A SmartFlex device (vehicle or charge point) of the account."""

    id: str
    provider: str | None
    device_type: str | None
    status: str | None
    typename: str | None
    make: str | None
    model: str | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def is_charge_point(self) -> bool:
        """Whether the device is a charge point (otherwise a vehicle)."""
        return self.typename == CHARGE_POINT_TYPENAME

    @property
    def is_live_vehicle_charging(self) -> bool:
        """The incumbent's filter: an EV device whose status is LIVE."""
        return self.device_type == "ELECTRIC_VEHICLES" and self.status == "LIVE"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntelligentDevice | None:
        """Parse one element of `devices`; None without an id."""
        device_id = as_str(data.get("id"))
        if device_id is None:
            return None
        return cls(
            id=device_id,
            provider=as_str(data.get("provider")),
            device_type=as_str(data.get("deviceType")),
            status=as_str(as_dict(data.get("status")).get("current")),
            typename=as_str(data.get("__typename")),
            make=as_str(data.get("make")),
            model=as_str(data.get("model")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class CatalogueModel:
    """A vehicle model (battery size, kWh) or charger model (power, kW)."""

    make: str
    model: str
    battery_size_kwh: float | None = None
    power_kw: float | None = None


@dataclass(frozen=True, kw_only=True)
class DeviceCatalogue:
    """The make/model catalogue; fetch it rarely (it is large)."""

    vehicles: list[CatalogueModel]
    charge_points: list[CatalogueModel]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceCatalogue:
        """Parse `electricVehicles` and `chargePointVariants`."""
        vehicles = [
            CatalogueModel(
                make=make,
                model=model,
                battery_size_kwh=as_float(item.get("batterySize")),
            )
            for entry in as_dicts(data.get("electricVehicles"))
            if (make := as_str(entry.get("make")))
            for item in as_dicts(entry.get("models"))
            if (model := as_str(item.get("model")))
        ]
        chargers = [
            CatalogueModel(
                make=make, model=model, power_kw=as_float(item.get("powerInKw"))
            )
            for entry in as_dicts(data.get("chargePointVariants"))
            if (make := as_str(entry.get("make")))
            for item in as_dicts(entry.get("models"))
            if (model := as_str(item.get("model")))
        ]
        return cls(vehicles=vehicles, charge_points=chargers)

    def find(self, device: IntelligentDevice) -> CatalogueModel | None:
        """Return the catalogue entry matching a device's make and model."""
        models = self.charge_points if device.is_charge_point else self.vehicles
        return next(
            (m for m in models if (m.make, m.model) == (device.make, device.model)),
            None,
        )


@dataclass(frozen=True, kw_only=True)
class PlannedDispatch:
    """A planned dispatch (`flexPlannedDispatches`)."""

    start: datetime
    end: datetime
    type: str | None
    energy_added_kwh: float | None


@dataclass(frozen=True, kw_only=True)
class CompletedDispatch:
    """A completed dispatch; `delta_kwh` is the charge added (negative in OE data)."""

    start: datetime
    end: datetime
    delta_kwh: float | None
    source: str | None
    location: str | None


def _planned(items: Any) -> list[PlannedDispatch]:
    result = []
    for item in as_dicts(items):
        start, end = as_datetime(item.get("start")), as_datetime(item.get("end"))
        if start is None or end is None:
            continue
        result.append(
            PlannedDispatch(
                start=start,
                end=end,
                type=as_str(item.get("type")),
                energy_added_kwh=as_float(item.get("energyAddedKwh")),
            )
        )
    return sorted(result, key=lambda dispatch: dispatch.start)


def _completed(items: Any) -> list[CompletedDispatch]:
    result = []
    for item in as_dicts(items):
        start, end = as_datetime(item.get("start")), as_datetime(item.get("end"))
        if start is None or end is None:
            continue
        meta = as_dict(item.get("meta"))
        result.append(
            CompletedDispatch(
                start=start,
                end=end,
                delta_kwh=as_float(item.get("delta")),
                source=as_str(meta.get("source")),
                location=as_str(meta.get("location")),
            )
        )
    return sorted(result, key=lambda dispatch: dispatch.start)


@dataclass(frozen=True, kw_only=True)
class IntelligentDispatches:
    """Planned and completed dispatches of a device plus its current state.

    `planned_available` is False when the API answered "no data" (KT-CT-4340):
    callers should then keep their previous planned dispatches.
    """

    current_state: str | None
    planned: list[PlannedDispatch]
    completed: list[CompletedDispatch]
    planned_available: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntelligentDispatches:
        """Parse the dispatches query."""
        devices = as_dicts(data.get("devices"))
        status = as_dict(devices[0].get("status")) if devices else {}
        return cls(
            current_state=as_str(status.get("currentState")),
            planned=_planned(data.get("flexPlannedDispatches")),
            completed=_completed(data.get("completedDispatches")),
            planned_available=isinstance(data.get("flexPlannedDispatches"), list),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class ChargeSchedule:
    """One day of the charging preferences: ready-by `time` (HH:MM) and limits."""

    day_of_week: str
    time: str | None
    min: float | None
    max: float | None
    upper_limit: float | None = None


@dataclass(frozen=True, kw_only=True)
class DeviceSettings:
    """Charging preferences of a device and whether smart control is suspended."""

    device_id: str
    is_suspended: bool | None
    target_type: str | None
    unit: str | None
    mode: str | None
    schedules: list[ChargeSchedule]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceSettings | None:
        """Parse the first device of the settings query; None without one."""
        devices = as_dicts(data.get("devices"))
        device_id = as_str(devices[0].get("id")) if devices else None
        if device_id is None:
            return None
        preferences = as_dict(devices[0].get("preferences"))
        schedules = [
            ChargeSchedule(
                day_of_week=day,
                time=as_str(item.get("time")),
                min=as_float(item.get("min")),
                max=as_float(item.get("max")),
                upper_limit=as_float(item.get("upperLimit")),
            )
            for item in as_dicts(preferences.get("schedules"))
            if (day := as_str(item.get("dayOfWeek")))
        ]
        return cls(
            device_id=device_id,
            is_suspended=as_bool(as_dict(devices[0].get("status")).get("isSuspended")),
            target_type=as_str(preferences.get("targetType")),
            unit=as_str(preferences.get("unit")),
            mode=as_str(preferences.get("mode")),
            schedules=schedules,
            raw=devices[0],
        )


@dataclass(frozen=True, kw_only=True)
class IntelligentDeviceState:
    """One device of the account with its state, settings and planned dispatches.

    `planned` is None when the API answered "no data" (KT-CT-4340) or the
    device's planned dispatches were not asked for: keep the previous ones.
    """

    device: IntelligentDevice
    current_state: str | None
    settings: DeviceSettings | None
    planned: list[PlannedDispatch] | None


@dataclass(frozen=True, kw_only=True)
class IntelligentState:
    """Every device's state and the account's completed dispatches (one request)."""

    devices: list[IntelligentDeviceState]
    completed: list[CompletedDispatch]

    @classmethod
    def from_dict(cls, data: dict[str, Any], device_ids: list[str]) -> IntelligentState:
        """Parse `intelligent_state_query(len(device_ids))`."""
        asked = {device_id: f"p{index}" for index, device_id in enumerate(device_ids)}
        devices = []
        for item in as_dicts(data.get("devices")):
            device = IntelligentDevice.from_dict(item)
            if device is None:
                continue
            alias = asked.get(device.id)
            raw_planned = data.get(alias) if alias else None
            devices.append(
                IntelligentDeviceState(
                    device=device,
                    current_state=as_str(
                        as_dict(item.get("status")).get("currentState")
                    ),
                    settings=DeviceSettings.from_dict({"devices": [item]}),
                    planned=_planned(raw_planned)
                    if isinstance(raw_planned, list)
                    else None,
                )
            )
        return cls(
            devices=devices, completed=_completed(data.get("completedDispatches"))
        )
