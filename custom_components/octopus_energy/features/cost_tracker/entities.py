"""The cost-tracker sensors: today, this week, this month, and their tiers.

Unique ids and entity ids are the community integration's:
`octopus_energy_cost_tracker_{NAME}[_{TIER}]`, `…_{NAME}_week[_{TIER}]` and
`…_{NAME}_month[_{TIER}]` (`sensor.octopus_energy_cost_tracker_…`). They attach
to the tracked entity's device. Tier variants exist when the meter's tariff has 2
or 3 distinct rates and are disabled by default. GBP, state class *total* with
`last_reset` = the start of the period. The half-hour and per-day lists
(`tracked_charges`, `untracked_charges`, `accumulated_data`) are kept for templates
but never recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from ...compat import attach_to_device, device_link_info, device_of_entity
from ...const import CONF_ACCOUNT_ID, DOMAIN
from ...entity import entity_id_for
from ...timeutil import SLOT, uk_midnight
from ..consumption.entities import CURRENCY_GBP, TIERS
from .model import Charge, Period, sorted_charges
from .tracker import CostTracker

PERIOD_DAY = "day"
PERIOD_WEEK = "week"
PERIOD_MONTH = "month"


@dataclass(frozen=True, kw_only=True)
class CostTrackerDescription(SensorEntityDescription):
    """One period of a cost tracker."""

    period: str
    suffix: str


DESCRIPTIONS: tuple[CostTrackerDescription, ...] = tuple(
    CostTrackerDescription(
        key=f"cost_tracker{suffix}",
        translation_key=f"cost_tracker{suffix}",
        period=period,
        suffix=suffix,
        device_class=SensorDeviceClass.MONETARY,
        native_unit_of_measurement=CURRENCY_GBP,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
    )
    for period, suffix in (
        (PERIOD_DAY, ""),
        (PERIOD_WEEK, "_week"),
        (PERIOD_MONTH, "_month"),
    )
)


def _charge_item(charge: Charge) -> dict[str, Any]:
    cost = charge.cost
    return {
        "start": dt_util.as_local(charge.start),
        "end": dt_util.as_local(charge.end),
        "rate": charge.rate,
        "consumption": round(charge.consumption, 6),
        "cost": None if cost is None else round(cost, 2),
        "cost_raw": None if cost is None else round(cost, 6),
    }


def _rows(period: Period) -> list[dict[str, Any]]:
    return [
        {
            "start": dt_util.as_local(uk_midnight(row.day)),
            "end": dt_util.as_local(uk_midnight(row.day + timedelta(days=1))),
            "consumption": round(row.consumption, 6),
            "cost": round(row.cost, 6),
        }
        for row in sorted(period.rows.values(), key=lambda r: r.day)
    ]


class CostTrackerSensor(SensorEntity):
    """The cost of one period (or one tier of it) of a cost tracker."""

    entity_description: CostTrackerDescription
    _attr_has_entity_name = True
    _attr_should_poll = False
    _unrecorded_attributes = frozenset(
        {"tracked_charges", "untracked_charges", "accumulated_data"}
    )

    def __init__(
        self,
        tracker: CostTracker,
        description: CostTrackerDescription,
        tier: str | None = None,
    ) -> None:
        """Unique id `octopus_energy_cost_tracker_{NAME}{suffix}[_{tier}]`."""
        self.tracker = tracker
        self.entity_description = description
        self.tier = tier
        tier_part = f"_{tier}" if tier else ""
        name = tracker.config.name
        self._attr_unique_id = (
            f"octopus_energy_cost_tracker_{name}{description.suffix}{tier_part}"
        )
        self.entity_id = entity_id_for("sensor", self._attr_unique_id)
        self._attr_translation_key = f"{description.translation_key}{tier_part}"
        self._attr_translation_placeholders = {"name": name}
        self._attr_entity_registry_enabled_default = tier is None
        device = device_of_entity(tracker.hass, tracker.config.target_entity_id)
        attach_to_device(self, device, device_link_info(device))

    @property
    def period(self) -> str:
        """`day`, `week` or `month`."""
        return self.entity_description.period

    @property
    def is_main(self) -> bool:
        """Whether this is the period's sensor (not a tier variant)."""
        return self.tier is None

    async def async_added_to_hass(self) -> None:
        """Follow the tracker."""
        await super().async_added_to_hass()
        self.async_on_remove(self.tracker.async_add_listener(self._updated))

    @callback
    def _updated(self) -> None:
        self.async_write_ha_state()

    def _total(self) -> tuple[float, float]:
        ledger = self.tracker.ledger
        if self.period == PERIOD_DAY:
            return ledger.day_total(self.tier)
        return self._period_of().total(self.tier)

    def _period_of(self) -> Period:
        ledger = self.tracker.ledger
        return ledger.week if self.period == PERIOD_WEEK else ledger.month

    @property
    def native_value(self) -> float:
        """GBP of the period (tier)."""
        return round(self._total()[1], 6)

    @property
    def last_reset(self) -> datetime:
        """The start of the period."""
        if self.period == PERIOD_DAY:
            return self.tracker.ledger.day_since
        return uk_midnight(self._period_of().since)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The community attributes (lists not recorded)."""
        total_consumption = round(self._total()[0], 6)
        if not self.is_main:
            return {"total_consumption": total_consumption}
        if self.period != PERIOD_DAY:
            return {
                "accumulated_data": _rows(self._period_of()),
                "total_consumption": total_consumption,
            }
        config = self.tracker.config
        ledger = self.tracker.ledger
        return {
            "name": config.name,
            "mpan": config.mpan,
            "target_entity_id": config.target_entity_id,
            "entity_accumulative_value": config.accumulative,
            CONF_ACCOUNT_ID: config.account_id,
            "manual_reset": config.manual_reset,
            "weekday_reset": config.weekday_reset,
            "month_day_reset": config.month_day_reset,
            "is_tracking": ledger.is_tracking,
            "tracked_charges": [
                _charge_item(c) for c in sorted_charges(ledger.tracked)
            ],
            "untracked_charges": [
                _charge_item(c) for c in sorted_charges(ledger.untracked)
            ],
            "total_consumption": total_consumption,
        }

    # -- actions ---------------------------------------------------------------

    async def async_update_tracking(self, is_tracking_enabled: bool) -> None:
        """`update_cost_tracker`: pause or resume costing."""
        self.tracker.set_tracking(is_tracking_enabled)

    async def async_reset(self) -> None:
        """`reset_cost_tracker`: zero this period."""
        if self.period == PERIOD_DAY:
            self.tracker.reset_day()
        else:
            self.tracker.reset_period(self.period)

    async def async_adjust(self, **fields: Any) -> None:
        """`adjust_cost_tracker`: replace one tracked half hour's consumption."""
        moment = fields.get("datetime") or fields.get("date")
        if moment is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="cost_tracker_datetime_required",
            )
        moment = dt_util.as_utc(moment)
        if not self.tracker.adjust(moment, float(fields["consumption"])):
            starts = sorted(self.tracker.ledger.tracked)
            raise _invalid_date(
                dt_util.as_local(starts[0]).isoformat() if starts else "-",
                dt_util.as_local(starts[-1] + SLOT).isoformat() if starts else "-",
            )

    async def async_adjust_day(self, **fields: Any) -> None:
        """`adjust_accumulative_cost_tracker`: replace one day's totals."""
        day: date = fields["date"]
        if not self.tracker.adjust_row(
            self.period, day, float(fields["consumption"]), float(fields["cost"])
        ):
            days = sorted(self._period_of().rows)
            raise _invalid_date(
                days[0].isoformat() if days else "-",
                days[-1].isoformat() if days else "-",
            )


def _invalid_date(min_date: str, max_date: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="cost_tracker_invalid_date",
        translation_placeholders={"min_date": min_date, "max_date": max_date},
    )


def tracker_entities(tracker: CostTracker, tiers: list[str]) -> list[CostTrackerSensor]:
    """The day, week and month sensors and the tier variants."""
    entities = []
    for description in DESCRIPTIONS:
        entities.append(CostTrackerSensor(tracker, description))
        entities.extend(
            CostTrackerSensor(tracker, description, tier)
            for tier in TIERS
            if tier in tiers
        )
    return entities
