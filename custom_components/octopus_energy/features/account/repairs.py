"""Repairs of the account feature: meter points without a tariff, removed meters.

Issue ids never carry an identifier (hashed parts, see `repairs.hashed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ...api import Account, MeterPoint
from ...const import DOMAIN
from ...models import ActiveMeter
from ...repairs import (
    DATA_ENTRY_ID,
    ISSUE_METER_REMOVED,
    ISSUE_NO_ACTIVE_TARIFF,
    describe,
    describe_meters,
    entry_issue_ids,
    hashed,
)
from .meters import active_meters, points_without_tariff


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
                "meter": describe(point.fuel, export=point.is_export)
            },
            data={DATA_ENTRY_ID: entry.entry_id},
        )
    for issue_id in entry_issue_ids(hass, entry.entry_id, ISSUE_NO_ACTIVE_TARIFF):
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
    """Raise `meter_removed` while meters with entities have no tariff any more."""
    loaded = {meter.key: meter for meter in setup_meters}
    current = {meter.key: meter for meter in active_meters(account, now)}
    changes = {
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
