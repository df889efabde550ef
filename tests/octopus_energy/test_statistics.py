"""External statistics: ids, units, hourly rows, chained sums, re-import, backfill."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.statistics import (
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.recorder import get_instance
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.features.consumption.coordinator import (
    PreviousConsumptionCoordinator,
)
from custom_components.octopus_energy.features.consumption.model import previous_day
from custom_components.octopus_energy.features.consumption.statistics import (
    async_import_days,
    statistic_ids,
)
from custom_components.octopus_energy.features.rates.tariff import uk_day_bounds
from custom_components.octopus_energy.models import (
    AccountSettings,
    ActiveMeter,
    MeterRates,
)

from .builders import FakeRates, consumption_coordinators
from .conftest import API_KEY, OctopusSim
from .rates_helpers import AGILE, FIXED_EXPORT, GAS, make_slots, utc
from .test_consumption import rates, readings

E = "octopus_energy:electricity_22l0000001_1200000000001"
X = "octopus_energy:electricity_22l0000001_1200000000002_export"
G = "octopus_energy:gas_g4a0000001_3000000001"
type Factory = Callable[..., PreviousConsumptionCoordinator]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
async def make_coordinator(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> AsyncIterator[Factory]:
    """Coordinators against the simulator, with the recorder running."""
    await hass.config.async_set_time_zone("Europe/London")
    entry = MockConfigEntry(domain="octopus_energy", version=9, data={})
    entry.add_to_hass(hass)
    entry.mock_state(hass, ConfigEntryState.SETUP_IN_PROGRESS)
    client = OctopusEnergyClient(
        api_key=API_KEY,
        session=async_get_clientsession(hass),
        base_url=str(octopus_sim.server.make_url("/octopus")),
    )
    made: list[PreviousConsumptionCoordinator] = []

    def _make(meter: ActiveMeter, rates: Any = None) -> PreviousConsumptionCoordinator:
        coordinator = consumption_coordinators(
            hass,
            entry,  # type: ignore[arg-type]
            client,
            [meter],
            AccountSettings(),
            {meter.key: rates} if rates is not None else {},
        )[meter.key]
        made.append(coordinator)
        return coordinator

    yield _make
    for coordinator in made:
        await coordinator.async_shutdown()


async def hourly(
    hass: HomeAssistant, ids: set[str], start: datetime, end: datetime | None = None
) -> dict[str, list[Any]]:
    """Hourly rows (state and sum) of some statistics."""
    await async_wait_recording_done(hass)
    return await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        end,
        ids,
        "hour",
        None,
        {"state", "sum"},
    )


async def metadata(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """The listed statistic ids with their metadata."""
    await async_wait_recording_done(hass)
    rows = await get_instance(hass).async_add_executor_job(list_statistic_ids, hass)
    return {row["statistic_id"]: row for row in rows}


def assert_chained(rows: list[Any]) -> None:
    """Consecutive hours, sums never going down, no duplicates."""
    starts = [row["start"] for row in rows]
    assert starts == sorted(set(starts))
    assert all(b - a == 3600 for a, b in pairwise(starts))
    sums = [row["sum"] for row in rows]
    assert sums == sorted(sums)


async def test_first_day_ids_units_and_rows(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """A new complete day writes hourly kWh and GBP rows with the community ids."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    coordinator = make_coordinator(AGILE)
    await coordinator.async_config_entry_first_refresh()
    day = coordinator.data
    assert day is not None

    start, _ = uk_day_bounds(date(2026, 11, 22))
    rows = await hourly(hass, {f"{E}_previous_accumulative_consumption"}, start)
    consumption = rows[f"{E}_previous_accumulative_consumption"]
    assert len(consumption) == 24
    assert_chained(consumption)
    assert consumption[-1]["sum"] == pytest.approx(day.total_kwh)
    assert consumption[-1]["state"] == pytest.approx(day.total_kwh)
    cost = (await hourly(hass, {f"{E}_previous_accumulative_cost"}, start))[
        f"{E}_previous_accumulative_cost"
    ]
    assert cost[-1]["sum"] == pytest.approx(day.total_without_standing_charge)

    meta = await metadata(hass)
    assert meta[f"{E}_previous_accumulative_consumption"][
        "statistics_unit_of_measurement"
    ] == ("kWh")
    assert (
        meta[f"{E}_previous_accumulative_cost"]["statistics_unit_of_measurement"]
        == "GBP"
    )
    assert meta[f"{E}_previous_accumulative_consumption"]["name"] == (
        "Previous Accumulative Consumption Electricity (22L0000001/1200000000001)"
    )
    assert meta[f"{E}_previous_accumulative_consumption"]["source"] == "octopus_energy"
    assert not any("_off_peak" in key for key in meta)  # Agile has no tiers


async def test_reimport_overwrites(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """Importing days again (also earlier ones) rewrites the same rows and sums."""
    freezer.move_to(utc(2026, 11, 20, 0, 10))
    coordinator = make_coordinator(AGILE)
    coordinator.async_add_listener(lambda: None)
    await coordinator.async_config_entry_first_refresh()
    first = coordinator.data
    assert first is not None
    await async_wait_recording_done(hass)
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    await coordinator.async_refresh()
    await async_wait_recording_done(hass)
    statistic = f"{E}_previous_accumulative_consumption"
    start = uk_day_bounds(date(2026, 11, 19))[0]
    before = (await hourly(hass, {statistic}, start))[statistic]
    assert len(before) == 4 * 24
    assert_chained(before)

    await async_import_days(hass, AGILE, [first])
    after = (await hourly(hass, {statistic}, start))[statistic]
    assert [(r["start"], r["sum"]) for r in after] == [
        (r["start"], r["sum"]) for r in before
    ]


async def test_backfill_after_downtime(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    make_coordinator: Factory,
) -> None:
    """Days missed while HA was off are imported in one request, without gaps."""
    freezer.move_to(utc(2026, 11, 10, 0, 10))
    first = make_coordinator(FIXED_EXPORT)
    await first.async_config_entry_first_refresh()
    await first.async_shutdown()
    await async_wait_recording_done(hass)

    freezer.move_to(utc(2026, 11, 17, 9))  # a week later
    before = octopus_sim.count("octopus.rest.consumption")
    again = make_coordinator(FIXED_EXPORT)
    await again.async_config_entry_first_refresh()
    assert octopus_sim.count("octopus.rest.consumption") == before + 1
    assert again.data is not None
    assert again.data.day == date(2026, 11, 16)

    statistic = f"{X}_previous_accumulative_consumption"
    rows = (await hourly(hass, {statistic}, uk_day_bounds(date(2026, 11, 9))[0]))[
        statistic
    ]
    assert len(rows) == 8 * 24
    assert_chained(rows)
    assert f"{X}_previous_accumulative_cost" in await metadata(hass)


async def test_tier_ids(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """A 2-rate day writes `_off_peak` and `_peak` ids that add up to the total."""
    freezer.move_to(utc(2026, 11, 23, 0, 10))
    start, _ = uk_day_bounds(date(2026, 11, 22))
    cheap_until = start + timedelta(hours=7)
    rates = MeterRates(
        tariff_code=AGILE.tariff_code,
        slots=tuple(
            make_slots(
                start,
                start + timedelta(days=2),
                lambda s: 0.07 if s < cheap_until else 0.3,
            )
        ),
        standing_charge=None,
        standing_charge_day=None,
    )
    coordinator = make_coordinator(AGILE, FakeRates(rates))
    await coordinator.async_config_entry_first_refresh()
    assert coordinator.data is not None

    ids = {
        f"{E}_previous_accumulative_consumption",
        f"{E}_previous_accumulative_consumption_off_peak",
        f"{E}_previous_accumulative_consumption_peak",
        f"{E}_previous_accumulative_cost_off_peak",
    }
    rows = await hourly(hass, ids, start)
    total = rows[f"{E}_previous_accumulative_consumption"][-1]["sum"]
    off_peak = rows[f"{E}_previous_accumulative_consumption_off_peak"]
    peak = rows[f"{E}_previous_accumulative_consumption_peak"]
    assert len(off_peak) == 7
    assert off_peak[-1]["sum"] + peak[-1]["sum"] == pytest.approx(total)
    meta = await metadata(hass)
    assert meta[f"{E}_previous_accumulative_consumption_off_peak"]["name"].endswith(
        " Off Peak"
    )
    assert f"{E}_previous_accumulative_consumption_standard" not in meta


async def test_gas_ids_and_clock_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, make_coordinator: Factory
) -> None:
    """Gas: m³, kWh and GBP ids; the 25-hour autumn day gives 25 rows."""
    freezer.move_to(utc(2026, 10, 26, 0, 10))
    coordinator = make_coordinator(GAS)
    await coordinator.async_config_entry_first_refresh()
    day = coordinator.data
    assert day is not None

    meta = await metadata(hass)
    assert meta[f"{G}_previous_accumulative_consumption"][
        "statistics_unit_of_measurement"
    ] == ("m³")
    assert meta[f"{G}_previous_accumulative_consumption_kwh"][
        "statistics_unit_of_measurement"
    ] == ("kWh")
    assert (
        meta[f"{G}_previous_accumulative_cost"]["statistics_unit_of_measurement"]
        == "GBP"
    )
    rows = await hourly(
        hass,
        {f"{G}_previous_accumulative_consumption_kwh"},
        uk_day_bounds(date(2026, 10, 25))[0],
    )
    kwh = rows[f"{G}_previous_accumulative_consumption_kwh"]
    assert len(kwh) == 25
    assert kwh[-1]["sum"] == pytest.approx(day.total_kwh)
    assert sorted(statistic_ids(GAS)) == sorted(
        [
            f"{G}_previous_accumulative_consumption",
            f"{G}_previous_accumulative_consumption_kwh",
            f"{G}_previous_accumulative_cost",
        ]
    )


async def test_sum_before_an_old_gap_and_unpriced_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Re-importing a day 10 days after the previous one chains from that day.

    Days without prices write consumption only (no cost rows).
    """
    freezer.move_to(utc(2026, 11, 23, 9))
    await hass.config.async_set_time_zone("Europe/London")
    first, later = date(2026, 11, 1), date(2026, 11, 11)

    def day_of(day: date, *, priced: bool) -> Any:
        return previous_day(
            AGILE,
            day,
            readings(day, 1.0),
            rates(day) if priced else [],
            standing_charge=None,
            calorific_value=40.0,
        )

    await async_import_days(hass, AGILE, [day_of(first, priced=True)])
    await async_wait_recording_done(hass)
    await async_import_days(hass, AGILE, [day_of(later, priced=False)])
    await async_wait_recording_done(hass)
    await async_import_days(hass, AGILE, [day_of(later, priced=False)])

    statistic = f"{E}_previous_accumulative_consumption"
    rows = (await hourly(hass, {statistic}, uk_day_bounds(later)[0]))[statistic]
    assert rows[-1]["sum"] == pytest.approx(96)
    cost = f"{E}_previous_accumulative_cost"
    assert not (await hourly(hass, {cost}, uk_day_bounds(later)[0])).get(cost)

    between = date(2026, 11, 2)
    await async_import_days(hass, AGILE, [day_of(between, priced=True)])
    start, end = uk_day_bounds(between)
    rows = (await hourly(hass, {statistic}, start, end))[statistic]
    assert rows[-1]["sum"] == pytest.approx(96)
