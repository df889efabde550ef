"""Previous-day consumption and cost sensors, and the consumption-rates event.

Unique ids are the community integration's: electricity
`{E}[_export]_previous_accumulative_consumption[_{TIER}]` and
`…_previous_accumulative_cost[_{TIER}]`; gas `{G}_previous_accumulative_
consumption_m3`, `…_kwh` and `…_previous_accumulative_cost`; events
`…_previous_consumption_rates`. Totals have state class TOTAL with `last_reset` =
the start of the day they describe. Main sensors are enabled on smart meters only;
tier variants (electricity tariffs with 2 or 3 rates) and the event are disabled by
default. The half-hourly `charges` list is kept for templates but never recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform, UnitOfEnergy, UnitOfVolume
from homeassistant.helpers.entity import Entity

from ...api import Fuel
from ...entity import (
    CoordinatorEventEntity,
    OctopusEnergyMeterEntity,
    payload_digest,
)
from ...models import ActiveMeter
from ...timeutil import uk_day
from ..rates.coordinator import RatesCoordinator
from ..rates.tariff import (
    TIER_OFF_PEAK,
    TIER_PEAK,
    TIER_STANDARD,
    day_slots,
    meter_identity,
    rate_tiers,
)
from .coordinator import (
    PreviousConsumptionCoordinator,
    previous_consumption_event,
)
from .model import Charge, PreviousDay, reports_m3
from .services import async_refresh_history

TIERS = (TIER_OFF_PEAK, TIER_STANDARD, TIER_PEAK)
CURRENCY_GBP = "GBP"
type Attributes = dict[str, Any]


def _sum(charges: tuple[Charge, ...], key: Callable[[Charge], float | None]) -> float:
    return round(sum(key(c) or 0.0 for c in charges), 6)


def _charges(day: PreviousDay, tier: str | None) -> tuple[Charge, ...] | None:
    if tier is None:
        return day.charges
    return day.tiers().get(tier)


def _consumption(day: PreviousDay, tier: str | None) -> float | None:
    charges = _charges(day, tier)
    return None if charges is None else _sum(charges, lambda c: c.consumption_kwh)


def _cost(day: PreviousDay, tier: str | None) -> float | None:
    if tier is None:
        return day.total_cost
    charges = _charges(day, tier)
    return None if charges is None else _sum(charges, lambda c: c.cost)


def _meter_attributes(meter: ActiveMeter) -> Attributes:
    attributes: Attributes = meter_identity(meter)
    if meter.fuel is Fuel.ELECTRICITY:
        attributes["is_export"] = meter.is_export
    attributes["is_smart_meter"] = meter.is_smart
    return attributes


def _consumption_attributes(meter: ActiveMeter, day: PreviousDay) -> Attributes:
    attributes = _meter_attributes(meter)
    if meter.fuel is Fuel.GAS:
        attributes.update(
            total_kwh=day.total_kwh,
            total_m3=day.total_m3,
            calorific_value=day.calorific_value,
        )
    else:
        attributes["total"] = day.total_kwh
    attributes["latest_consumption_timestamp"] = day.latest_consumption_timestamp
    attributes["charges"] = [
        {"start": c.start, "end": c.end, "consumption": c.consumption_kwh}
        if meter.fuel is Fuel.ELECTRICITY
        else {
            "start": c.start,
            "end": c.end,
            "consumption_m3": c.consumption_m3,
            "consumption_kwh": c.consumption_kwh,
        }
        for c in day.charges
    ]
    return attributes


def _cost_attributes(meter: ActiveMeter, day: PreviousDay) -> Attributes:
    attributes = _meter_attributes(meter)
    attributes.update(
        tariff_code=day.tariff_code,
        standing_charge=day.standing_charge,
        total_without_standing_charge=day.total_without_standing_charge,
        total=day.total_cost,
    )
    if meter.fuel is Fuel.GAS:
        attributes["calorific_value"] = day.calorific_value
    attributes["charges"] = [
        {
            "start": c.start,
            "end": c.end,
            "rate": c.rate,
            "consumption": c.consumption_kwh,
            "cost": None if c.cost is None else round(c.cost, 2),
            "raw_cost": c.cost,
        }
        for c in day.charges
    ]
    return attributes


@dataclass(frozen=True, kw_only=True)
class PreviousSensorDescription(SensorEntityDescription):
    """A previous-day sensor: unique-id suffix, value and attributes."""

    suffix: str
    fuel: Fuel
    value_fn: Callable[[PreviousDay, str | None], float | None]
    attr_fn: Callable[[ActiveMeter, PreviousDay], Attributes]
    estimated_fn: Callable[[ActiveMeter], bool] | None = None
    has_tiers: bool = False
    refreshable: bool = False
    """Whether `refresh_previous_consumption_data` may target it."""


_ENERGY: dict[str, Any] = {
    "device_class": SensorDeviceClass.ENERGY,
    "native_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    "state_class": SensorStateClass.TOTAL,
    "suggested_display_precision": 3,
}
_MONEY: dict[str, Any] = {
    "device_class": SensorDeviceClass.MONETARY,
    "native_unit_of_measurement": CURRENCY_GBP,
    "state_class": SensorStateClass.TOTAL,
    "suggested_display_precision": 2,
}

DESCRIPTIONS: tuple[PreviousSensorDescription, ...] = (
    PreviousSensorDescription(
        key="previous_accumulative_consumption",
        translation_key="previous_accumulative_consumption",
        suffix="_previous_accumulative_consumption",
        fuel=Fuel.ELECTRICITY,
        value_fn=_consumption,
        attr_fn=_consumption_attributes,
        has_tiers=True,
        refreshable=True,
        **_ENERGY,
    ),
    PreviousSensorDescription(
        key="previous_accumulative_cost",
        translation_key="previous_accumulative_cost",
        suffix="_previous_accumulative_cost",
        fuel=Fuel.ELECTRICITY,
        value_fn=_cost,
        attr_fn=_cost_attributes,
        has_tiers=True,
        **_MONEY,
    ),
    PreviousSensorDescription(
        key="previous_accumulative_consumption_m3",
        translation_key="previous_accumulative_consumption_m3",
        suffix="_previous_accumulative_consumption_m3",
        fuel=Fuel.GAS,
        value_fn=lambda day, _tier: day.total_m3,
        attr_fn=_consumption_attributes,
        estimated_fn=lambda meter: not reports_m3(meter),
        refreshable=True,
        device_class=SensorDeviceClass.GAS,
        native_unit_of_measurement=UnitOfVolume.CUBIC_METERS,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=3,
    ),
    PreviousSensorDescription(
        key="previous_accumulative_consumption_kwh",
        translation_key="previous_accumulative_consumption_kwh",
        suffix="_previous_accumulative_consumption_kwh",
        fuel=Fuel.GAS,
        value_fn=lambda day, _tier: day.total_kwh,
        attr_fn=_consumption_attributes,
        estimated_fn=reports_m3,
        refreshable=True,
        **_ENERGY,
    ),
    PreviousSensorDescription(
        key="previous_accumulative_cost",
        translation_key="previous_accumulative_cost",
        suffix="_previous_accumulative_cost",
        fuel=Fuel.GAS,
        value_fn=_cost,
        attr_fn=_cost_attributes,
        **_MONEY,
    ),
)


class PreviousAccumulativeSensor(
    OctopusEnergyMeterEntity[PreviousConsumptionCoordinator], SensorEntity
):
    """A total of the latest complete day (`last_reset` = its start)."""

    entity_description: PreviousSensorDescription
    _unrecorded_attributes = frozenset({"charges"})

    def __init__(
        self,
        coordinator: PreviousConsumptionCoordinator,
        description: PreviousSensorDescription,
        tier: str | None = None,
    ) -> None:
        """Build the unique id (`…[_export]{suffix}[_{tier}]`)."""
        meter = coordinator.meter
        tier_part = f"_{tier}" if tier else ""
        super().__init__(
            coordinator,
            meter,
            platform="sensor",
            suffix=f"{meter.export_part}{description.suffix}{tier_part}",
        )
        self.entity_description = description
        self.tier = tier
        if tier:
            self._attr_translation_key = f"{description.translation_key}_{tier}"
        self._attr_entity_registry_enabled_default = meter.is_smart and tier is None

    @property
    def native_value(self) -> float | None:
        """The day's total (None until a complete day is known)."""
        day = self.coordinator.data
        return None if day is None else self.entity_description.value_fn(day, self.tier)

    @property
    def last_reset(self) -> datetime | None:
        """The start of the day the total describes."""
        day = self.coordinator.data
        return None if day is None else day.start

    @property
    def extra_state_attributes(self) -> Attributes | None:
        """The community integration's attributes (`charges` not recorded)."""
        day = self.coordinator.data
        if day is None:
            return None
        attributes = self.entity_description.attr_fn(self.meter, day)
        if (estimated := self.entity_description.estimated_fn) is not None:
            attributes["is_estimated"] = estimated(self.meter)
        return attributes

    @property
    def refreshable(self) -> bool:
        """Whether `refresh_previous_consumption_data` may target this sensor."""
        return self.entity_description.refreshable

    async def async_refresh_history(self, start_date: date) -> None:
        """`refresh_previous_consumption_data`: re-import from `start_date`."""
        await async_refresh_history(self.hass, self.coordinator, start_date)


class PreviousConsumptionRatesEvent(
    CoordinatorEventEntity, OctopusEnergyMeterEntity[PreviousConsumptionCoordinator]
):
    """The rates of the meter's latest complete day, fed by its coordinator.

    The bus event `octopus_energy_{fuel}_previous_consumption_rates` is fired by the
    coordinator when a new day is published.
    """

    _attr_translation_key = "previous_consumption_rates"
    _attr_entity_registry_enabled_default = False
    _unrecorded_attributes = frozenset({"rates"})

    def __init__(self, coordinator: PreviousConsumptionCoordinator) -> None:
        """Build the unique id `{meter}[_export]_previous_consumption_rates`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="event",
            suffix=f"{meter.export_part}_previous_consumption_rates",
        )
        self._attr_event_types = [previous_consumption_event(meter)]

    def _current_payload(self) -> tuple[str, dict[str, Any]] | None:
        payload = self.coordinator.rates_payload()
        return None if payload is None else (payload_digest(payload), payload)


def _tiers(
    coordinator: PreviousConsumptionCoordinator, rates: RatesCoordinator | None
) -> list[str]:
    """The tiers of the meter's tariff, from the days whose rates are known."""
    found: set[str] = set()
    if coordinator.data is not None:
        found.update(rate_tiers(coordinator.data.rates).values())
    if rates is not None and rates.data is not None:
        slots = rates.data.slots
        for day in {uk_day(slot.start) for slot in slots}:
            found.update(rate_tiers(day_slots(slots, day)).values())
    return [tier for tier in TIERS if tier in found]


def consumption_entities(
    coordinator: PreviousConsumptionCoordinator, platform: Platform
) -> list[Entity]:
    """The previous-day entities of one meter on one platform."""
    if platform is Platform.EVENT:
        return [PreviousConsumptionRatesEvent(coordinator)]
    if platform is not Platform.SENSOR:
        return []
    fuel = coordinator.meter.fuel
    tiers = _tiers(coordinator, coordinator.rates) if fuel is Fuel.ELECTRICITY else []
    entities: list[Entity] = []
    for description in DESCRIPTIONS:
        if description.fuel is not fuel:
            continue
        entities.append(PreviousAccumulativeSensor(coordinator, description))
        if description.has_tiers:
            entities.extend(
                PreviousAccumulativeSensor(coordinator, description, tier)
                for tier in tiers
            )
    return entities
