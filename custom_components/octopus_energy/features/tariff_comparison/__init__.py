"""Tariff comparisons: what the previous day would have cost on another tariff.

A `tariff_comparison` config entry (community layout, octopus-energy.md B.1.7)
names an account, one of its meter points (`mpan_mprn`, electricity or gas) and a
product and tariff code. Its setup needs the account entry loaded; it creates a
`TariffComparisonCoordinator` (one rates and one standing-charge request per
compared day, stored) and the cost sensor and comparison-rates event entity on
the meter's device.
"""

from __future__ import annotations

from typing import Final, cast

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady

from ...const import CONF_ACCOUNT_ID, DOMAIN, KIND_TARIFF_COMPARISON
from ...data import OctopusEnergyConfigEntry
from ...entry_kinds import (
    ChildConfigEntry,
    ChildEntryData,
    EntryKind,
    find_meter,
    require_account,
)
from .coordinator import (
    CONF_MPAN_MPRN,
    CONF_PRODUCT_CODE,
    CONF_TARIFF_CODE,
    TariffComparisonCoordinator,
)
from .entities import comparison_entities

PLATFORMS: Final = (Platform.EVENT, Platform.SENSOR)


async def async_setup_tariff_comparison(
    hass: HomeAssistant, entry: ChildConfigEntry
) -> ChildEntryData:
    """Create and first-refresh the comparison of a `tariff_comparison` entry."""
    data = entry.data
    account_id = str(data[CONF_ACCOUNT_ID])
    runtime = require_account(hass, account_id)
    meter = find_meter(runtime, str(data[CONF_MPAN_MPRN]))
    if meter is None:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="tariff_comparison_meter_not_found",
        )
    coordinator = TariffComparisonCoordinator(
        hass,
        cast("OctopusEnergyConfigEntry", entry),
        runtime.client,
        account_id=account_id,
        account_entry_id=runtime.entry.entry_id,
        meter=meter,
        product_code=str(data[CONF_PRODUCT_CODE]),
        tariff_code=str(data[CONF_TARIFF_CODE]),
    )
    await coordinator.async_config_entry_first_refresh()

    def diagnostics() -> dict[str, object]:
        compared = coordinator.data
        return {
            "fuel": meter.fuel.value,
            "is_export": meter.is_export,
            "product_code": coordinator.compared.product_code,
            "tariff_code": coordinator.compared.tariff_code,
            "compared_day": compared.day.isoformat() if compared else None,
            "history_days": len(compared.history) if compared else 0,
            "last_exception": type(coordinator.last_error).__name__
            if coordinator.last_error
            else None,
        }

    return ChildEntryData(
        kind=KIND_TARIFF_COMPARISON,
        entities=comparison_entities(coordinator, str(data["name"])),
        diagnostics_fn=diagnostics,
    )


TARIFF_COMPARISON: Final = EntryKind(
    kind=KIND_TARIFF_COMPARISON,
    platforms=PLATFORMS,
    services=(),
    async_setup=async_setup_tariff_comparison,
)
