"""Helpers of the rate tests: meters, slots and version-stable entity snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from custom_components.octopus_energy.api import Fuel
from custom_components.octopus_energy.models import ActiveMeter, RateSlot

from .conftest import ELECTRICITY_SERIAL, EXPORT_MPAN, GAS_MPRN, GAS_SERIAL, IMPORT_MPAN

SLOT = timedelta(minutes=30)


def make_meter(
    fuel: Fuel = Fuel.ELECTRICITY,
    *,
    product: str = "AGILE-24-10-01",
    tariff: str = "E-1R-AGILE-24-10-01-C",
    export: bool = False,
    smart: bool = True,
) -> ActiveMeter:
    """A meter of the reference account (identifiers as the simulator has them)."""
    if fuel is Fuel.GAS:
        mpxn, serial = GAS_MPRN, GAS_SERIAL
    else:
        mpxn, serial = (EXPORT_MPAN if export else IMPORT_MPAN), ELECTRICITY_SERIAL
    return ActiveMeter(
        fuel=fuel,
        mpxn=mpxn,
        serial_number=serial,
        is_export=export,
        is_smart=smart,
        product_code=product,
        tariff_code=tariff,
        home_mini_device_id=None,
        manufacturer=None,
        model=None,
        firmware_version=None,
        consumption_units=None,
    )


AGILE = make_meter()
FIXED_EXPORT = make_meter(
    product="OUTGOING-FIX-12M-19-05-13",
    tariff="E-1R-OUTGOING-FIX-12M-19-05-13-C",
    export=True,
)
GAS = make_meter(Fuel.GAS, product="VAR-22-11-01", tariff="G-1R-VAR-22-11-01-C")


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[arg-type,misc]


def make_slots(
    start: datetime, end: datetime, price: Callable[[datetime], float]
) -> list[RateSlot]:
    """Half-hour slots in [start, end) priced by `price(slot_start)`."""
    slots = []
    moment = start
    while moment < end:
        slots.append(RateSlot(start=moment, end=moment + SLOT, value=price(moment)))
        moment += SLOT
    return slots


def plain(value: Any) -> Any:
    """Enums to values, keys to strings, datetimes to ISO text, recursively."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


REGISTRY_FIELDS = (
    "entity_id",
    "unique_id",
    "platform",
    "has_entity_name",
    "translation_key",
    "original_name",
    "original_device_class",
    "entity_category",
    "capabilities",
    "unit_of_measurement",
    "disabled_by",
)
