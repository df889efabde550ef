"""Tests of deriving the active meters and of the stored (community) account."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.octopus_energy.api import Account, Fuel
from custom_components.octopus_energy.features.account.meters import (
    active_meters,
    active_products,
    points_without_tariff,
)
from custom_components.octopus_energy.features.account.store import (
    async_load_account,
    async_save_account,
    community_to_raw,
)

from .conftest import ACCOUNT

FIXTURE = Path(__file__).parent / "api" / "fixtures" / "account.json"
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def _account() -> Account:
    account = Account.from_dict(ACCOUNT, json.loads(FIXTURE.read_text()))
    assert account is not None
    return account


def test_active_meters() -> None:
    """One meter per (point, meter) with an active agreement; export and gas."""
    meters = {meter.key: meter for meter in active_meters(_account(), NOW)}
    assert set(meters) == {
        "electricity_21E0000001_1100000000001",
        "electricity_21E0000001_1100000000002_export",
        "gas_G4P00000001_3000000001",
    }
    imp = meters["electricity_21E0000001_1100000000001"]
    assert imp.tariff_code == "E-1R-AGILE-24-10-01-C"
    assert imp.product_code == "AGILE-24-10-01"
    assert imp.is_smart
    assert not imp.is_export
    assert imp.home_mini_device_id == "00-00-00-00-00-00-00-01"
    assert imp.manufacturer == "Landis+Gyr"
    assert imp.model == "E470"
    assert imp.firmware_version == "1.2.3"
    export = meters["electricity_21E0000001_1100000000002_export"]
    assert export.is_export
    assert export.home_mini_device_id == "00-00-00-00-00-00-00-01"  # export device
    gas = meters["gas_G4P00000001_3000000001"]
    assert gas.fuel is Fuel.GAS
    assert gas.consumption_units == "m³"
    assert gas.is_smart
    assert active_products(meters.values()) == {
        "AGILE-24-10-01",
        "OUTGOING-FIX-12M-19-05-13",
        "VAR-22-11-01",
    }
    assert points_without_tariff(_account(), NOW) == []


def test_no_active_agreement() -> None:
    """Before any agreement started, no meter is active and every point is listed."""
    past = datetime(2020, 1, 1, tzinfo=UTC)
    assert active_meters(_account(), past) == ()
    assert len(points_without_tariff(_account(), past)) == 3


COMMUNITY: dict[str, Any] = {
    "id": ACCOUNT,
    "octoplus_enrolled": True,
    "property_ids": ["1000001"],
    "electricity_meter_points": [
        {
            "mpan": "1200000000001",
            "meters": [
                {
                    "serial_number": "22L0000001",
                    "is_export": False,
                    "is_smart_meter": True,
                    "device_id": "00-00-00-00-00-00-E1-01",
                    "manufacturer": "Landis",
                    "model": "E470",
                    "firmware": "1.0",
                }
            ],
            "agreements": [
                {
                    "start": "2024-11-01T00:00:00+00:00",
                    "end": None,
                    "tariff_code": "E-1R-AGILE-24-10-01-C",
                    "product_code": "AGILE-24-10-01",
                }
            ],
        },
        {
            "mpan": "1200000000002",
            "meters": [
                {
                    "serial_number": "22L0000001",
                    "is_export": True,
                    "is_smart_meter": True,
                    "device_id": None,
                    "manufacturer": "Landis",
                }
            ],
            "agreements": [
                {
                    "start": "2024-01-01T00:00:00+00:00",
                    "end": None,
                    "tariff_code": "E-1R-OUTGOING-FIX-12M-19-05-13-C",
                    "product_code": "OUTGOING-FIX-12M-19-05-13",
                }
            ],
        },
    ],
    "gas_meter_points": [
        {
            "mprn": "3000000001",
            "meters": [
                {
                    "serial_number": "G4A0000001",
                    "consumption_units": "m³",
                    "is_smart_meter": False,
                    "device_id": None,
                    "manufacturer": "EDMI",
                }
            ],
            "agreements": [
                {
                    "valid_from": "2024-01-01T00:00:00+00:00",
                    "valid_to": None,
                    "tariff_code": "G-1R-VAR-22-11-01-C",
                    "product_code": "VAR-22-11-01",
                }
            ],
        }
    ],
}


def test_community_store_conversion() -> None:
    """The community integration's stored account gives the same meters."""
    account = Account.from_dict(ACCOUNT, community_to_raw(COMMUNITY))
    assert account is not None
    assert account.is_octoplus_enrolled
    assert [p.id for p in account.properties] == ["1000001"]
    meters = {meter.key: meter for meter in active_meters(account, NOW)}
    assert set(meters) == {
        "electricity_22L0000001_1200000000001",
        "electricity_22L0000001_1200000000002_export",
        "gas_G4A0000001_3000000001",
    }
    assert meters["electricity_22L0000001_1200000000001"].home_mini_device_id == (
        "00-00-00-00-00-00-E1-01"
    )
    assert meters["electricity_22L0000001_1200000000001"].is_smart
    gas = meters["gas_G4A0000001_3000000001"]
    assert not gas.is_smart
    assert gas.manufacturer == "EDMI"
    assert gas.consumption_units == "m³"
    empty = Account.from_dict(ACCOUNT, community_to_raw({"gas_meter_points": "x"}))
    assert empty is not None
    assert active_meters(empty, NOW) == ()


async def test_load_account(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """Ours first, else the community's store (read only), else nothing."""
    assert await async_load_account(hass, "entry1", ACCOUNT) is None
    hass_storage[f"octopus_energy.{ACCOUNT}_account"] = {
        "version": 1,
        "key": f"octopus_energy.{ACCOUNT}_account",
        "data": COMMUNITY,
    }
    legacy = await async_load_account(hass, "entry1", ACCOUNT)
    assert legacy is not None
    assert len(active_meters(legacy, NOW)) == 3

    await async_save_account(hass, "entry1", _account())
    ours = await async_load_account(hass, "entry1", ACCOUNT)
    assert ours is not None
    assert ours.raw == _account().raw
    assert hass_storage[f"octopus_energy.{ACCOUNT}_account"]["data"] == COMMUNITY
