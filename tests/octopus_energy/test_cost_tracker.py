"""Cost trackers inside Home Assistant: setup, pricing, periods, restarts, actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.json import JSONEncoder
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache,
)
from syrupy.assertion import SnapshotAssertion
import voluptuous as vol

from custom_components.octopus_energy import async_remove_config_entry_device
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.octopus_energy.models import MeterRates
from custom_components.octopus_energy.timeutil import uk_midnight

from .conftest import OctopusSim
from .cost_tracker_helpers import (
    DAY,
    MONTH,
    SOURCE,
    WEEK,
    add_tracker,
    import_rates,
    rate_at,
    set_source,
)
from .rates_helpers import REGISTRY_FIELDS, make_slots, plain

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)  # a Friday
HALF_HOUR = timedelta(minutes=30)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


async def _set_up_account(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config.async_set_time_zone("Europe/London")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def account(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> MockConfigEntry:
    """The reference account, set up at NOW."""
    freezer.move_to(NOW)
    await _set_up_account(hass, mock_config_entry)
    return mock_config_entry


def cost(entity_id: str, hass: HomeAssistant) -> float:
    """The state of a cost-tracker sensor."""
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Half an hour later (timers fired)."""
    freezer.tick(HALF_HOUR)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def feed(hass: HomeAssistant, value: float | str, **kwargs: Any) -> None:
    """A new state of the tracked entity."""
    set_source(hass, value, **kwargs)
    await hass.async_block_till_done()


def two_rates(account: MockConfigEntry) -> None:
    """Give the import meter a 2-rate tariff (0.10 before 07:00 UTC, else 0.30)."""
    coordinator = import_rates(account)
    start = uk_midnight(date(2026, 11, 19))
    coordinator.data = MeterRates(
        tariff_code="E-2R-VAR-22-11-01-C",
        slots=tuple(
            make_slots(
                start,
                start + timedelta(days=3),
                lambda moment: 0.1 if moment.hour < 7 else 0.3,
            )
        ),
        standing_charge=None,
        standing_charge_day=None,
    )


async def test_prices_accumulative_source(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """Each increase is priced at its half hour's rate; week and month follow."""
    set_source(hass, 10.0)
    entry = await add_tracker(hass)
    assert entry.state is ConfigEntryState.LOADED
    assert cost(DAY, hass) == 0
    await feed(hass, 10.5)
    expected = 0.5 * rate_at(account, NOW)
    assert cost(DAY, hass) == pytest.approx(expected, abs=1e-6)
    await tick(hass, freezer)
    await feed(hass, 11.5)
    expected += 1.0 * rate_at(account, NOW + HALF_HOUR)
    for entity_id in (DAY, WEEK, MONTH):
        assert cost(entity_id, hass) == pytest.approx(expected, abs=1e-6)
    attributes = hass.states.get(DAY).attributes
    assert attributes["total_consumption"] == pytest.approx(1.5)
    charges = attributes["tracked_charges"]
    assert [c["consumption"] for c in charges] == [0.5, 1.0]
    assert charges[0]["rate"] == rate_at(account, NOW)
    assert attributes["is_tracking"] is True
    assert hass.states.get(WEEK).attributes["accumulated_data"][0]["consumption"] == 1.5
    assert hass.states.get(DAY).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 20)).isoformat()
    )
    assert hass.states.get(WEEK).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 16)).isoformat()  # Monday
    )
    assert hass.states.get(MONTH).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 1)).isoformat()
    )


async def test_snapshot(
    hass: HomeAssistant,
    account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Day, week and month sensors, tier variants disabled, on the plug's device."""
    plug_entry = MockConfigEntry(domain="plug_maker")
    plug_entry.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=plug_entry.entry_id,
        identifiers={("plug_maker", "plug-1")},
        name="Dishwasher plug",
    )
    entity_registry.async_get_or_create(
        "sensor",
        "plug_maker",
        "plug-1-energy",
        suggested_object_id="plug_energy",
        device_id=device.id,
    )
    two_rates(account)
    set_source(hass, 1.0)
    entry = await add_tracker(hass)
    await feed(hass, 1.5)
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert len(entries) == 9
    for registry_entry in sorted(entries, key=lambda e: e.entity_id):
        assert registry_entry.device_id == device.id
        fields = {name: getattr(registry_entry, name) for name in REGISTRY_FIELDS}
        assert plain(fields) == snapshot(name=f"{registry_entry.entity_id}-entry")
        state = hass.states.get(registry_entry.entity_id)
        if registry_entry.disabled_by is not None:
            assert state is None
            continue
        assert {
            "state": state.state,
            "attributes": plain(dict(state.attributes)),
        } == snapshot(name=f"{registry_entry.entity_id}-state")
    assert await async_remove_config_entry_device(hass, entry, device)


async def test_tiers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """On a 2-rate tariff the off-peak and peak variants split the cost."""
    two_rates(account)
    for entity_id in (f"{DAY}_off_peak", f"{DAY}_peak", f"{MONTH}_peak"):
        entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            entity_id.removeprefix("sensor."),
            suggested_object_id=entity_id.removeprefix("sensor."),
        )
    freezer.move_to(datetime(2026, 11, 20, 6, 40, tzinfo=UTC))
    set_source(hass, 0.0)
    await add_tracker(hass)
    await feed(hass, 1.0)  # off peak (0.10)
    await tick(hass, freezer)
    await feed(hass, 3.0)  # peak (0.30)
    assert cost(DAY, hass) == pytest.approx(0.1 + 0.6)
    assert cost(f"{DAY}_off_peak", hass) == pytest.approx(0.1)
    assert cost(f"{DAY}_peak", hass) == pytest.approx(0.6)
    assert cost(f"{MONTH}_peak", hass) == pytest.approx(0.6)
    assert hass.states.get(f"{DAY}_peak").attributes["total_consumption"] == 2.0


async def test_non_accumulative_source(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Each reading is new consumption; other units, text and gaps are skipped."""
    set_source(hass, 0.2)
    await add_tracker(hass, entity_accumulative_value=False)
    await feed(hass, 0.3)
    await feed(hass, 200, unit="Wh")  # 0.2 kWh
    await feed(hass, 5, unit="W")  # not energy
    await feed(hass, "unavailable")
    await feed(hass, 0.4)  # first reading after a gap: not counted
    await feed(hass, "abc")
    await feed(hass, 0.1)  # after a non-number: not counted either
    await feed(hass, 0.25)
    rate = rate_at(account, NOW)
    state = hass.states.get(DAY)
    assert state.attributes["total_consumption"] == pytest.approx(0.75)
    assert float(state.state) == pytest.approx(0.75 * rate, abs=1e-6)


@pytest.mark.parametrize(
    ("readings", "attributes", "expected"),
    [
        # a small drop is jitter: the higher reading stays the reference
        ([10.0, 11.0, 10.95, 11.2], None, 1.2),
        # a drop of more than 10 % is a reset: the new value is consumption
        ([10.0, 11.0, 0.5, 1.0], None, 2.0),
        # a new last_reset is a reset
        (
            [10.0, 11.0, 10.5],
            [{"last_reset": "a"}, {"last_reset": "a"}, {"last_reset": "b"}],
            11.5,
        ),
        # gaps do not lose consumption: the next reading is diffed with the last
        ([10.0, "unavailable", "unknown", 12.0], None, 2.0),
    ],
)
async def test_accumulative_resets(
    hass: HomeAssistant,
    account: MockConfigEntry,
    readings: list[Any],
    attributes: list[dict[str, str]] | None,
    expected: float,
) -> None:
    """Resets, jitter and gaps of an accumulative source."""
    extra = attributes or [{} for _ in readings]
    set_source(hass, 10.0, **extra[0])
    await add_tracker(hass)
    for value, more in zip(readings[1:], extra[1:], strict=True):
        await feed(hass, value, **more)
    total = hass.states.get(DAY).attributes["total_consumption"]
    assert total == pytest.approx(expected)


async def test_unit_change_is_not_a_reset(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """A source that switches from Wh to kWh keeps its total."""
    set_source(hass, 10000, unit="Wh")
    await add_tracker(hass)
    await feed(hass, 10500, unit="Wh")
    await feed(hass, 10.5, unit="kWh")
    await feed(hass, 10.75, unit="kWh")
    assert hass.states.get(DAY).attributes["total_consumption"] == pytest.approx(0.75)


async def test_restart_restores_exactly(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """A reload keeps every total; consumption while stopped is counted once."""
    set_source(hass, 10.0)
    entry = await add_tracker(hass)
    await feed(hass, 11.0)
    before = {e: cost(e, hass) for e in (DAY, WEEK, MONTH)}
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    set_source(hass, 12.0)  # consumed while stopped
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    rate = rate_at(account, NOW)
    for entity_id, value in before.items():
        assert cost(entity_id, hass) == pytest.approx(value + rate, abs=1e-6)
    assert hass.states.get(DAY).attributes["total_consumption"] == pytest.approx(2.0)
    await tick(hass, freezer)
    assert hass.states.get(DAY).attributes["total_consumption"] == pytest.approx(2.0)


async def test_restart_across_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """Stopped over midnight: the day starts again, the week and month keep it."""
    set_source(hass, 10.0)
    entry = await add_tracker(hass)
    await feed(hass, 11.0)
    week = cost(WEEK, hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.move_to(datetime(2026, 11, 21, 9, 10, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert cost(DAY, hass) == 0
    assert cost(WEEK, hass) == pytest.approx(week)
    assert hass.states.get(DAY).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 21)).isoformat()
    )


@pytest.mark.parametrize(
    ("day", "half_hours"), [(date(2026, 3, 29), 46), (date(2026, 10, 25), 50)]
)
async def test_clock_change_days(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
    day: date,
    half_hours: int,
) -> None:
    """Every half hour of a 46- or 50-half-hour day is counted, then rolled over."""
    start = uk_midnight(day)
    freezer.move_to(start + timedelta(minutes=10))
    await _set_up_account(hass, mock_config_entry)
    set_source(hass, 0.0)
    await add_tracker(hass)
    for index in range(half_hours):
        await feed(hass, round(0.1 * (index + 1), 3))
        if index < half_hours - 1:
            await tick(hass, freezer)
    assert dt_util.utcnow() < uk_midnight(day + timedelta(days=1))
    state = hass.states.get(DAY)
    assert len(state.attributes["tracked_charges"]) == half_hours
    recorded = {
        key: value
        for key, value in state.attributes.items()
        if key not in {"tracked_charges", "untracked_charges", "accumulated_data"}
    }
    assert len(json.dumps(recorded, cls=JSONEncoder)) < 2048
    await tick(hass, freezer)
    assert dt_util.utcnow() >= uk_midnight(day + timedelta(days=1))
    assert cost(DAY, hass) == 0  # rolled over at UK midnight
    rows = hass.states.get(MONTH).attributes["accumulated_data"]
    row = next(r for r in rows if r["start"].timestamp() == start.timestamp())
    assert row["consumption"] == pytest.approx(0.1 * half_hours)
    end = uk_midnight(day + timedelta(days=1))
    assert row["end"].timestamp() == end.timestamp()


async def test_week_and_month_reset_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """The week resets on its weekday, the month on its day; manual day reset."""
    set_source(hass, 0.0)
    # Saturday week, month from the 21st, day only reset by the action
    await add_tracker(hass, weekday_reset=5, month_day_reset=21, manual_reset=True)
    await feed(hass, 1.0)
    assert hass.states.get(WEEK).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 14)).isoformat()
    )
    assert hass.states.get(MONTH).attributes["last_reset"] == (
        uk_midnight(date(2026, 10, 21)).isoformat()
    )
    day_before = cost(DAY, hass)
    freezer.move_to(datetime(2026, 11, 21, 0, 0, 1, tzinfo=UTC))
    async_fire_time_changed(hass, datetime(2026, 11, 21, 0, 0, tzinfo=UTC))
    await hass.async_block_till_done()
    assert cost(DAY, hass) == pytest.approx(day_before)  # manual reset
    assert cost(WEEK, hass) == 0
    assert cost(MONTH, hass) == 0
    assert hass.states.get(MONTH).attributes["last_reset"] == (
        uk_midnight(date(2026, 11, 21)).isoformat()
    )


async def test_unpriced_half_hours_are_priced_later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """Without a known price the kWh wait; the cost follows when it is known."""
    coordinator = import_rates(account)
    known = coordinator.data
    assert known is not None
    coordinator.data = replace(known, slots=())
    set_source(hass, 0.0)
    entry = await add_tracker(hass)
    await feed(hass, 1.0)
    assert cost(DAY, hass) == 0
    assert hass.states.get(DAY).attributes["tracked_charges"][0]["rate"] is None
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["cost_tracker"]["unpriced_half_hours"] == 1
    coordinator.data = known
    await feed(hass, 2.0)  # same half hour: priced at once, the earlier kWh too
    rate = rate_at(account, NOW)
    assert cost(DAY, hass) == pytest.approx(2 * rate, abs=1e-6)
    assert cost(WEEK, hass) == pytest.approx(2 * rate, abs=1e-6)

    coordinator.data = replace(known, slots=())
    await tick(hass, freezer)
    await feed(hass, 3.0)
    coordinator.data = known
    await tick(hass, freezer)  # the half-hour timer prices it
    later = rate_at(account, NOW + HALF_HOUR)
    assert cost(MONTH, hass) == pytest.approx(2 * rate + later, abs=1e-6)


async def test_setup_waits_for_the_account(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    octopus_sim: OctopusSim,
) -> None:
    """A tracker set up before its account retries; the account's setup reloads it."""
    freezer.move_to(NOW)
    await hass.config.async_set_time_zone("Europe/London")
    set_source(hass, 1.0)
    entry = await add_tracker(hass)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    await _set_up_account(hass, mock_config_entry)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_unknown_meter_retries(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """A tracker whose MPAN has no active meter waits (setup retry)."""
    entry = await add_tracker(hass, mpan="1999999999999")
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_renamed_source_is_followed(
    hass: HomeAssistant, account: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Renaming the tracked entity rewrites the entry; tracking goes on."""
    registry_entry = entity_registry.async_get_or_create(
        "sensor", "plug_maker", "plug-1-energy", suggested_object_id="plug_energy"
    )
    assert registry_entry.entity_id == SOURCE
    set_source(hass, 1.0)
    entry = await add_tracker(hass)
    await feed(hass, 2.0)
    entity_registry.async_update_entity(SOURCE, new_entity_id="sensor.dishwasher")
    await hass.async_block_till_done()
    assert entry.data["target_entity_id"] == "sensor.dishwasher"
    assert entry.state is ConfigEntryState.LOADED
    hass.states.async_set(
        "sensor.dishwasher",
        "3.0",
        {"unit_of_measurement": "kWh", "state_class": "total_increasing"},
    )
    await hass.async_block_till_done()
    assert hass.states.get(DAY).attributes["total_consumption"] == pytest.approx(2.0)


async def _call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def test_update_and_reset_actions(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Pausing lists consumption as untracked; reset zeroes the targeted period."""
    set_source(hass, 0.0)
    await add_tracker(hass)
    await feed(hass, 1.0)
    await _call(hass, "update_cost_tracker", DAY, is_tracking_enabled=False)
    await feed(hass, 3.0)
    state = hass.states.get(DAY)
    assert state.attributes["is_tracking"] is False
    assert state.attributes["total_consumption"] == pytest.approx(1.0)
    assert state.attributes["untracked_charges"][0]["consumption"] == 2.0
    assert hass.states.get(WEEK).attributes["total_consumption"] == pytest.approx(1.0)
    await _call(hass, "update_cost_tracker", DAY, is_tracking_enabled=True)
    await feed(hass, 3.5)
    assert hass.states.get(DAY).attributes["total_consumption"] == pytest.approx(1.5)

    await _call(hass, "reset_cost_tracker", DAY)
    assert cost(DAY, hass) == 0
    assert hass.states.get(DAY).attributes["untracked_charges"] == []
    assert cost(WEEK, hass) > 0
    await _call(hass, "reset_cost_tracker", WEEK)
    assert cost(WEEK, hass) == 0
    assert cost(MONTH, hass) > 0
    await _call(hass, "reset_cost_tracker", MONTH)
    assert cost(MONTH, hass) == 0
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "update_cost_tracker", WEEK, is_tracking_enabled=True)
    assert err.value.translation_key == "entity_not_supported"


async def test_adjust_actions(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, account: MockConfigEntry
) -> None:
    """Adjusting a half hour or a day re-totals; bad input is refused."""
    set_source(hass, 0.0)
    await add_tracker(hass)
    await feed(hass, 1.0)
    await tick(hass, freezer)
    await feed(hass, 2.0)
    first, second = rate_at(account, NOW), rate_at(account, NOW + HALF_HOUR)
    local = dt_util.as_local(NOW).replace(tzinfo=None)
    await _call(hass, "adjust_cost_tracker", DAY, datetime=local, consumption=0.5)
    assert cost(DAY, hass) == pytest.approx(0.5 * first + second, abs=1e-6)
    assert cost(WEEK, hass) == pytest.approx(0.5 * first + second, abs=1e-6)
    await _call(  # the community documentation's field name
        hass, "adjust_cost_tracker", DAY, date=NOW + HALF_HOUR, consumption=0
    )
    assert cost(MONTH, hass) == pytest.approx(0.5 * first, abs=1e-6)

    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "adjust_cost_tracker",
            DAY,
            datetime=NOW - timedelta(hours=5),
            consumption=1,
        )
    assert err.value.translation_key == "cost_tracker_invalid_date"
    assert err.value.translation_placeholders == {
        "min_date": dt_util.as_local(
            datetime(2026, 11, 20, 10, tzinfo=UTC)
        ).isoformat(),
        "max_date": dt_util.as_local(
            datetime(2026, 11, 20, 11, tzinfo=UTC)
        ).isoformat(),
    }
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "adjust_cost_tracker", DAY, consumption=1)
    assert err.value.translation_key == "cost_tracker_datetime_required"
    with pytest.raises(vol.Invalid):
        await _call(hass, "adjust_cost_tracker", DAY, datetime=NOW, consumption=-1)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "adjust_cost_tracker", WEEK, datetime=NOW, consumption=1)
    assert err.value.translation_key == "entity_not_supported"

    today = date(2026, 11, 20)
    for entity_id in (WEEK, MONTH):
        await _call(
            hass,
            "adjust_accumulative_cost_tracker",
            entity_id,
            date=today,
            consumption=4,
            cost=1.25,
        )
        assert cost(entity_id, hass) == 1.25
        assert hass.states.get(entity_id).attributes["total_consumption"] == 4
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "adjust_accumulative_cost_tracker",
            WEEK,
            date=date(2026, 11, 1),
            consumption=1,
            cost=1,
        )
    assert err.value.translation_placeholders == {
        "min_date": "2026-11-20",
        "max_date": "2026-11-20",
    }
    with pytest.raises(vol.Invalid):
        await _call(
            hass,
            "adjust_accumulative_cost_tracker",
            WEEK,
            date=today,
            consumption=1,
            cost=-1,
        )
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "adjust_accumulative_cost_tracker",
            DAY,
            date=today,
            consumption=1,
            cost=1,
        )
    assert err.value.translation_key == "entity_not_supported"


async def test_invalid_date_without_data(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """With nothing tracked yet the valid range is empty."""
    await add_tracker(hass)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "adjust_cost_tracker", DAY, datetime=NOW, consumption=1)
    assert err.value.translation_placeholders == {"min_date": "-", "max_date": "-"}
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "adjust_accumulative_cost_tracker",
            MONTH,
            date=date(2026, 11, 20),
            consumption=1,
            cost=1,
        )
    assert err.value.translation_placeholders == {"min_date": "-", "max_date": "-"}


async def test_diagnostics_and_unload(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Diagnostics carry counts and redacted settings; unload stops tracking."""
    set_source(hass, 0.0)
    entry = await add_tracker(hass)
    await feed(hass, 1.0)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["entry"]["data"]["target_entity_id"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["mpan"] == "**REDACTED**"
    assert diagnostics["cost_tracker"]["tracked_half_hours"] == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    await feed(hass, 2.0)
    assert entry.state is ConfigEntryState.NOT_LOADED
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()


async def test_takes_over_community_totals(
    hass: HomeAssistant, account: MockConfigEntry, octopus_sim: OctopusSim
) -> None:
    """The first start after the switch keeps what the community tracker had."""
    today = "2026-11-20T10:00:00+00:00"
    mock_restore_cache(
        hass,
        [
            State(
                DAY,
                "0.2",
                {
                    "is_tracking": False,
                    "tracked_charges": [
                        {"start": today, "end": "x", "rate": 0.2, "consumption": 1.0},
                        {"start": "2026-11-19T10:00:00+00:00", "consumption": 9.0},
                        {"start": "bad"},
                    ],
                    "untracked_charges": [
                        {
                            "start": "2026-11-20T10:00:00",
                            "rate": None,
                            "consumption": 0.5,
                        }
                    ],
                },
            ),
            State(
                WEEK,
                "1.2",
                {
                    "accumulated_data": [
                        {
                            "start": "2026-11-19T00:00:00+00:00",
                            "consumption": 5,
                            "cost": 1,
                        },
                        {"start": today, "consumption": 1, "cost": 0.2},
                        {
                            "start": "2026-11-01T00:00:00+00:00",
                            "consumption": 9,
                            "cost": 9,
                        },
                        {"start": "not a date", "consumption": 1, "cost": 1},
                        {"consumption": 1},
                    ]
                },
            ),
        ],
    )
    before = octopus_sim.count()
    await add_tracker(hass)
    assert octopus_sim.count() == before  # a cost tracker asks Octopus nothing
    assert cost(DAY, hass) == pytest.approx(0.2)
    assert hass.states.get(DAY).attributes["is_tracking"] is False
    assert hass.states.get(DAY).attributes["untracked_charges"][0]["consumption"] == 0.5
    assert cost(WEEK, hass) == pytest.approx(1.2)
    assert cost(MONTH, hass) == 0
