"""The tariff-comparison sensor and its comparison-rates event entity.

Unique ids are the community integration's: `{meter}[_export]_previous_accumulative_
cost_{NAME}` (sensor) and `{meter}[_export]_previous_consumption_rates_{NAME}`
(event), with `{meter}` = `octopus_energy_electricity_{SN}_{MPAN}` or
`octopus_energy_gas_{SN}_{MPRN}`; both on the meter's device. The sensor is the
previous-consumption day's cost at the compared tariff including its standing
charge (state class *total*, `last_reset` = the start of that day); `charges` and
the event's `rates` are not recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import Platform
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...compat import attach_to_device, device_by_identifier
from ...const import DOMAIN
from ...entity import (
    CoordinatorEventEntity,
    OctopusEnergyMeterEntity,
    meter_device_info,
    payload_digest,
)
from ...timeutil import SLOT
from ..consumption.entities import CURRENCY_GBP
from .coordinator import TariffComparisonCoordinator, comparison_event
from .model import PERIODS


def _attach(entity: Entity, coordinator: TariffComparisonCoordinator) -> None:
    """On the meter's device, which the account entry owns."""
    meter = coordinator.meter
    device = device_by_identifier(
        coordinator.hass,
        (DOMAIN, meter.device_identifier),
        coordinator.account_entry_id,
    )
    attach_to_device(entity, device, meter_device_info(meter))


class TariffComparisonSensor(
    OctopusEnergyMeterEntity[TariffComparisonCoordinator], SensorEntity
):
    """Yesterday's cost at the compared tariff."""

    _attr_translation_key = "tariff_comparison"
    _attr_device_class = SensorDeviceClass.MONETARY
    _attr_native_unit_of_measurement = CURRENCY_GBP
    _attr_state_class = SensorStateClass.TOTAL
    _attr_suggested_display_precision = 2
    _unrecorded_attributes = frozenset({"charges"})

    def __init__(self, coordinator: TariffComparisonCoordinator, name: str) -> None:
        """Unique id `{meter}[_export]_previous_accumulative_cost_{name}`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="sensor",
            suffix=f"{meter.export_part}_previous_accumulative_cost_{name}",
        )
        self._attr_translation_placeholders = {"name": name}
        _attach(self, coordinator)

    @property
    def native_value(self) -> float | None:
        """GBP including the standing charge (None until a day is compared)."""
        data = self.coordinator.data
        return None if data is None else data.total

    @property
    def last_reset(self) -> datetime | None:
        """The start of the compared day."""
        data = self.coordinator.data
        return None if data is None else data.start

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The community attributes, plus the 7- and 30-day comparisons."""
        data = self.coordinator.data
        if data is None:
            return None
        return {
            "product_code": data.product_code,
            "tariff_code": data.tariff_code,
            "standing_charge": data.standing_charge,
            "total_without_standing_charge": data.total_without_standing_charge,
            "total": data.total,
            **{f"last_{days}_days": data.period(days) for days in PERIODS},
            "charges": [
                {
                    "start": dt_util.as_local(c.start),
                    "end": dt_util.as_local(c.start + SLOT),
                    "rate": c.rate,
                    "consumption": c.consumption,
                    "cost": c.cost,
                }
                for c in data.charges
            ],
        }


class TariffComparisonRatesEvent(
    CoordinatorEventEntity, OctopusEnergyMeterEntity[TariffComparisonCoordinator]
):
    """The compared tariff's rates of the compared day."""

    _attr_translation_key = "tariff_comparison_rates"
    _unrecorded_attributes = frozenset({"rates"})

    def __init__(self, coordinator: TariffComparisonCoordinator, name: str) -> None:
        """Unique id `{meter}[_export]_previous_consumption_rates_{name}`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="event",
            suffix=f"{meter.export_part}_previous_consumption_rates_{name}",
        )
        self._attr_translation_placeholders = {"name": name}
        self._attr_event_types = [comparison_event(meter)]
        _attach(self, coordinator)

    def _current_payload(self) -> tuple[str, dict[str, Any]] | None:
        payload = self.coordinator.rates_payload()
        return None if payload is None else (payload_digest(payload), payload)


def comparison_entities(
    coordinator: TariffComparisonCoordinator, name: str
) -> dict[Platform, list[Entity]]:
    """The sensor and the event entity."""
    return {
        Platform.SENSOR: [TariffComparisonSensor(coordinator, name)],
        Platform.EVENT: [TariffComparisonRatesEvent(coordinator, name)],
    }
