"""Diagnostics of an Octopus Energy account entry, with every identifier redacted.

Redacted: the API key and account number (entry data, title, unique id), meter
point numbers (MPAN/MPRN), serial numbers, smart device ids, property ids,
addresses, postcodes and names, wherever they appear in the raw account payload.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import CONF_ACCOUNT_ID, CONF_BACKEND_URL, CONF_BASE_URL, KIND_ACCOUNT
from .coordinator import OctopusEnergyCoordinator
from .data import OctopusEnergyConfigEntry
from .entry_kinds import ChildConfigEntry, entry_kind

TO_REDACT = {
    "api_key",
    CONF_ACCOUNT_ID,
    CONF_BASE_URL,
    CONF_BACKEND_URL,
    "title",
    "unique_id",
    "number",
    "accountNumber",
    "mpan",
    "mprn",
    "serialNumber",
    "deviceId",
    "device_id",
    "id",
    "address",
    "address1",
    "address2",
    "address3",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "postcode",
    "postCode",
    "name",
    "firstName",
    "lastName",
    "fullName",
    "email",
    "richAddress",
}

CHILD_REDACT = {"target_entity_id", "mpan_mprn"}
"""Cost-tracker and tariff-comparison keys that identify a device or meter."""


def _coordinator(coordinator: DataUpdateCoordinator[Any]) -> dict[str, Any]:
    interval = coordinator.update_interval
    error = (
        coordinator.last_error
        if isinstance(coordinator, OctopusEnergyCoordinator)
        else None
    )
    return {
        "coordinator": coordinator.name,
        "last_update_success": coordinator.last_update_success,
        "update_interval": interval.total_seconds() if interval else None,
        "last_exception": type(error).__name__ if error else None,
        "stale": getattr(coordinator, "stale", False),
        "has_data": coordinator.data is not None,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: OctopusEnergyConfigEntry,
) -> dict[str, Any]:
    """The entry, its meters and coordinators, the request counter, the account."""
    if entry_kind(entry) != KIND_ACCOUNT:
        child = cast("ChildConfigEntry", entry)
        return async_redact_data(
            {
                "entry": {
                    "title": entry.title,
                    "version": entry.version,
                    "data": dict(entry.data),
                },
                child.runtime_data.kind: child.runtime_data.diagnostics(),
            },
            TO_REDACT | CHILD_REDACT,
        )
    data = entry.runtime_data
    account = data.account
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "minor_version": entry.minor_version,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "settings": asdict(data.settings),
            "meters": [
                {
                    "fuel": meter.fuel.value,
                    "is_export": meter.is_export,
                    "is_smart": meter.is_smart,
                    "product_code": meter.product_code,
                    "tariff_code": meter.tariff_code,
                    "has_home_mini": meter.home_mini_device_id is not None,
                    "consumption_units": meter.consumption_units,
                }
                for meter in data.meters.values()
            ],
            "features": {
                key: feature.diagnostics() for key, feature in data.features.items()
            },
            "account_from_storage": isinstance(account, OctopusEnergyCoordinator)
            and account.stale,
            "coordinators": [_coordinator(c) for c in data.coordinators()],
            "requests": data.client.request_counter.as_dict(),
            "token_attempts_last_10_minutes": data.client.tokens.attempts_in_window,
            "account": account.data.raw if account.data is not None else None,
        },
        TO_REDACT,
    )
