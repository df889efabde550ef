"""Rate entities of each meter: rates, standing charge, off peak, day-rate events.

Values are derived from the rates coordinator's cached half-hour slots when the
coordinator notifies (on each half-hour boundary and after a retrieval); nothing
here requests data. Unique ids are the community integration's (`[_export]` only on
electricity export meters). Prices are measurements in GBP/kWh (no monetary device
class); the day-rate lists live only on the event entities and are not recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api import Fuel
from ...entity import CoordinatorEventEntity, OctopusEnergyMeterEntity
from ...models import ActiveMeter, MeterRates
from ...timeutil import uk_day
from .coordinator import DAY_KINDS, RatesCoordinator, day_rates_event
from .tariff import (
    RateBlock,
    current_block,
    day_slots,
    day_stats,
    meter_identity,
    next_block,
    off_peak_state,
    previous_block,
)

UNIT_RATE = "GBP/kWh"
UNIT_STANDING_CHARGE = "GBP/day"


def _local(value: datetime | None) -> datetime | None:
    return dt_util.as_local(value) if value is not None else None


def _meter_attributes(meter: ActiveMeter) -> dict[str, Any]:
    attributes: dict[str, Any] = meter_identity(meter)
    if meter.fuel is Fuel.ELECTRICITY:
        attributes["is_export"] = meter.is_export
    attributes["is_smart_meter"] = meter.is_smart
    return attributes


def _block_attributes(block: RateBlock | None) -> dict[str, Any]:
    if block is None:
        return {"start": None, "end": None}
    return {"start": _local(block.start), "end": _local(block.end)}


def _current_rate_attributes(
    coordinator: RatesCoordinator, data: MeterRates, now: datetime
) -> dict[str, Any]:
    block = current_block(data.slots, now)
    stats = day_stats(day_slots(data.slots, uk_day(now)))
    attributes = {
        **_meter_attributes(coordinator.meter),
        "tariff": data.tariff_code,
        **_block_attributes(block),
        "is_capped": block.is_capped if block else None,
        "is_intelligent_adjusted": block.is_intelligent_adjusted if block else None,
        "current_day_min_rate": stats.min_rate if stats else None,
        "current_day_max_rate": stats.max_rate if stats else None,
        "current_day_average_rate": stats.average_rate if stats else None,
    }
    if (cap := coordinator.settings.price_cap(coordinator.meter.fuel)) is not None:
        attributes["price_cap"] = cap
    return attributes


def _adjacent_attributes(
    find: Callable[[Any, datetime], RateBlock | None],
) -> Callable[[RatesCoordinator, MeterRates, datetime], dict[str, Any]]:
    def attributes(
        coordinator: RatesCoordinator, data: MeterRates, now: datetime
    ) -> dict[str, Any]:
        return {
            **_meter_attributes(coordinator.meter),
            **_block_attributes(find(data.slots, now)),
        }

    return attributes


def _block_value(
    find: Callable[[Any, datetime], RateBlock | None],
) -> Callable[[MeterRates, datetime], float | None]:
    def value(data: MeterRates, now: datetime) -> float | None:
        block = find(data.slots, now)
        return block.value if block else None

    return value


def _standing_charge_attributes(
    coordinator: RatesCoordinator, data: MeterRates, _now: datetime
) -> dict[str, Any]:
    charge = data.standing_charge
    return {
        **_meter_attributes(coordinator.meter),
        "tariff": data.tariff_code,
        "start": _local(charge.start) if charge else None,
        "end": _local(charge.end) if charge else None,
    }


@dataclass(frozen=True, kw_only=True)
class RateSensorDescription(SensorEntityDescription):
    """A rate sensor: value and attributes from the cached slots."""

    suffix: str
    value_fn: Callable[[MeterRates, datetime], float | None]
    attr_fn: Callable[[RatesCoordinator, MeterRates, datetime], dict[str, Any]]


RATE_SENSORS: tuple[RateSensorDescription, ...] = (
    RateSensorDescription(
        key="current_rate",
        translation_key="current_rate",
        suffix="_current_rate",
        native_unit_of_measurement=UNIT_RATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=_block_value(current_block),
        attr_fn=_current_rate_attributes,
    ),
    RateSensorDescription(
        key="previous_rate",
        translation_key="previous_rate",
        suffix="_previous_rate",
        native_unit_of_measurement=UNIT_RATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=_block_value(previous_block),
        attr_fn=_adjacent_attributes(previous_block),
    ),
    RateSensorDescription(
        key="next_rate",
        translation_key="next_rate",
        suffix="_next_rate",
        native_unit_of_measurement=UNIT_RATE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=_block_value(next_block),
        attr_fn=_adjacent_attributes(next_block),
    ),
    RateSensorDescription(
        key="current_standing_charge",
        translation_key="current_standing_charge",
        suffix="_current_standing_charge",
        native_unit_of_measurement=UNIT_STANDING_CHARGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=4,
        value_fn=lambda data, _now: (
            data.standing_charge.value if data.standing_charge else None
        ),
        attr_fn=_standing_charge_attributes,
    ),
)


class OctopusEnergyRateSensor(OctopusEnergyMeterEntity[RatesCoordinator], SensorEntity):
    """A rate or standing-charge sensor of one meter."""

    entity_description: RateSensorDescription

    def __init__(
        self, coordinator: RatesCoordinator, description: RateSensorDescription
    ) -> None:
        """Build the unique id `{meter}[_export]{suffix}`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="sensor",
            suffix=f"{meter.export_part}{description.suffix}",
        )
        self.entity_description = description

    @property
    def native_value(self) -> float | None:
        """The value now, from the cached slots."""
        return self.entity_description.value_fn(self.coordinator.data, dt_util.utcnow())

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Small attributes (no rate lists)."""
        return self.entity_description.attr_fn(
            self.coordinator, self.coordinator.data, dt_util.utcnow()
        )


class OctopusEnergyOffPeakBinarySensor(
    OctopusEnergyMeterEntity[RatesCoordinator], BinarySensorEntity
):
    """On during the day's lowest rate on 2- and 3-rate days (see `tariff`)."""

    _attr_translation_key = "off_peak"

    def __init__(self, coordinator: RatesCoordinator) -> None:
        """Build the unique id `{meter}[_export]_off_peak`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="binary_sensor",
            suffix=f"{meter.export_part}_off_peak",
        )

    @property
    def is_on(self) -> bool:
        """Whether now is in an off-peak window."""
        current, _ = off_peak_state(self.coordinator.data.slots, dt_util.utcnow())
        return current is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The current and next off-peak windows (local time)."""
        current, following = off_peak_state(
            self.coordinator.data.slots, dt_util.utcnow()
        )
        return {
            "current_start": _local(current[0]) if current else None,
            "current_end": _local(current[1]) if current else None,
            "next_start": _local(following[0]) if following else None,
            "next_end": _local(following[1]) if following else None,
        }


class OctopusEnergyDayRatesEvent(
    CoordinatorEventEntity, OctopusEnergyMeterEntity[RatesCoordinator]
):
    """One meter's `…_{kind}_day_rates` events, fed by its rates coordinator.

    The bus event itself is fired by the coordinator. The rates list is not
    recorded.
    """

    _unrecorded_attributes = frozenset({"rates"})

    def __init__(self, coordinator: RatesCoordinator, kind: str) -> None:
        """Build the unique id `{meter}[_export]_{kind}_day_rates`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="event",
            suffix=f"{meter.export_part}_{kind}_day_rates",
        )
        self._kind = kind
        self._attr_translation_key = f"{kind}_day_rates"
        self._attr_event_types = [day_rates_event(meter, kind)]

    def _current_payload(self) -> tuple[str, dict[str, Any]] | None:
        digest = self.coordinator.fired.get(self._kind)
        payload = self.coordinator.day_payloads.get(self._kind)
        return None if digest is None or payload is None else (digest, payload)


def rate_entities(coordinator: RatesCoordinator, platform: Platform) -> list[Entity]:
    """The entities of one meter's rates on one platform."""
    if platform is Platform.SENSOR:
        return [
            OctopusEnergyRateSensor(coordinator, description)
            for description in RATE_SENSORS
        ]
    if platform is Platform.BINARY_SENSOR:
        if coordinator.meter.fuel is Fuel.ELECTRICITY:
            return [OctopusEnergyOffPeakBinarySensor(coordinator)]
        return []
    if platform is Platform.EVENT:
        return [OctopusEnergyDayRatesEvent(coordinator, kind) for kind in DAY_KINDS]
    return []
