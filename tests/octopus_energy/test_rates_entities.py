"""Rate sensors, off-peak binary sensors and day-rate events (snapshots, behaviour).

The rate platforms are set up on their own: the entry gets runtime data with rates
coordinators against the simulator, and each platform module is replaced by one that
adds only the rate builders' entities, so these tests depend only on the rate modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.json import JSONEncoder
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockEntityPlatform,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_energy.api import OctopusEnergyClient
from custom_components.octopus_energy.features.rates.coordinator import (
    RatesCoordinator,
)
from custom_components.octopus_energy.features.rates.entities import (
    rate_entities,
)
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter

from .builders import rates_coordinators
from .conftest import ACCOUNT, API_KEY, OctopusSim
from .rates_helpers import (
    AGILE,
    FIXED_EXPORT,
    GAS,
    REGISTRY_FIELDS,
    make_meter,
    plain,
    utc,
)

BUILDERS: dict[Platform, Callable[[Any], list[Entity]]] = {
    platform: (
        lambda entry, platform=platform: [
            e for c in entry.runtime_data.values() for e in rate_entities(c, platform)
        ]
    )
    for platform in (Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT)
}
ECONOMY_7 = make_meter(
    product="VAR-22-11-01", tariff="E-2R-VAR-22-11-01-C", smart=False
)

type SetUp = Callable[[list[ActiveMeter], list[Platform]], Awaitable[MockConfigEntry]]


async def _add_platform(
    hass: HomeAssistant, entry: MockConfigEntry, platform: Platform
) -> None:
    """Add the rate builders' entities of one platform, as the platform module does."""
    entity_platform = MockEntityPlatform(
        hass, domain=platform.value, platform_name="octopus_energy"
    )
    entity_platform.config_entry = entry
    # HA 2025.4: EntityPlatform.async_load_translations; later: on its platform_data
    platform_data = getattr(entity_platform, "platform_data", entity_platform)
    await platform_data.async_load_translations()
    await entity_platform.async_add_entities(BUILDERS[platform](entry))


@pytest.fixture
async def set_up(hass: HomeAssistant, octopus_sim: OctopusSim) -> AsyncIterator[SetUp]:
    """Set up rate platforms for some meters of the reference account."""
    await hass.config.async_set_time_zone("Europe/London")
    made: list[RatesCoordinator] = []

    async def _set_up(
        meters: list[ActiveMeter], platforms: list[Platform]
    ) -> MockConfigEntry:
        entry = MockConfigEntry(domain="octopus_energy", version=9, title=ACCOUNT)
        entry.add_to_hass(hass)
        entry.mock_state(hass, ConfigEntryState.SETUP_IN_PROGRESS)
        client = OctopusEnergyClient(
            api_key=API_KEY,
            session=async_get_clientsession(hass),
            base_url=str(octopus_sim.server.make_url("/octopus")),
        )
        settings = AccountSettings()
        rates = rates_coordinators(hass, entry, client, meters, settings)  # type: ignore[arg-type]
        made.extend(rates.values())
        for coordinator in rates.values():
            await coordinator.async_config_entry_first_refresh()
        entry.runtime_data = rates
        entry.mock_state(hass, ConfigEntryState.LOADED)
        for platform in platforms:
            await _add_platform(hass, entry, platform)
        await hass.async_block_till_done()
        return entry

    yield _set_up
    for coordinator in made:
        await coordinator.async_shutdown()


def _snapshot_state(attributes: dict[str, Any]) -> dict[str, Any]:
    """Plain attributes; rate lists summarised (length and first item)."""
    result = plain(attributes)
    if isinstance(rates := result.get("rates"), list):
        result["rates"] = {"count": len(rates), "first": rates[0] if rates else None}
    return result


@pytest.mark.parametrize(
    "platform", [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT]
)
async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    set_up: SetUp,
    platform: Platform,
) -> None:
    """Every rate entity of the reference account on the autumn clock-change day."""
    freezer.move_to(utc(2026, 10, 25, 17, 10))
    entry = await set_up([AGILE, FIXED_EXPORT, GAS], [platform])
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert entries
    for registry_entry in sorted(entries, key=lambda e: e.entity_id):
        fields = {name: getattr(registry_entry, name) for name in REGISTRY_FIELDS}
        assert plain(fields) == snapshot(name=f"{registry_entry.entity_id}-entry")
        state = hass.states.get(registry_entry.entity_id)
        assert state is not None
        assert {
            "state": state.state,
            "attributes": _snapshot_state(dict(state.attributes)),
        } == snapshot(name=f"{registry_entry.entity_id}-state")


async def test_recorded_attributes_are_small(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,
) -> None:
    """No recorded attribute payload over 2 KB: rate lists are not recorded."""
    freezer.move_to(utc(2026, 10, 25, 17, 10))
    await set_up(
        [AGILE, FIXED_EXPORT, GAS],
        [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.EVENT],
    )
    states = hass.states.async_all()
    assert len(states) == 3 * 4 + 2 + 3 * 3
    for state in states:
        unrecorded = (state.state_info or {}).get("unrecorded_attributes", frozenset())
        recorded = {k: v for k, v in state.attributes.items() if k not in unrecorded}
        assert len(json.dumps(recorded, cls=JSONEncoder)) < 2048, state.entity_id


async def test_rates_follow_the_clock(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,
) -> None:
    """Agile: the current rate changes on the half hour; events follow new days."""
    freezer.move_to(utc(2026, 11, 23, 15, 50))
    await set_up([AGILE], [Platform.SENSOR, Platform.EVENT])
    current = "sensor.octopus_energy_electricity_22l0000001_1200000000001_current_rate"
    following = "sensor.octopus_energy_electricity_22l0000001_1200000000001_next_rate"
    next_day = (
        "event.octopus_energy_electricity_22l0000001_1200000000001_next_day_rates"
    )
    before = hass.states.get(current)
    assert before is not None
    assert before.attributes["start"] == dt_util.as_local(utc(2026, 11, 23, 15, 30))
    assert hass.states.get(next_day).attributes["rates"] == []  # type: ignore[union-attr]
    next_value = hass.states.get(following).state  # type: ignore[union-attr]
    freezer.move_to(utc(2026, 11, 23, 16))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    after = hass.states.get(current)
    assert after is not None
    assert after.state == next_value
    assert after.attributes["start"] == dt_util.as_local(utc(2026, 11, 23, 16))
    event = hass.states.get(next_day)
    assert event is not None
    assert len(event.attributes["rates"]) == 46  # published up to 23:00 UK
    assert event.attributes["event_type"] == "octopus_energy_electricity_next_day_rates"


async def test_off_peak_economy_7_spring_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,
) -> None:
    """Economy 7 (non-smart: 00:00-07:00 UK) on the 46-half-hour day."""
    freezer.move_to(utc(2026, 3, 29, 5, 50))  # 06:50 BST
    await set_up([ECONOMY_7], [Platform.BINARY_SENSOR])
    entity_id = (
        "binary_sensor.octopus_energy_electricity_22l0000001_1200000000001_off_peak"
    )
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "on"
    assert state.attributes["current_start"] == dt_util.as_local(utc(2026, 3, 29))
    assert state.attributes["current_end"] == dt_util.as_local(utc(2026, 3, 29, 6))
    assert state.attributes["next_start"] == dt_util.as_local(utc(2026, 3, 29, 23))
    assert state.attributes["next_end"] == dt_util.as_local(utc(2026, 3, 30, 6))
    freezer.move_to(utc(2026, 3, 29, 6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "off"
    assert state.attributes["current_start"] is None


async def test_event_entities_ignore_the_bus(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,
) -> None:
    """Event entities are fed by their coordinator, not by anyone's bus events."""
    freezer.move_to(utc(2026, 11, 23, 12))
    await set_up([AGILE], [Platform.EVENT])
    entity_id = (
        "event.octopus_energy_electricity_22l0000001_1200000000001_current_day_rates"
    )
    before = hass.states.get(entity_id)
    assert before is not None
    for mpan in ("other", AGILE.mpxn):
        freezer.tick(timedelta(seconds=1))
        hass.bus.async_fire(
            "octopus_energy_electricity_current_day_rates",
            {"mpan": mpan, "serial_number": AGILE.serial_number, "rates": []},
        )
        await hass.async_block_till_done()
        assert hass.states.get(entity_id) == before


async def test_price_cap_attribute(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,
) -> None:
    """The configured cap (pence) is shown on the current rate."""
    freezer.move_to(utc(2026, 11, 23, 12))
    entry = await set_up([GAS], [])
    coordinator = entry.runtime_data[GAS.key]
    coordinator.settings = AccountSettings(gas_price_cap=5.0)
    await _add_platform(hass, entry, Platform.SENSOR)
    state = hass.states.get(
        "sensor.octopus_energy_gas_g4a0000001_3000000001_current_rate"
    )
    assert state is not None
    assert state.attributes["price_cap"] == 5.0
    assert "current_day_min_rate" in state.attributes
