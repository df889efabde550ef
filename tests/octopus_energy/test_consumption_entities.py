"""Previous-day consumption/cost sensors and the consumption-rates event entity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
import json
from types import SimpleNamespace
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.json import JSONEncoder
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.features.consumption.entities import _tiers
from custom_components.octopus_energy.features.rates.tariff import uk_day_bounds
from custom_components.octopus_energy.models import MeterRates
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .consumption_helpers import SetUp, set_up  # noqa: F401
from .rates_helpers import (
    AGILE,
    FIXED_EXPORT,
    GAS,
    REGISTRY_FIELDS,
    make_meter,
    make_slots,
    plain,
    utc,
)

TWO_RATE = make_meter(product="VAR-22-11-01", tariff="E-2R-VAR-22-11-01-C")
E = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
G = "sensor.octopus_energy_gas_g4a0000001_3000000001"


@pytest.fixture
def enabled_by_default() -> Iterator[None]:
    """Register every entity enabled (tier variants and events included)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


def _snapshot_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Plain attributes with long lists summarised (length and first item)."""
    result = plain(attributes)
    for key in ("charges", "rates"):
        if isinstance(items := result.get(key), list):
            result[key] = {"count": len(items), "first": items[0] if items else None}
    return result


async def step(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass in 5-minute steps, firing timers as they come due."""
    end = dt_util.utcnow() + delta
    while dt_util.utcnow() < end:
        freezer.move_to(min(dt_util.utcnow() + timedelta(minutes=5), end))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    set_up: SetUp,  # noqa: F811
) -> None:
    """Every entity of the reference account (plus a 2-rate tariff) on 26 Oct."""
    freezer.move_to(utc(2026, 10, 26, 9))
    entry = await set_up([AGILE, FIXED_EXPORT, GAS])
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert len(entries) == 2 + 2 + 3 + 3
    for registry_entry in sorted(entries, key=lambda e: e.entity_id):
        fields = {name: getattr(registry_entry, name) for name in REGISTRY_FIELDS}
        assert plain(fields) == snapshot(name=f"{registry_entry.entity_id}-entry")
        state = hass.states.get(registry_entry.entity_id)
        if registry_entry.disabled_by is not None:
            assert state is None
            continue
        assert state is not None
        assert {
            "state": state.state,
            "attributes": _snapshot_attributes(dict(state.attributes)),
        } == snapshot(name=f"{registry_entry.entity_id}-state")


async def test_tier_variants_disabled_by_default(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    set_up: SetUp,  # noqa: F811
) -> None:
    """A 2-rate tariff gets off-peak and peak variants, disabled by default."""
    freezer.move_to(utc(2026, 11, 23, 9))
    await set_up([TWO_RATE])
    for kind in ("consumption", "cost"):
        for tier in ("off_peak", "peak"):
            entity_id = f"{E}_previous_accumulative_{kind}_{tier}"
            registry_entry = entity_registry.async_get(entity_id)
            assert registry_entry is not None
            assert registry_entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert (
            entity_registry.async_get(f"{E}_previous_accumulative_{kind}_standard")
            is None
        )


@pytest.mark.usefixtures("enabled_by_default")
async def test_tier_values_add_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """Tier consumption adds up to the total; tier costs exclude the standing charge."""
    freezer.move_to(utc(2026, 11, 23, 9))
    await set_up([TWO_RATE])
    total = float(hass.states.get(f"{E}_previous_accumulative_consumption").state)  # type: ignore[union-attr]
    parts = [
        float(hass.states.get(f"{E}_previous_accumulative_consumption_{tier}").state)  # type: ignore[union-attr]
        for tier in ("off_peak", "peak")
    ]
    assert sum(parts) == pytest.approx(total, abs=1e-3)
    cost = hass.states.get(f"{E}_previous_accumulative_cost")
    assert cost is not None
    tier_costs = [
        float(hass.states.get(f"{E}_previous_accumulative_cost_{tier}").state)  # type: ignore[union-attr]
        for tier in ("off_peak", "peak")
    ]
    assert sum(tier_costs) == pytest.approx(
        cost.attributes["total_without_standing_charge"], abs=1e-3
    )


async def test_semantics_and_small_recorded_attributes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """TOTAL with last_reset at the day's start; `charges` never recorded."""
    freezer.move_to(utc(2026, 3, 30, 9))
    await set_up([AGILE, GAS])
    state = hass.states.get(f"{E}_previous_accumulative_consumption")
    assert state is not None
    assert state.attributes["state_class"] == "total"
    assert state.attributes["last_reset"] == "2026-03-29T00:00:00+00:00"
    assert len(state.attributes["charges"]) == 46
    for state in hass.states.async_all():
        unrecorded = (state.state_info or {}).get("unrecorded_attributes", frozenset())
        recorded = {k: v for k, v in state.attributes.items() if k not in unrecorded}
        assert len(json.dumps(recorded, cls=JSONEncoder)) < 2048, state.entity_id
    m3 = hass.states.get(f"{G}_previous_accumulative_consumption_m3")
    kwh = hass.states.get(f"{G}_previous_accumulative_consumption_kwh")
    assert m3 is not None
    assert kwh is not None
    assert m3.attributes["is_estimated"] is False
    assert kwh.attributes["is_estimated"] is True
    assert m3.attributes["unit_of_measurement"] == "m³"


@pytest.mark.usefixtures("enabled_by_default")
async def test_event_entity_follows_new_days(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """The event entity shows its meter's published day and triggers on a new one."""
    freezer.move_to(utc(2026, 11, 22, 9))
    await set_up([AGILE, FIXED_EXPORT])
    events = "event.octopus_energy_electricity_22l0000001"
    entity_id = f"{events}_1200000000001_previous_consumption_rates"
    export_id = f"{events}_1200000000002_export_previous_consumption_rates"
    first = hass.states.get(entity_id)
    assert first is not None
    assert first.state != "unknown"  # a new entity shows the day it has

    await step(hass, freezer, timedelta(hours=15, minutes=10))
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state != first.state
    assert state.attributes["event_type"] == (
        "octopus_energy_electricity_previous_consumption_rates"
    )
    assert state.attributes["mpan"] == "1200000000001"
    assert len(state.attributes["rates"]) == 48
    export = hass.states.get(export_id)
    assert export is not None
    assert export.attributes["mpan"] == "1200000000002"


async def test_unavailable_then_recovered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    set_up: SetUp,  # noqa: F811
) -> None:
    """A failing retrieval makes the sensors unavailable until the next success."""
    freezer.move_to(utc(2026, 11, 22, 9))
    await set_up([AGILE])
    octopus_sim.sim.faults.add(Fault(kind="server_error", operation="octopus"))
    await step(hass, freezer, timedelta(hours=15, minutes=10))
    assert hass.states.get(f"{E}_previous_accumulative_consumption").state == (  # type: ignore[union-attr]
        STATE_UNAVAILABLE
    )
    octopus_sim.sim.faults.clear()
    await step(hass, freezer, timedelta(minutes=30))
    state = hass.states.get(f"{E}_previous_accumulative_consumption")
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    assert state.attributes["last_reset"] == "2026-11-22T00:00:00+00:00"


def test_tiers_from_the_rates_coordinator() -> None:
    """Tier entities follow the rates coordinator's days when no day is stored."""
    start, _ = uk_day_bounds(date(2026, 11, 22))
    cheap_until = start + timedelta(hours=7)
    rates = MeterRates(
        tariff_code=AGILE.tariff_code,
        slots=tuple(
            make_slots(
                start,
                start + timedelta(days=1),
                lambda s: 0.07 if s < cheap_until else 0.3,
            )
        ),
        standing_charge=None,
        standing_charge_day=None,
    )
    coordinator = SimpleNamespace(data=None, meter=AGILE)
    holder = SimpleNamespace(data=rates)
    assert _tiers(coordinator, holder) == ["off_peak", "peak"]  # type: ignore[arg-type]
