"""Repairs of the rates feature: a product or tariff Octopus does not know (404).

The issue is keyed on the meter and the tariff (hashed): a meter moving to a new
tariff that Octopus does not know raises its own issue, and the issue goes away
once that meter's rates are retrieved again.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from ...api import OctopusEnergyNotFoundError
from ...const import DOMAIN
from ...repairs import DATA_ENTRY_ID, ISSUE_UNKNOWN_PRODUCT, hashed
from .coordinator import RatesCoordinator


@callback
def async_track_unknown_product(
    hass: HomeAssistant, entry: ConfigEntry, coordinator: RatesCoordinator
) -> None:
    """Raise `unknown_product` while the meter's rates answer 404."""
    issues: set[str] = set()

    @callback
    def _check() -> None:
        meter = coordinator.meter_on(dt_util.utcnow()) or coordinator.meter
        issue_id = f"{ISSUE_UNKNOWN_PRODUCT}_{hashed(meter.key, meter.tariff_code)}"
        if isinstance(coordinator.last_error, OctopusEnergyNotFoundError):
            issues.add(issue_id)
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
        elif coordinator.last_error is None:
            for resolved in issues:
                ir.async_delete_issue(hass, DOMAIN, resolved)
            issues.clear()

    _check()
    entry.async_on_unload(coordinator.async_add_listener(_check))
