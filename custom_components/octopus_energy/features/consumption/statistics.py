"""External statistics of previous-day consumption and cost (Energy dashboard).

The ids are the community integration's, lower-cased (B.6 of the reference):
`octopus_energy:{fuel}_{sn}_{mpxn}[_export]_previous_accumulative_consumption`
(kWh; gas m³), gas `…_consumption_kwh` (kWh), `…_previous_accumulative_cost` (GBP,
**without** the standing charge) and the `_off_peak`/`_standard`/`_peak` variants
on days with 2 or 3 distinct rates.

Rows are hourly: two half hours per row (the UK offset is a whole hour), `state` =
the day's running total and `sum` = the sum before the day + that running total.
The sum before a day is read from the recorder (the last row that starts before
the day), so importing the same day twice writes the same rows again (the recorder
overwrites rows with the same start) instead of adding to the sum.

(The module is not named `statistics` so that it never shadows the standard library
when the package folder is on `sys.path`.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
    statistics_during_period,
)
from homeassistant.const import UnitOfEnergy, UnitOfVolume
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from ...api import Fuel
from ...compat import statistic_metadata
from ...const import DOMAIN
from ...models import ActiveMeter, RateSlot
from ...timeutil import uk_day, uk_day_bounds
from ..rates.tariff import TIER_OFF_PEAK, TIER_PEAK, TIER_STANDARD
from .model import Charge, PreviousDay, tier_charges

CURRENCY_GBP = "GBP"
TIER_NAMES = {TIER_OFF_PEAK: "Off Peak", TIER_STANDARD: "Standard", TIER_PEAK: "Peak"}
LOOKBACK = timedelta(days=800)
"""How far back the sum before a re-imported day is looked for."""
RECENT = timedelta(days=7)
DAY_MAX = timedelta(hours=26)


@dataclass(frozen=True, kw_only=True)
class StatisticKind:
    """One statistic of a meter: id suffix, name, unit and per-charge amount."""

    suffix: str
    label: str
    unit: str
    unit_class: str | None
    amount: Callable[[Charge], float | None]
    has_tiers: bool = True


def _kinds(fuel: Fuel) -> tuple[StatisticKind, ...]:
    cost = StatisticKind(
        suffix="_previous_accumulative_cost",
        label="Previous Accumulative Cost",
        unit=CURRENCY_GBP,
        unit_class=None,
        amount=lambda c: c.cost,
    )
    if fuel is Fuel.ELECTRICITY:
        return (
            StatisticKind(
                suffix="_previous_accumulative_consumption",
                label="Previous Accumulative Consumption",
                unit=UnitOfEnergy.KILO_WATT_HOUR,
                unit_class="energy",
                amount=lambda c: c.consumption_kwh,
            ),
            cost,
        )
    return (
        StatisticKind(
            suffix="_previous_accumulative_consumption",
            label="Previous Accumulative Consumption",
            unit=UnitOfVolume.CUBIC_METERS,
            unit_class="volume",
            amount=lambda c: c.consumption_m3,
            has_tiers=False,
        ),
        StatisticKind(
            suffix="_previous_accumulative_consumption_kwh",
            label="Previous Accumulative Consumption (kWh)",
            unit=UnitOfEnergy.KILO_WATT_HOUR,
            unit_class="energy",
            amount=lambda c: c.consumption_kwh,
            has_tiers=False,
        ),
        replace(cost, has_tiers=False),
    )


def base_id(meter: ActiveMeter) -> str:
    """`{fuel}_{sn}_{mpxn}[_export]`, lower-cased."""
    return f"{meter.device_identifier}{meter.export_part}".lower()


def statistic_ids_of(
    fuel: Fuel, serial_number: str, mpxn: str, *, is_export: bool, tiers: bool = True
) -> list[str]:
    """Every statistic id of a meter (tier variants included when `tiers`)."""
    export = "_export" if is_export else ""
    prefix = f"{DOMAIN}:{fuel.value}_{serial_number}_{mpxn}{export}".lower()
    ids = []
    for kind in _kinds(fuel):
        ids.append(f"{prefix}{kind.suffix}")
        if tiers and kind.has_tiers:
            ids.extend(f"{prefix}{kind.suffix}_{tier}" for tier in TIER_NAMES)
    return ids


def statistic_ids(meter: ActiveMeter, *, tiers: bool = True) -> list[str]:
    """Every statistic id of an active meter."""
    return statistic_ids_of(
        meter.fuel,
        meter.serial_number,
        meter.mpxn,
        is_export=meter.is_export,
        tiers=tiers,
    )


def consumption_statistic_id(meter: ActiveMeter) -> str:
    """The main consumption id (it drives the backfill)."""
    return statistic_ids(meter, tiers=False)[0]


def _name(meter: ActiveMeter, kind: StatisticKind, tier: str | None) -> str:
    fuel = "Electricity" if meter.fuel is Fuel.ELECTRICITY else "Gas"
    export = "Export " if meter.is_export else ""
    name = f"{kind.label} {export}{fuel} ({meter.serial_number}/{meter.mpxn})"
    return f"{name} {TIER_NAMES[tier]}" if tier else name


def hourly_rows(
    charges: Sequence[Charge], amount: Callable[[Charge], float | None], base: float
) -> tuple[list[StatisticData], float]:
    """Hourly rows of one day's charges and the sum after the day."""
    hours: dict[datetime, float] = {}
    for charge in charges:
        value = amount(charge)
        hour = charge.start.replace(minute=0, second=0, microsecond=0)
        hours[hour] = hours.get(hour, 0.0) + (value or 0.0)
    rows: list[StatisticData] = []
    running = 0.0
    for hour in sorted(hours):
        running += hours[hour]
        rows.append(
            StatisticData(
                start=hour, state=round(running, 6), sum=round(base + running, 6)
            )
        )
    return rows, round(base + running, 6)


@dataclass
class _Series:
    metadata: StatisticMetaData
    rows: list[StatisticData]


def _day_series(
    meter: ActiveMeter, charges: Sequence[Charge], rates: Iterable[RateSlot]
) -> dict[str, tuple[StatisticKind, str | None, Sequence[Charge]]]:
    """Per statistic id: its kind, tier and the charges that count for the day."""
    series: dict[str, tuple[StatisticKind, str | None, Sequence[Charge]]] = {}
    priced = all(c.rate is not None for c in charges)
    tiers = tier_charges(charges, rates) if meter.fuel is Fuel.ELECTRICITY else {}
    for kind in _kinds(meter.fuel):
        if kind.suffix.endswith("_cost") and not priced:
            continue
        main = f"{DOMAIN}:{base_id(meter)}{kind.suffix}"
        series[main] = (kind, None, charges)
        if kind.has_tiers:
            for tier, items in tiers.items():
                series[f"{main}_{tier}"] = (kind, tier, items)
    return series


async def async_import_days(
    hass: HomeAssistant,
    meter: ActiveMeter,
    days: Sequence[PreviousDay],
    sums: dict[str, float] | None = None,
) -> dict[str, float]:
    """Write the hourly rows of days (oldest first) with chained sums.

    `sums` (statistic id → sum after the previous day) continues an earlier call;
    ids not in it start from the recorder's sum before their first day. Returns the
    sums after the last day.
    """
    sums = dict(sums or {})
    pending: dict[str, _Series] = {}
    for day in days:
        day_start = uk_day_bounds(day.day)[0]
        for statistic_id, (kind, tier, charges) in _day_series(
            meter, day.charges, day.rates
        ).items():
            if statistic_id not in sums:
                sums[statistic_id] = await async_sum_before(
                    hass, statistic_id, day_start
                )
            rows, sums[statistic_id] = hourly_rows(
                charges, kind.amount, sums[statistic_id]
            )
            series = pending.setdefault(
                statistic_id,
                _Series(
                    metadata=statistic_metadata(
                        source=DOMAIN,
                        statistic_id=statistic_id,
                        name=_name(meter, kind, tier),
                        unit=kind.unit,
                        unit_class=kind.unit_class,
                    ),
                    rows=[],
                ),
            )
            series.rows.extend(rows)
    for series in pending.values():
        async_add_external_statistics(hass, series.metadata, series.rows)
    return sums


def _last_sum(rows: list[Any]) -> float | None:
    for row in reversed(rows):
        if row.get("sum") is not None:
            return float(row["sum"])
    return None


async def async_sum_before(
    hass: HomeAssistant, statistic_id: str, before: datetime
) -> float:
    """The `sum` of the last row of a statistic that starts before `before`."""
    instance = get_instance(hass)
    last = await instance.async_add_executor_job(
        get_last_statistics,
        hass,
        1,
        statistic_id,
        False,  # noqa: FBT003
        {"sum"},
    )
    rows = last.get(statistic_id, [])
    if not rows:
        return 0.0
    if rows[0]["start"] < before.timestamp():
        return _last_sum(cast("list[Any]", rows)) or 0.0
    # Re-importing an earlier day: the hours just before it, else the last day
    # bucket that surely ends before it (a local day lasts at most 25 hours).
    recent = await _rows(hass, statistic_id, before - RECENT, before, "hour")
    if (found := _last_sum(recent)) is not None:
        return found
    older = await _rows(hass, statistic_id, before - LOOKBACK, before - DAY_MAX, "day")
    return _last_sum(older) or 0.0


async def _rows(
    hass: HomeAssistant,
    statistic_id: str,
    start: datetime,
    end: datetime,
    period: Literal["hour", "day"],
) -> list[Any]:
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        end,
        {statistic_id},
        period,
        None,
        {"sum"},
    )
    return cast("list[Any]", result.get(statistic_id, []))


async def async_next_day_to_import(
    hass: HomeAssistant, meter: ActiveMeter
) -> date | None:
    """The first UK day after the last imported hour; None when nothing is stored."""
    statistic_id = consumption_statistic_id(meter)
    last = await get_instance(hass).async_add_executor_job(
        get_last_statistics,
        hass,
        1,
        statistic_id,
        False,  # noqa: FBT003
        set(),
    )
    rows = last.get(statistic_id, [])
    if not rows:
        return None
    after = datetime.fromtimestamp(rows[0]["start"], UTC) + timedelta(hours=1)
    return uk_day(after)
