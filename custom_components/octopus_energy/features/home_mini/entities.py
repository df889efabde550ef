"""Home Mini sensors: live demand, today's and lifetime consumption, today's cost.

Unique ids are the community ones (`{E}_current_demand`, `{G}_current_total_
consumption_m3`, …) and never carry `_export`: Home Mini entities exist for
electricity import and gas meters only. Today's totals are `TOTAL` with
`last_reset` = UK midnight; lifetime registers are `TOTAL_INCREASING`. Attributes
stay small (no half-hourly `charges` list) and the per-update totals are not
recorded. Costs use the meter's rates coordinator (`RateSlot.value` GBP/kWh) and
today's standing charge; tier costs exclude the standing charge.

During an outage the sensors keep their last good value for up to 2 hours (the
coordinator's `STALE_AFTER`) and show its age in `data_age_minutes` (minutes since
the device's data was last retrieved); the attribute is absent otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    DOMAIN as SENSOR_DOMAIN,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy, UnitOfPower, UnitOfVolume
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api import Fuel
from ...entity import OctopusEnergyMeterEntity
from ...models import ActiveMeter, MeterRates
from ...timeutil import uk_day
from ..consumption.model import kwh_to_m3
from .coordinator import HomeMiniCoordinator
from .model import LiveConsumption, day_cost, slot_tiers, tier_consumption

ELECTRICITY = frozenset({Fuel.ELECTRICITY})
GAS = frozenset({Fuel.GAS})
BOTH = ELECTRICITY | GAS
CURRENCY = "GBP"


@dataclass(frozen=True, kw_only=True)
class LiveView:
    """What a Home Mini sensor computes its state from."""

    live: LiveConsumption
    meter: ActiveMeter
    rates: MeterRates | None
    calorific_value: float

    def m3(self, kwh: float | None) -> float | None:
        """Gas volume of an energy, with the account's calorific value."""
        return None if kwh is None else kwh_to_m3(kwh, self.calorific_value)

    def tier_kwh(self, tier: str) -> float | None:
        """Today's energy at a tier (None when the day has no such tier)."""
        return tier_consumption(self.live, slot_tiers(self.rates, self.live.day)).get(
            tier
        )

    def tier_cost(self, tier: str) -> float | None:
        """Today's cost at a tier, without the standing charge."""
        tiers = slot_tiers(self.rates, self.live.day)
        if tier not in tiers.values():
            return None
        only = {start for start, name in tiers.items() if name == tier}
        cost = day_cost(self.live, self.rates, only)
        return None if cost is None else cost.without_standing_charge


@dataclass(frozen=True, kw_only=True)
class HomeMiniSensorDescription(SensorEntityDescription):
    """A Home Mini sensor; `key` is the unique-id suffix after the meter prefix."""

    fuels: frozenset[Fuel]
    value_fn: Callable[[LiveView], float | None]
    attr_fn: Callable[[LiveView], dict[str, Any]] = lambda _: {}
    reset_fn: Callable[[LiveView], datetime | None] = lambda _: None
    uses_rates: bool = False
    tier: str | None = None


def _today(view: LiveView) -> datetime:
    return view.live.last_reset


def _cost_value(view: LiveView) -> float | None:
    cost = day_cost(view.live, view.rates)
    return None if cost is None else cost.total


def _cost_attrs(view: LiveView) -> dict[str, Any]:
    cost = day_cost(view.live, view.rates)
    attrs: dict[str, Any] = {
        "tariff_code": view.rates.tariff_code if view.rates else None,
        "standing_charge": _rounded(cost.standing_charge if cost else None),
        "total_without_standing_charge": _rounded(
            cost.without_standing_charge if cost else None
        ),
        "total": _rounded(cost.total if cost else None),
    }
    return attrs | _gas_attrs(view)


def _rounded(value: float | None) -> float | None:
    """Without float noise (µGBP, mWh resolution is plenty)."""
    return None if value is None else round(value, 6)


def _gas_attrs(view: LiveView) -> dict[str, Any]:
    if view.meter.fuel is Fuel.GAS:
        return {"calorific_value": view.calorific_value}
    return {}


def _energy(
    key: str,
    fuels: frozenset[Fuel],
    value_fn: Callable[[LiveView], float | None],
    **kwargs: Any,
) -> HomeMiniSensorDescription:
    """An energy sensor in kWh (today's totals pass `reset_fn`)."""
    kwargs.setdefault("state_class", SensorStateClass.TOTAL)
    return HomeMiniSensorDescription(
        key=key,
        translation_key=key,
        fuels=fuels,
        value_fn=value_fn,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        **kwargs,
    )


def _gas_volume(
    key: str, value_fn: Callable[[LiveView], float | None], **kwargs: Any
) -> HomeMiniSensorDescription:
    """A gas sensor in m³."""
    return HomeMiniSensorDescription(
        key=key,
        translation_key=key,
        fuels=GAS,
        value_fn=value_fn,
        device_class=SensorDeviceClass.GAS,
        native_unit_of_measurement=UnitOfVolume.CUBIC_METERS,
        suggested_display_precision=3,
        attr_fn=_gas_attrs,
        **kwargs,
    )


def _tier_descriptions(tier: str) -> tuple[HomeMiniSensorDescription, ...]:
    """Today's consumption and cost at one tier (electricity, disabled)."""
    return (
        _energy(
            f"current_accumulative_consumption_{tier}",
            ELECTRICITY,
            lambda view: view.tier_kwh(tier),
            reset_fn=_today,
            uses_rates=True,
            tier=tier,
            entity_registry_enabled_default=False,
        ),
        HomeMiniSensorDescription(
            key=f"current_accumulative_cost_{tier}",
            translation_key=f"current_accumulative_cost_{tier}",
            fuels=ELECTRICITY,
            value_fn=lambda view: view.tier_cost(tier),
            reset_fn=_today,
            device_class=SensorDeviceClass.MONETARY,
            state_class=SensorStateClass.TOTAL,
            native_unit_of_measurement=CURRENCY,
            suggested_display_precision=2,
            uses_rates=True,
            tier=tier,
            entity_registry_enabled_default=False,
        ),
    )


DESCRIPTIONS: tuple[HomeMiniSensorDescription, ...] = (
    HomeMiniSensorDescription(
        key="current_demand",
        translation_key="current_demand",
        fuels=ELECTRICITY,
        value_fn=lambda view: view.live.demand_w,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
    ),
    _energy(
        "current_accumulative_consumption",
        ELECTRICITY,
        lambda view: view.live.today_kwh,
        reset_fn=_today,
        attr_fn=lambda view: {"total": _rounded(view.live.today_kwh)},
    ),
    _energy(
        "current_accumulative_consumption_kwh",
        GAS,
        lambda view: view.live.today_kwh,
        reset_fn=_today,
        attr_fn=lambda view: (
            {"total": _rounded(view.live.today_kwh)} | _gas_attrs(view)
        ),
    ),
    _gas_volume(
        "current_accumulative_consumption_m3",
        lambda view: view.m3(view.live.today_kwh),
        state_class=SensorStateClass.TOTAL,
        reset_fn=_today,
    ),
    HomeMiniSensorDescription(
        key="current_accumulative_cost",
        translation_key="current_accumulative_cost",
        fuels=BOTH,
        value_fn=_cost_value,
        attr_fn=_cost_attrs,
        reset_fn=_today,
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=CURRENCY,
        suggested_display_precision=2,
        uses_rates=True,
    ),
    _energy(
        "current_interval_accumulative_consumption",
        ELECTRICITY,
        lambda view: view.live.interval_kwh,
        reset_fn=lambda view: view.live.latest,
        entity_registry_enabled_default=False,
    ),
    _energy(
        "current_total_consumption",
        ELECTRICITY,
        lambda view: view.live.total_kwh,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    _energy(
        "current_total_export",
        ELECTRICITY,
        lambda view: view.live.export_kwh,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    _energy(
        "current_total_consumption_kwh",
        GAS,
        lambda view: view.live.total_kwh,
        state_class=SensorStateClass.TOTAL_INCREASING,
        attr_fn=_gas_attrs,
    ),
    _gas_volume(
        "current_total_consumption_m3",
        lambda view: view.m3(view.live.total_kwh),
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    _energy(
        "current_consumption",
        BOTH,
        lambda view: view.live.delta_kwh,
        state_class=None,
        entity_registry_enabled_default=False,
    ),
)
"""Every Home Mini sensor but the tiers; `current_consumption` is the community's
legacy register increase between two retrievals (kept for its unique id)."""


class HomeMiniSensor(OctopusEnergyMeterEntity[HomeMiniCoordinator], SensorEntity):
    """One Home Mini value of one meter."""

    entity_description: HomeMiniSensorDescription
    _unrecorded_attributes = frozenset({"total", "total_without_standing_charge"})

    def __init__(
        self,
        coordinator: HomeMiniCoordinator,
        meter: ActiveMeter,
        description: HomeMiniSensorDescription,
    ) -> None:
        """Attach the sensor to its meter (no `_export`: import meters only)."""
        super().__init__(
            coordinator, meter, platform=SENSOR_DOMAIN, suffix=f"_{description.key}"
        )
        self.entity_description = description
        self._written: tuple[Any, ...] | None = None

    @property
    def _view(self) -> LiveView | None:
        data = self.coordinator.data
        live = data.devices.get(self.meter.key) if data else None
        if live is None:
            return None
        rates = self.coordinator.rates.get(self.meter.key)
        return LiveView(
            live=live,
            meter=self.meter,
            rates=rates.data if rates is not None else None,
            calorific_value=self.coordinator.settings.calorific_value,
        )

    @property
    def available(self) -> bool:
        """Available while the coordinator is and the device has reported."""
        return super().available and self._view is not None

    @property
    def native_value(self) -> float | None:
        """The value computed from the live data."""
        view = self._view
        return (
            None if view is None else _rounded(self.entity_description.value_fn(view))
        )

    @property
    def last_reset(self) -> datetime | None:
        """UK midnight for today's totals (the half hour for the interval)."""
        view = self._view
        return None if view is None else self.entity_description.reset_fn(view)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The meter's identity plus a few small values."""
        meter = self.meter
        point = "mpan" if meter.fuel is Fuel.ELECTRICITY else "mprn"
        attrs: dict[str, Any] = {
            point: meter.mpxn,
            "serial_number": meter.serial_number,
        }
        view = self._view
        if view is not None:
            attrs |= self.entity_description.attr_fn(view)
            if self.coordinator.stale and view.live.retrieved_at is not None:
                age = dt_util.utcnow() - view.live.retrieved_at
                attrs["data_age_minutes"] = int(age.total_seconds() // 60)
        return attrs

    async def async_added_to_hass(self) -> None:
        """Follow the rates too (costs and tiers change with them)."""
        await super().async_added_to_hass()
        rates = self.coordinator.rates.get(self.meter.key)
        if self.entity_description.uses_rates and rates is not None:
            self.async_on_remove(
                rates.async_add_listener(self._handle_coordinator_update)
            )

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when something shown changed."""
        shown = (
            self.available,
            self.native_value,
            self.last_reset,
            self.extra_state_attributes,
        )
        if shown != self._written:
            self._written = shown
            super()._handle_coordinator_update()


def home_mini_entities(
    coordinator: HomeMiniCoordinator, meters: Iterable[ActiveMeter]
) -> list[Entity]:
    """The Home Mini sensors of some meters."""
    entities: list[Entity] = []
    for meter in meters:
        descriptions = list(DESCRIPTIONS)
        if meter.fuel is Fuel.ELECTRICITY:
            descriptions += _tiers_of(coordinator, meter)
        entities += [
            HomeMiniSensor(coordinator, meter, description)
            for description in descriptions
            if meter.fuel in description.fuels
        ]
    return entities


def _tiers_of(
    coordinator: HomeMiniCoordinator, meter: ActiveMeter
) -> list[HomeMiniSensorDescription]:
    """Tier sensors when today's rates have 2 or 3 prices (decided at setup)."""
    rates = coordinator.rates.get(meter.key)
    if rates is None or rates.data is None:
        return []
    today = uk_day(dt_util.utcnow())
    names = sorted(set(slot_tiers(rates.data, today).values()))
    return [d for name in names for d in _tier_descriptions(name)]
