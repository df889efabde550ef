"""Models of the account query: properties, meter points, meters and agreements.

Identifiers (MPAN, MPRN, serial numbers, device ids) are kept exactly as the API
returns them: the integration builds unique ids from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._parse import as_bool, as_datetime, as_dict, as_dicts, as_str
from .rates import Fuel

SMART_METER_TYPES: tuple[str, ...] = ("S1", "S2")
"""Prefixes of `meterType` / `mechanism` that mark a smart meter."""


@dataclass(frozen=True, kw_only=True)
class SmartDevice:
    """The smart-meter device behind a meter (the Home Mini reads its `device_id`)."""

    device_id: str | None
    manufacturer: str | None
    model: str | None
    firmware_version: str | None

    @classmethod
    def from_dict(cls, data: Any) -> SmartDevice | None:
        """Parse a `smart...Meter` object; None when absent."""
        if not isinstance(data, dict):
            return None
        return cls(
            device_id=as_str(data.get("deviceId")),
            manufacturer=as_str(data.get("manufacturer")),
            model=as_str(data.get("model")),
            firmware_version=as_str(data.get("firmwareVersion")),
        )


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """A tariff agreement of a meter point (`valid_to` None = open-ended)."""

    valid_from: datetime | None
    valid_to: datetime | None
    product_code: str | None
    tariff_code: str | None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Agreement:
        """Parse one agreement."""
        tariff = as_dict(data.get("tariff"))
        return cls(
            valid_from=as_datetime(data.get("validFrom")),
            valid_to=as_datetime(data.get("validTo")),
            product_code=as_str(tariff.get("productCode")),
            tariff_code=as_str(tariff.get("tariffCode")),
        )

    def is_active(self, moment: datetime) -> bool:
        """Whether the agreement covers `moment`."""
        started = self.valid_from is None or self.valid_from <= moment
        return started and (self.valid_to is None or moment < self.valid_to)


@dataclass(frozen=True, kw_only=True)
class Meter:
    """A meter of a meter point (electricity or gas).

    `smart_device` is the import (or gas) smart meter; `export_device` the export
    smart meter of an electricity meter. `model_name` is `makeAndType` (electricity)
    or `modelName` (gas); `meter_type` is `meterType` or `mechanism`.
    """

    serial_number: str
    meter_type: str | None
    model_name: str | None
    consumption_units: str | None
    active_from: datetime | None
    active_to: datetime | None
    smart_device: SmartDevice | None
    export_device: SmartDevice | None

    @property
    def is_smart(self) -> bool:
        """Whether the meter is a SMETS1/SMETS2 smart meter."""
        return (self.meter_type or "").startswith(SMART_METER_TYPES)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meter | None:
        """Parse an electricity or gas meter; None without a serial number."""
        serial = as_str(data.get("serialNumber"))
        if serial is None:
            return None
        return cls(
            serial_number=serial,
            meter_type=as_str(data.get("meterType")) or as_str(data.get("mechanism")),
            model_name=as_str(data.get("makeAndType")) or as_str(data.get("modelName")),
            consumption_units=as_str(data.get("consumptionUnits")),
            active_from=as_datetime(data.get("activeFrom")),
            active_to=as_datetime(data.get("activeTo")),
            smart_device=SmartDevice.from_dict(
                data.get("smartImportElectricityMeter") or data.get("smartGasMeter")
            ),
            export_device=SmartDevice.from_dict(
                data.get("smartExportElectricityMeter")
            ),
        )


@dataclass(frozen=True, kw_only=True)
class MeterPoint:
    """An electricity (MPAN) or gas (MPRN) meter point with meters and agreements."""

    fuel: Fuel
    mpxn: str
    direction: str | None
    meters: list[Meter]
    agreements: list[Agreement]

    @property
    def is_export(self) -> bool:
        """Export when the direction says so or an export smart meter is present."""
        if self.direction == "EXPORT":
            return True
        return any(meter.export_device is not None for meter in self.meters)

    def active_agreement(self, moment: datetime) -> Agreement | None:
        """Return the agreement covering `moment`, if any."""
        return next((a for a in self.agreements if a.is_active(moment)), None)

    @classmethod
    def from_dict(cls, fuel: Fuel, data: dict[str, Any]) -> MeterPoint | None:
        """Parse `electricityAgreements[].meterPoint` or `gasAgreements[]...`."""
        mpxn = as_str(data.get("mpan")) or as_str(data.get("mprn"))
        if mpxn is None:
            return None
        meters = [Meter.from_dict(item) for item in as_dicts(data.get("meters"))]
        return cls(
            fuel=fuel,
            mpxn=mpxn,
            direction=as_str(data.get("direction")),
            meters=[meter for meter in meters if meter is not None],
            agreements=[
                Agreement.from_dict(a) for a in as_dicts(data.get("agreements"))
            ],
        )


@dataclass(frozen=True, kw_only=True)
class Property:
    """A property of the account; heat pumps are looked up per property id."""

    id: str
    occupancy_ends: list[datetime | None]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Property | None:
        """Parse one property; None without an id."""
        raw_id = data.get("id")
        if raw_id is None:
            return None
        periods = as_dicts(data.get("occupancyPeriods"))
        return cls(
            id=str(raw_id),
            occupancy_ends=[as_datetime(p.get("effectiveTo")) for p in periods],
        )

    def is_occupied(self, moment: datetime) -> bool:
        """Whether an occupancy period is open at `moment` (fixes OE's inverted test).

        A property without occupancy periods counts as occupied.
        """
        if not self.occupancy_ends:
            return True
        return any(end is None or end > moment for end in self.occupancy_ends)


def _meter_points(fuel: Fuel, agreements: Any) -> list[MeterPoint]:
    points = [
        MeterPoint.from_dict(fuel, as_dict(item.get("meterPoint")))
        for item in as_dicts(agreements)
    ]
    return [point for point in points if point is not None]


@dataclass(frozen=True, kw_only=True)
class Account:
    """The account with its properties, meter points and Octoplus enrolment."""

    number: str
    is_octoplus_enrolled: bool
    properties: list[Property]
    electricity_meter_points: list[MeterPoint]
    gas_meter_points: list[MeterPoint]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, number: str, data: dict[str, Any]) -> Account | None:
        """Parse the combined account query; None when the account is missing."""
        account = data.get("account")
        if not isinstance(account, dict):
            return None
        properties = [Property.from_dict(p) for p in as_dicts(data.get("properties"))]
        octoplus = as_dict(data.get("octoplusAccountInfo"))
        return cls(
            number=number,
            is_octoplus_enrolled=as_bool(octoplus.get("isOctoplusEnrolled")) is True,
            properties=[p for p in properties if p is not None],
            electricity_meter_points=_meter_points(
                Fuel.ELECTRICITY, account.get("electricityAgreements")
            ),
            gas_meter_points=_meter_points(Fuel.GAS, account.get("gasAgreements")),
            raw=data,
        )
