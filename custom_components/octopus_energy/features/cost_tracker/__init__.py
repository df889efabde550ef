"""Cost trackers: the cost of any energy entity at the account meter's rates.

A `cost_tracker` config entry (community layout, octopus-energy.md B.1.5) names
an account, one of its electricity meters (`mpan`) and an energy sensor
(`target_entity_id`). Its setup needs the account entry loaded; it starts a
`CostTracker` (ledger, source, clock, store) and adds the day, week and month
sensors (plus tier variants on 2- and 3-rate tariffs) to the tracked entity's
device. No request is made: prices come from the account's rates coordinator.

Actions (entity actions on the sensors): `update_cost_tracker`,
`reset_cost_tracker`, `adjust_cost_tracker`, `adjust_accumulative_cost_tracker`.
"""

from __future__ import annotations

from typing import Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ...compat import remove_stale_device_links
from ...const import DOMAIN, KIND_COST_TRACKER
from ...entry_kinds import (
    ChildConfigEntry,
    ChildEntryData,
    EntryKind,
    require_account,
)
from ...feature import EntityService
from ...timeutil import uk_day
from ..rates import RatesFeature
from ..rates.tariff import day_slots, rate_tiers
from .entities import PERIOD_DAY, CostTrackerSensor, tracker_entities
from .model import TrackerConfig
from .tracker import CostTracker, tracker_meter_key

PLATFORMS: Final = (Platform.SENSOR,)
SERVICE_UPDATE: Final = "update_cost_tracker"
SERVICE_RESET: Final = "reset_cost_tracker"
SERVICE_ADJUST: Final = "adjust_cost_tracker"
SERVICE_ADJUST_ACCUMULATIVE: Final = "adjust_accumulative_cost_tracker"
NON_NEGATIVE = vol.All(vol.Coerce(float), vol.Range(min=0))


def _is_day(entity: object) -> bool:
    return (
        isinstance(entity, CostTrackerSensor)
        and entity.is_main
        and entity.period == PERIOD_DAY
    )


def _is_accumulated(entity: object) -> bool:
    return (
        isinstance(entity, CostTrackerSensor)
        and entity.is_main
        and entity.period != PERIOD_DAY
    )


SERVICES: Final = (
    EntityService(
        name=SERVICE_UPDATE,
        platform=Platform.SENSOR,
        method="async_update_tracking",
        entity_types=(CostTrackerSensor,),
        accepts=_is_day,
        schema={vol.Required("is_tracking_enabled"): cv.boolean},
    ),
    EntityService(
        name=SERVICE_RESET,
        platform=Platform.SENSOR,
        method="async_reset",
        entity_types=(CostTrackerSensor,),
        accepts=lambda entity: getattr(entity, "is_main", False),
        schema={},
    ),
    EntityService(
        name=SERVICE_ADJUST,
        platform=Platform.SENSOR,
        method="async_adjust",
        entity_types=(CostTrackerSensor,),
        accepts=_is_day,
        schema={
            vol.Optional("datetime"): cv.datetime,
            vol.Optional("date"): cv.datetime,
            vol.Required("consumption"): NON_NEGATIVE,
        },
    ),
    EntityService(
        name=SERVICE_ADJUST_ACCUMULATIVE,
        platform=Platform.SENSOR,
        method="async_adjust_day",
        entity_types=(CostTrackerSensor,),
        accepts=_is_accumulated,
        schema={
            vol.Required("date"): cv.date,
            vol.Required("consumption"): NON_NEGATIVE,
            vol.Required("cost"): NON_NEGATIVE,
        },
    ),
)


def _tiers(hass: HomeAssistant, config: TrackerConfig, meter_key: str) -> list[str]:
    """The tiers of the meter's known days (2- or 3-rate tariffs)."""
    runtime = require_account(hass, config.account_id)
    feature = runtime.feature(RatesFeature)
    rates = feature.rates_for(meter_key) if feature else None
    if rates is None or rates.data is None:
        return []
    slots = rates.data.slots
    found: set[str] = set()
    for day in {uk_day(slot.start) for slot in slots}:
        found.update(rate_tiers(day_slots(slots, day)).values())
    return sorted(found)


async def async_setup_cost_tracker(
    hass: HomeAssistant, entry: ChildConfigEntry
) -> ChildEntryData:
    """Start the tracker of a `cost_tracker` entry; its sensors follow."""
    config = TrackerConfig.from_data(entry.data)
    require_account(hass, config.account_id)
    meter_key = tracker_meter_key(hass, config)
    if meter_key is None:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="cost_tracker_meter_not_found"
        )
    remove_stale_device_links(hass, entry.entry_id, config.target_entity_id)
    tracker = CostTracker(hass, entry, config)
    await tracker.async_start(meter_key)
    return ChildEntryData(
        kind=KIND_COST_TRACKER,
        entities={
            Platform.SENSOR: list(
                tracker_entities(tracker, _tiers(hass, config, meter_key))
            )
        },
        teardown=[tracker.async_stop],
        diagnostics_fn=tracker.diagnostics,
    )


COST_TRACKER: Final = EntryKind(
    kind=KIND_COST_TRACKER,
    platforms=PLATFORMS,
    services=SERVICES,
    async_setup=async_setup_cost_tracker,
)
