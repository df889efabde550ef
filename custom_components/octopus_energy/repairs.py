"""Repair issues of the Octopus Energy integration (only what the user can act on).

- `unknown_product`: a product of an active agreement is unknown to the API (404).
- `no_active_tariff`: a meter point has no active agreement (no entities for it).
- `meter_added` / `meter_removed`: the active meters changed since setup; fixable,
  the fix reloads the entry.
- `unsupported_entry_kind`: a community cost-tracker, tariff-comparison or
  target-rate entry, kept untouched but not set up.

Issue ids never carry an account number or meter identifier: those parts are
SHA-256 hashed (as the community integration does). An authentication failure is
not an issue: it starts the reauth flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import hashlib
from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api import Account, Fuel, MeterPoint, OctopusEnergyNotFoundError
from .const import DOMAIN
from .features.account.meters import active_meters, points_without_tariff
from .models import ActiveMeter

ISSUE_UNKNOWN_PRODUCT = "unknown_product"
ISSUE_NO_ACTIVE_TARIFF = "no_active_tariff"
ISSUE_METER_ADDED = "meter_added"
ISSUE_METER_REMOVED = "meter_removed"
ISSUE_UNSUPPORTED_KIND = "unsupported_entry_kind"
DATA_ENTRY_ID = "entry_id"


def hashed(*parts: str) -> str:
    """A stable id part that reveals no identifier."""
    return hashlib.sha256("_".join(parts).encode()).hexdigest()


def _describe(fuel: Fuel, *, export: bool) -> str:
    if fuel is Fuel.GAS:
        return "gas"
    return "electricity export" if export else "electricity import"


def describe_meters(meters: Iterable[ActiveMeter]) -> str:
    """A description without identifiers, e.g. `electricity import, gas`."""
    return ", ".join(
        sorted(_describe(meter.fuel, export=meter.is_export) for meter in meters)
    )


def _entry_issue_ids(hass: HomeAssistant, entry_id: str, prefix: str) -> list[str]:
    return [
        issue_id
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
        and issue_id.startswith(prefix)
        and (issue.data or {}).get(DATA_ENTRY_ID) == entry_id
    ]


@callback
def async_report_unsupported_kind(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Tell the user an entry kind of the community integration is not set up."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"{ISSUE_UNSUPPORTED_KIND}_{entry.entry_id}",
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_UNSUPPORTED_KIND,
        translation_placeholders={
            "title": entry.title,
            "kind": str(entry.data.get("kind")),
        },
        data={DATA_ENTRY_ID: entry.entry_id},
    )


@callback
def async_delete_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the issues of an entry that a reload resolves (meter changes)."""
    for prefix in (ISSUE_METER_ADDED, ISSUE_METER_REMOVED):
        for issue_id in _entry_issue_ids(hass, entry_id, prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def _point_issue_id(point: MeterPoint) -> str:
    return f"{ISSUE_NO_ACTIVE_TARIFF}_{hashed(point.fuel.value, point.mpxn)}"


@callback
def async_update_tariff_issues(
    hass: HomeAssistant, entry: ConfigEntry, account: Account, now: Any
) -> None:
    """Raise `no_active_tariff` per meter point without one; drop resolved ones."""
    wanted = {
        _point_issue_id(point): point for point in points_without_tariff(account, now)
    }
    for issue_id, point in wanted.items():
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_NO_ACTIVE_TARIFF,
            translation_placeholders={
                "meter": _describe(point.fuel, export=point.is_export)
            },
            data={DATA_ENTRY_ID: entry.entry_id},
        )
    for issue_id in _entry_issue_ids(hass, entry.entry_id, ISSUE_NO_ACTIVE_TARIFF):
        if issue_id not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_update_meter_issues(
    hass: HomeAssistant,
    entry: ConfigEntry,
    setup_meters: Iterable[ActiveMeter],
    account: Account,
    now: Any,
) -> None:
    """Raise `meter_added` / `meter_removed` when the active meters changed."""
    loaded = {meter.key: meter for meter in setup_meters}
    current = {meter.key: meter for meter in active_meters(account, now)}
    changes = {
        ISSUE_METER_ADDED: [current[key] for key in current.keys() - loaded.keys()],
        ISSUE_METER_REMOVED: [loaded[key] for key in loaded.keys() - current.keys()],
    }
    for key, meters in changes.items():
        issue_id = f"{key}_{hashed(entry.entry_id)}"
        if not meters:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            continue
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders={
                "meters": describe_meters(meters),
                "title": entry.title,
            },
            data={DATA_ENTRY_ID: entry.entry_id},
        )


def _not_found(coordinator: DataUpdateCoordinator[Any]) -> bool:
    """Whether the coordinator's current failure is a 404.

    `last_exception` stays set after a success, hence the success check first.
    """
    error = coordinator.last_exception
    return (
        not coordinator.last_update_success
        and error is not None
        and isinstance(error.__cause__, OctopusEnergyNotFoundError)
    )


@callback
def async_track_unknown_product(
    hass: HomeAssistant,
    entry: ConfigEntry,
    meter: ActiveMeter,
    coordinator: DataUpdateCoordinator[Any],
) -> None:
    """Raise `unknown_product` when the rates of a meter's product return 404."""
    issue_id = f"{ISSUE_UNKNOWN_PRODUCT}_{meter.product_code}"

    @callback
    def _check() -> None:
        if _not_found(coordinator):
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_UNKNOWN_PRODUCT,
                translation_placeholders={"product_code": meter.product_code},
                data={DATA_ENTRY_ID: entry.entry_id},
            )
        elif coordinator.last_update_success:
            ir.async_delete_issue(hass, DOMAIN, issue_id)

    _check()
    entry.async_on_unload(coordinator.async_add_listener(_check))


class ReloadEntryRepairFlow(ConfirmRepairFlow):
    """Confirm, then reload the entry so its entities follow the account."""

    def __init__(self, entry_id: str) -> None:
        """Remember the entry to reload."""
        super().__init__()
        self.entry_id = entry_id

    async def async_step_confirm(self, user_input: dict[str, str] | None = None) -> Any:
        """Reload on confirmation.

        Typed `Any`: HA 2025.4 returns a FlowResult here, HA 2026 a RepairsFlowResult.
        """
        if user_input is not None:
            if self.hass.config_entries.async_get_entry(self.entry_id) is not None:
                self.hass.config_entries.async_schedule_reload(self.entry_id)
            return self.async_create_entry(data={})
        return await super().async_step_confirm(user_input)


async def async_create_fix_flow(
    hass: HomeAssistant,  # noqa: ARG001
    issue_id: str,  # noqa: ARG001
    data: Mapping[str, str | int | float | None] | None,
) -> RepairsFlow:
    """The fix flow of `meter_added` / `meter_removed`: reload the entry."""
    return ReloadEntryRepairFlow(str((data or {}).get(DATA_ENTRY_ID)))
