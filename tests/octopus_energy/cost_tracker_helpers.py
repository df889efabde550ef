"""Helpers of the cost-tracker tests: a tracked source entity and tracker entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.rates.coordinator import (
    RatesCoordinator,
)
from custom_components.octopus_energy.timeutil import floor_slot

from .builders import rates_of
from .conftest import ACCOUNT, IMPORT_MPAN

SOURCE = "sensor.plug_energy"
DAY = "sensor.octopus_energy_cost_tracker_plug"
WEEK = "sensor.octopus_energy_cost_tracker_plug_week"
MONTH = "sensor.octopus_energy_cost_tracker_plug_month"
IMPORT_KEY = "electricity_22L0000001_1200000000001"


def tracker_data(**overrides: Any) -> dict[str, Any]:
    """A cost-tracker entry exactly as the community integration stores it."""
    data: dict[str, Any] = {
        "kind": "cost_tracker",
        "account_id": ACCOUNT,
        "name": "plug",
        "mpan": IMPORT_MPAN,
        "target_entity_id": SOURCE,
        "entity_accumulative_value": True,
        "manual_reset": False,
        "weekday_reset": 0,
        "month_day_reset": 1,
    }
    data.update(overrides)
    return data


async def add_tracker(hass: HomeAssistant, **overrides: Any) -> MockConfigEntry:
    """Add and set up a cost-tracker entry."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=9,
        title="plug (cost tracker)",
        data=tracker_data(**overrides),
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def set_source(
    hass: HomeAssistant, value: float | str, unit: str = "kWh", **attributes: Any
) -> None:
    """Set the tracked entity's state."""
    hass.states.async_set(
        SOURCE,
        str(value),
        {
            "unit_of_measurement": unit,
            "device_class": "energy",
            "state_class": "total_increasing",
            **attributes,
        },
    )


def import_rates(account_entry: MockConfigEntry) -> RatesCoordinator:
    """The rates coordinator of the import meter."""
    return rates_of(account_entry.runtime_data)[IMPORT_KEY]


def rate_at(account_entry: MockConfigEntry, moment: datetime) -> float:
    """The import meter's price of the half hour of `moment` (GBP/kWh)."""
    start = floor_slot(moment)
    data = import_rates(account_entry).data
    assert data is not None
    return next(slot.value for slot in data.slots if slot.start == start)
