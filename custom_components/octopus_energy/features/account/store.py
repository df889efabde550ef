"""Persisted account data, so an entry starts while the Octopus API is down.

Our store: `octopus_energy.{entry_id}_account` (version 1) holds the account
number and the account query's raw payload; `Account.from_dict` rebuilds the model.
On the first start after switching from the community integration, its store
`octopus_energy.{ACC}_account` (its own, already processed layout) is read once and
converted; it is never written or removed, so switching back keeps working.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ...api import Account
from ...const import DOMAIN

STORAGE_VERSION = 1


def account_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """This integration's account store of an entry."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}_account")


def community_account_store(
    hass: HomeAssistant, account_number: str
) -> Store[dict[str, Any]]:
    """The community integration's account store (read only)."""
    return Store(hass, 1, f"{DOMAIN}.{account_number}_account")


async def async_load_account(
    hass: HomeAssistant, entry_id: str, account_number: str
) -> Account | None:
    """The last account stored by us, else by the community integration."""
    stored = await account_store(hass, entry_id).async_load()
    if isinstance(stored, dict) and isinstance(stored.get("raw"), dict):
        return Account.from_dict(account_number, stored["raw"])
    legacy = await community_account_store(hass, account_number).async_load()
    if isinstance(legacy, dict):
        return Account.from_dict(account_number, community_to_raw(legacy))
    return None


async def async_save_account(
    hass: HomeAssistant, entry_id: str, account: Account
) -> None:
    """Store the account's raw payload."""
    await account_store(hass, entry_id).async_save({"raw": account.raw})


def _dicts(value: Any) -> list[dict[str, Any]]:
    return (
        [item for item in value or () if isinstance(item, dict)]
        if isinstance(value, list)
        else []
    )


def _device(meter: dict[str, Any]) -> dict[str, Any] | None:
    if not meter.get("device_id"):
        return None
    return {
        "deviceId": meter.get("device_id"),
        "manufacturer": meter.get("manufacturer"),
        "model": meter.get("model"),
        "firmwareVersion": meter.get("firmware"),
    }


def _agreements(point: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "validFrom": agreement.get("start") or agreement.get("valid_from"),
            "validTo": agreement.get("end") or agreement.get("valid_to"),
            "tariff": {
                "productCode": agreement.get("product_code"),
                "tariffCode": agreement.get("tariff_code"),
            },
        }
        for agreement in _dicts(point.get("agreements"))
    ]


def _electricity_point(point: dict[str, Any]) -> dict[str, Any]:
    meters = _dicts(point.get("meters"))
    export = bool(meters) and all(meter.get("is_export") for meter in meters)
    return {
        "meterPoint": {
            "mpan": point.get("mpan"),
            "direction": "EXPORT" if export else "IMPORT",
            "meters": [
                {
                    "serialNumber": meter.get("serial_number"),
                    "meterType": "S2" if meter.get("is_smart_meter") else None,
                    "makeAndType": meter.get("manufacturer"),
                    "smartImportElectricityMeter": _device(meter),
                    "smartExportElectricityMeter": None,
                }
                for meter in meters
            ],
            "agreements": _agreements(point),
        }
    }


def _gas_point(point: dict[str, Any]) -> dict[str, Any]:
    return {
        "meterPoint": {
            "mprn": point.get("mprn"),
            "meters": [
                {
                    "serialNumber": meter.get("serial_number"),
                    "mechanism": "S2" if meter.get("is_smart_meter") else None,
                    "modelName": meter.get("manufacturer"),
                    "consumptionUnits": meter.get("consumption_units"),
                    "smartGasMeter": _device(meter),
                }
                for meter in _dicts(point.get("meters"))
            ],
            "agreements": _agreements(point),
        }
    }


def community_to_raw(legacy: dict[str, Any]) -> dict[str, Any]:
    """Rebuild the account query's payload from the community integration's store."""
    return {
        "octoplusAccountInfo": {
            "isOctoplusEnrolled": bool(legacy.get("octoplus_enrolled"))
        },
        "properties": [{"id": prop_id} for prop_id in legacy.get("property_ids") or ()],
        "account": {
            "electricityAgreements": [
                _electricity_point(point)
                for point in _dicts(legacy.get("electricity_meter_points"))
            ],
            "gasAgreements": [
                _gas_point(point) for point in _dicts(legacy.get("gas_meter_points"))
            ],
        },
    }
