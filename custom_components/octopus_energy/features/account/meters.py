"""Derive the active meters (the unit of entities) from the account.

One `ActiveMeter` per (meter point, meter) whose meter point has an agreement
active now, as the community integration creates its entities. Electricity export
comes from the meter point (`direction`, or an export smart meter); smart meters
are SMETS1/SMETS2 (`meterType` / `mechanism` S1 or S2); the Home Mini reads the
smart meter's device id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from ...api import Account, Agreement, Meter, MeterPoint
from ...models import ActiveMeter


def meter_points(account: Account) -> list[MeterPoint]:
    """Every electricity and gas meter point of the account."""
    return [*account.electricity_meter_points, *account.gas_meter_points]


def _active_meter(point: MeterPoint, meter: Meter, agreement: Agreement) -> ActiveMeter:
    device = meter.smart_device or meter.export_device
    return ActiveMeter(
        fuel=point.fuel,
        mpxn=point.mpxn,
        serial_number=meter.serial_number,
        is_export=point.is_export,
        is_smart=meter.is_smart,
        product_code=agreement.product_code or "",
        tariff_code=agreement.tariff_code or "",
        home_mini_device_id=device.device_id if device else None,
        manufacturer=(device.manufacturer if device else None) or meter.model_name,
        model=device.model if device else None,
        firmware_version=device.firmware_version if device else None,
        consumption_units=meter.consumption_units,
    )


def active_meters(account: Account, now: datetime) -> tuple[ActiveMeter, ...]:
    """The meters whose meter point has an agreement (with a tariff) active now."""
    meters: list[ActiveMeter] = []
    for point in meter_points(account):
        agreement = point.active_agreement(now)
        if agreement is None or not agreement.tariff_code:
            continue
        meters.extend(_active_meter(point, meter, agreement) for meter in point.meters)
    return tuple(meters)


def points_without_tariff(account: Account, now: datetime) -> list[MeterPoint]:
    """Meter points that have no agreement with a tariff active now."""
    return [
        point
        for point in meter_points(account)
        if (agreement := point.active_agreement(now)) is None
        or not agreement.tariff_code
    ]


def active_products(meters: Iterable[ActiveMeter]) -> set[str]:
    """The product codes of the active agreements."""
    return {meter.product_code for meter in meters if meter.product_code}


def meter_on(
    account: Account | None, meter: ActiveMeter, moment: datetime
) -> ActiveMeter | None:
    """The meter with the product and tariff of its agreement at `moment`.

    None when the meter point has no agreement with a tariff then. Without account
    data the meter is returned as it is.
    """
    if account is None:
        return meter
    for point in meter_points(account):
        if point.fuel is not meter.fuel or point.mpxn != meter.mpxn:
            continue
        agreement = point.active_agreement(moment)
        if agreement is None or not agreement.tariff_code:
            return None
        if agreement.tariff_code == meter.tariff_code:
            return meter
        return replace(
            meter,
            product_code=agreement.product_code or "",
            tariff_code=agreement.tariff_code,
        )
    return None
