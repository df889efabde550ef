"""Power Down / Power Up baselines of the electricity import meter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.api import Consumption, Fuel
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.octoplus.baseline import (
    MIN_SLOTS,
    add_records,
    baseline_days,
    session_baselines,
    slot_key,
)
from custom_components.octopus_energy.features.octoplus.model import Session

from .builders import make_client
from .conftest import ELECTRICITY_SERIAL, IMPORT_MPAN, OctopusSim
from .octoplus_helpers import NOW

E = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
UP = f"{E}_octoplus_power_up_baseline"
DOWN = f"{E}_octoplus_power_down_baseline"
OLD_DOWN = f"{E}_octoplus_saving_session_baseline"
EXPORT = "sensor.octopus_energy_electricity_22l0000001_1200000000002_export"
CONSUMPTION = "octopus.rest.consumption"
POWER_DOWN_EVENTS = "event.octopus_energy_a_aaaa1111_octoplus_power_down_events"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


@pytest.fixture
def enabled_by_default() -> Iterator[None]:
    """Create the disabled-by-default entities enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the reference account up at NOW."""
    await hass.config.async_set_time_zone("Europe/London")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


def uk(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK winter time (UTC)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def expected_mean(
    hass: HomeAssistant, days: list[date], hour: int, minute: int
) -> float:
    """The mean consumption of a UK half hour on some days (from the simulator)."""
    client = make_client(hass)
    values = []
    for day in days:
        records = await client.get_consumption(
            Fuel.ELECTRICITY,
            IMPORT_MPAN,
            ELECTRICITY_SERIAL,
            period_from=uk(day, hour, minute),
            period_to=uk(day, hour, minute) + timedelta(minutes=30),
        )
        values.append(records[0].consumption)
    return sum(values) / len(values)


async def test_power_up_baseline(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    enabled_by_default: None,
) -> None:
    """Today's Power Up (Saturday 13:00): the previous 4 weekend days without one."""
    del enabled_by_default
    freezer.move_to(NOW)
    await set_up(hass, mock_config_entry)
    state = hass.states.get(UP)
    assert state is not None
    # Saturday 5 Dec; weekend days back: 29/30 Nov, 22/23 Nov (no Power Up then)
    days = [
        date(2026, 11, 29),
        date(2026, 11, 28),
        date(2026, 11, 22),
        date(2026, 11, 21),
    ]
    mean = await expected_mean(hass, days, 13, 0)
    assert float(state.state) == pytest.approx(round(mean, 4))
    assert state.attributes["start"] == datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
    assert state.attributes["consumption_items"] == 4
    assert state.attributes["is_incomplete_calculation"] is False
    assert len(state.attributes["baselines"]) == 2
    # the history of the import meter only (none for the export meter)
    assert hass.states.get(f"{EXPORT}_octoplus_power_up_baseline") is None
    feature = mock_config_entry.runtime_data.features["octoplus"]
    assert list(feature.baselines) == ["electricity_22L0000001_1200000000001"]
    assert next(iter(feature.baselines.values())).fetched == NOW
    requests = octopus_sim.count(CONSUMPTION)
    down = hass.states.get(DOWN)
    assert down is not None
    assert down.state == "unknown"  # no joined Power Down

    # joining the Sunday Power Down shows its baseline; the stored history serves it
    await hass.services.async_call(
        DOMAIN,
        "join_octoplus_power_down_session_event",
        {
            ATTR_ENTITY_ID: POWER_DOWN_EVENTS,
            "event_code": "EVENT-20261206",
        },
        blocking=True,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    down = hass.states.get(DOWN)
    assert down is not None
    assert down.attributes["start"] == datetime(2026, 12, 6, 17, 30, tzinfo=UTC)
    assert down.state != "unknown"
    assert octopus_sim.count(CONSUMPTION) == requests

    # a restart asks nothing again
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert octopus_sim.count(CONSUMPTION) == requests
    state = hass.states.get(UP)
    assert state is not None
    assert float(state.state) == pytest.approx(round(mean, 4))


async def test_disabled_by_default_asks_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    entity_registry: er.EntityRegistry,
) -> None:
    """Baselines are disabled by default, and then no history is requested."""
    freezer.move_to(NOW)
    await set_up(hass, mock_config_entry)
    entry = entity_registry.async_get(UP)
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    feature = mock_config_entry.runtime_data.features["octoplus"]
    coordinator = next(iter(feature.baselines.values()))
    assert coordinator.data == {}
    assert coordinator.fetched is None
    del octopus_sim


async def test_old_baseline_name_kept(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    entity_registry: er.EntityRegistry,
) -> None:
    """A registered v18 baseline stays next to the v19 one."""
    del octopus_sim
    freezer.move_to(NOW)
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        "octopus_energy_electricity_22L0000001_1200000000001_octoplus_saving_session_baseline",
        suggested_object_id=OLD_DOWN.removeprefix("sensor."),
    )
    await set_up(hass, mock_config_entry)
    assert entity_registry.async_get(OLD_DOWN) is not None
    assert entity_registry.async_get(DOWN) is not None
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"octoplus_renamed_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["entities"] == OLD_DOWN


def _session(start: datetime, minutes: int = 60) -> Session:
    return Session(
        id="1",
        code="EVENT",
        start=start,
        end=start + timedelta(minutes=minutes),
        octopoints_per_kwh=800,
        target_regions=(),
        joined=True,
        rewarded_octopoints=None,
    )


def _day(day: date, kwh: float, slots: int = 48) -> list[Consumption]:
    start = uk(day, 0)
    return [
        Consumption(
            consumption=kwh,
            interval_start=start + timedelta(minutes=30 * i),
            interval_end=start + timedelta(minutes=30 * (i + 1)),
            raw={},
        )
        for i in range(slots)
    ]


def test_weekday_days_skip_sessions_and_weekends() -> None:
    """A Wednesday: the previous 10 weekdays, days with a session skipped."""
    wednesday = date(2026, 12, 9)
    days, wanted = baseline_days(wednesday, skip={date(2026, 12, 3)})
    assert wanted == 10
    assert date(2026, 12, 3) not in days
    assert all(day.weekday() < 5 for day in days)
    assert days[:3] == [date(2026, 12, 8), date(2026, 12, 7), date(2026, 12, 4)]


def test_incomplete_calculation(freezer: FrozenDateTimeFactory) -> None:
    """Fewer complete days than wanted: the mean of those, flagged incomplete."""
    freezer.move_to(datetime(2026, 12, 9, 10, tzinfo=UTC))
    records = [
        *_day(date(2026, 12, 8), 0.5),
        *_day(date(2026, 12, 7), 1.5),
        *_day(date(2026, 12, 4), 9.0, slots=MIN_SLOTS - 1),  # incomplete: not used
    ]
    history = add_records({}, records)
    baselines = session_baselines(
        _session(uk(date(2026, 12, 9), 17, 30)), history, set()
    )
    assert [b.baseline for b in baselines] == [1.0, 1.0]
    assert baselines[0].consumption_items == 2
    assert baselines[0].is_incomplete_calculation is True
    assert slot_key(baselines[1].start) == "18:00"
    # days older than kept are dropped
    freezer.move_to(datetime(2027, 1, 20, tzinfo=UTC))
    assert add_records(history, []) == {}
