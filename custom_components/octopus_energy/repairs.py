"""Repair issues of the Octopus Energy integration (only what the user can act on).

- `unknown_product`: a product of an active agreement is unknown to the API (404).
- `no_active_tariff`: a meter point has no active agreement (no entities for it).
- `meter_removed`: a meter with entities no longer has a tariff on the account; its
  entities stay (unavailable) with their history, nothing is deleted; fixable, the
  fix reloads the entry (the meter's device can then be deleted from its page).
  A meter that appears gets its entities at once (no issue).
- `unsupported_entry_kind`: a community (rolling) target-rate entry, kept
  untouched but not set up.

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

from .api import Fuel
from .const import DOMAIN
from .models import ActiveMeter

ISSUE_UNKNOWN_PRODUCT = "unknown_product"
ISSUE_NO_ACTIVE_TARIFF = "no_active_tariff"
ISSUE_METER_REMOVED = "meter_removed"
ISSUE_UNSUPPORTED_KIND = "unsupported_entry_kind"
DATA_ENTRY_ID = "entry_id"


def hashed(*parts: str) -> str:
    """A stable id part that reveals no identifier."""
    return hashlib.sha256("_".join(parts).encode()).hexdigest()


def describe(fuel: Fuel, *, export: bool) -> str:
    """`gas`, `electricity import` or `electricity export` (no identifiers)."""
    if fuel is Fuel.GAS:
        return "gas"
    return "electricity export" if export else "electricity import"


def describe_meters(meters: Iterable[ActiveMeter]) -> str:
    """A description without identifiers, e.g. `electricity import, gas`."""
    return ", ".join(
        sorted(describe(meter.fuel, export=meter.is_export) for meter in meters)
    )


def entry_issue_ids(hass: HomeAssistant, entry_id: str, prefix: str) -> list[str]:
    """The ids of this integration's issues of one entry starting with `prefix`."""
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
    for issue_id in entry_issue_ids(hass, entry_id, ISSUE_METER_REMOVED):
        ir.async_delete_issue(hass, DOMAIN, issue_id)


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
    """The fix flow of `meter_removed`: reload the entry."""
    return ReloadEntryRepairFlow(str((data or {}).get(DATA_ENTRY_ID)))
