"""Heat-pump commands: climate, water heater and the four actions.

Each command is checked first (translated `ServiceValidationError`), sent once,
shown at once and confirmed (or reverted) by one refresh `CONFIRM_DELAY` later;
a refusal of Octopus is a translated `HomeAssistantError`.
"""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import (  # type: ignore[attr-defined,unused-ignore]
    ATTR_PRESET_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.water_heater import (  # type: ignore[attr-defined,unused-ignore]
    ATTR_OPERATION_MODE,
    SERVICE_SET_OPERATION_MODE,
)
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

import custom_components.octopus_energy
from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.heat_pump.coordinator import (
    CONFIRM_DELAY,
)
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .heat_pump_helpers import (
    CLIMATE,
    NOW,
    WATER_HEATER,
    H,
    heat_pump_state,
    polls,
    set_up,
    sim_zone,
    tick,
)

BOOST_ZONE = "boost_heat_pump_zone"
BOOST_WATER = "boost_water_heater"
FLOW = "set_heat_pump_flow_temp_config"
HUSH = "set_heat_pump_hush_mode"
CONFIRM = CONFIRM_DELAY + timedelta(seconds=1)
GOOD_FLOW = {
    "weather_comp_enabled": True,
    "weather_comp_min_temperature": 32.5,
    "weather_comp_max_temperature": 50,
    "fixed_flow_temperature": 42,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the integration depends on it)."""


@pytest.fixture
async def entry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> MockConfigEntry:
    """The reference account with its heat pump, set up."""
    return await set_up(hass, freezer)


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None
    return state


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize(
    ("hvac_mode", "octopus", "setpoint"),
    [("heat", "ON", 20.0), ("off", "OFF", 20.0), ("auto", "AUTO", 20.0)],
)
async def test_hvac_mode(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    hvac_mode: str,
    octopus: str,
    setpoint: float,
) -> None:
    """Shown at once, applied on the pump, confirmed by one refresh."""
    before = polls(octopus_sim)
    await _call(hass, "climate", SERVICE_SET_HVAC_MODE, CLIMATE, hvac_mode=hvac_mode)
    assert _state(hass, CLIMATE).state == hvac_mode
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == octopus
    assert sim_zone(octopus_sim, "ZONE_1")["setpoint"] == setpoint
    assert polls(octopus_sim) == before
    await tick(hass, freezer, CONFIRM)
    assert polls(octopus_sim) == before + 1
    assert _state(hass, CLIMATE).state == hvac_mode
    if hvac_mode == "off":
        assert _state(hass, CLIMATE).attributes["hvac_action"] == "off"


@pytest.mark.usefixtures("entry")
async def test_turn_off_and_on(hass: HomeAssistant, octopus_sim: OctopusSim) -> None:
    """Off is OFF; on returns to the schedule (AUTO)."""
    await _call(hass, "climate", "turn_off", CLIMATE)
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "OFF"
    assert _state(hass, CLIMATE).state == "off"
    await _call(hass, "climate", "turn_on", CLIMATE)
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "AUTO"
    assert _state(hass, CLIMATE).state == "auto"


@pytest.mark.usefixtures("entry")
async def test_set_temperature(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """A new target keeps the mode; outside 7-30 °C is refused before sending."""
    await _call(hass, "climate", SERVICE_SET_TEMPERATURE, CLIMATE, temperature=21.5)
    assert _state(hass, CLIMATE).attributes[ATTR_TEMPERATURE] == 21.5
    assert sim_zone(octopus_sim, "ZONE_1")["setpoint"] == 21.5
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "AUTO"
    await _call(
        hass,
        "climate",
        SERVICE_SET_TEMPERATURE,
        CLIMATE,
        temperature=19,
        hvac_mode="heat",
    )
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "ON"
    assert sim_zone(octopus_sim, "ZONE_1")["setpoint"] == 19
    with pytest.raises(ServiceValidationError):
        await _call(hass, "climate", SERVICE_SET_TEMPERATURE, CLIMATE, temperature=31)
    assert sim_zone(octopus_sim, "ZONE_1")["setpoint"] == 19
    await tick(hass, freezer, CONFIRM)
    assert _state(hass, CLIMATE).attributes[ATTR_TEMPERATURE] == 19


@pytest.mark.usefixtures("entry")
async def test_revert_when_not_applied(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Accepted but not applied by the controller: the refresh reverts it."""
    await _call(hass, "climate", SERVICE_SET_HVAC_MODE, CLIMATE, hvac_mode="off")
    assert _state(hass, CLIMATE).state == "off"
    sim_zone(octopus_sim, "ZONE_1")["mode"] = "AUTO"  # the controller ignored it
    await tick(hass, freezer, CONFIRM)
    assert _state(hass, CLIMATE).state == "auto"


@pytest.mark.usefixtures("entry")
async def test_refused(hass: HomeAssistant, octopus_sim: OctopusSim) -> None:
    """Octopus refuses: a translated error with the reason; nothing shown."""
    octopus_sim.sim.faults.add(
        Fault("server_error", operation="octopus.graphql.HeatPumpSetZoneMode")
    )
    with pytest.raises(HomeAssistantError) as raised:
        await _call(hass, "climate", SERVICE_SET_HVAC_MODE, CLIMATE, hvac_mode="off")
    assert raised.value.translation_key == "heat_pump_command_failed"
    assert "set_heat_pump_zone_mode" in str(raised.value.translation_placeholders)
    assert _state(hass, CLIMATE).state == "auto"


@pytest.mark.usefixtures("entry")
async def test_boost_preset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """The boost preset boosts an hour at the target; none returns to auto."""
    await _call(hass, "climate", SERVICE_SET_PRESET_MODE, CLIMATE, preset_mode="boost")
    zone = sim_zone(octopus_sim, "ZONE_1")
    assert zone["mode"] == "BOOST"
    assert zone["setpoint"] == 20.0
    assert (
        zone["boost_end"]
        == (NOW + timedelta(hours=1)).replace(microsecond=0).isoformat()
    )
    state = _state(hass, CLIMATE)
    assert state.state == "auto"
    assert state.attributes[ATTR_PRESET_MODE] == "boost"
    assert state.attributes["boost_end"] is not None
    await tick(hass, freezer, CONFIRM)
    assert _state(hass, CLIMATE).attributes[ATTR_PRESET_MODE] == "boost"
    # a new target during a boost keeps the boost and its end
    await _call(hass, "climate", SERVICE_SET_TEMPERATURE, CLIMATE, temperature=22)
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "BOOST"
    await _call(hass, "climate", SERVICE_SET_PRESET_MODE, CLIMATE, preset_mode="none")
    assert sim_zone(octopus_sim, "ZONE_1")["mode"] == "AUTO"
    assert _state(hass, CLIMATE).attributes[ATTR_PRESET_MODE] == "none"
    # none while not boosting sends nothing
    before = octopus_sim.sim.faults.counts["octopus.graphql.HeatPumpSetZoneMode"]
    await _call(hass, "climate", SERVICE_SET_PRESET_MODE, CLIMATE, preset_mode="none")
    assert (
        octopus_sim.sim.faults.counts["octopus.graphql.HeatPumpSetZoneMode"] == before
    )


@pytest.mark.usefixtures("entry")
async def test_boost_zone_action(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """boost_heat_pump_zone: duration and target; ends by itself."""
    await _call(
        hass, DOMAIN, BOOST_ZONE, CLIMATE, hours=2, minutes=30, target_temperature=24
    )
    zone = sim_zone(octopus_sim, "ZONE_1")
    assert zone["mode"] == "BOOST"
    assert zone["setpoint"] == 24
    assert _state(hass, CLIMATE).attributes[ATTR_PRESET_MODE] == "boost"
    for _ in range(51):  # 2 h 33 min of polls
        await tick(hass, freezer, timedelta(minutes=3, seconds=1))
    assert _state(hass, CLIMATE).attributes[ATTR_PRESET_MODE] == "none"


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"hours": 0, "minutes": 0}, "invalid_boost_duration"),
        ({"hours": 12, "minutes": 15}, "invalid_boost_duration"),
        ({"hours": -1, "minutes": 90}, "invalid_boost_duration"),
        (
            {"hours": 1, "minutes": 0, "target_temperature": 35},
            "invalid_target_temperature",
        ),
        (
            {"hours": 1, "minutes": 0, "target_temperature": 5},
            "invalid_target_temperature",
        ),
    ],
)
async def test_boost_zone_bad_input(
    hass: HomeAssistant, octopus_sim: OctopusSim, data: dict[str, Any], key: str
) -> None:
    """Nothing is sent; the error names the allowed values."""
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, DOMAIN, BOOST_ZONE, CLIMATE, **data)
    assert raised.value.translation_key == key
    assert octopus_sim.sim.faults.counts["octopus.graphql.HeatPumpSetZoneMode"] == 0


@pytest.mark.usefixtures("entry")
async def test_boost_zone_not_a_climate_of_ours(hass: HomeAssistant) -> None:
    """A target that is not a heat-pump zone is refused by name."""
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, DOMAIN, BOOST_ZONE, "climate.other", hours=1, minutes=0)
    assert raised.value.translation_key == "entity_not_supported"


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize(
    ("operation", "octopus"),
    [
        ("electric", "ON"),
        ("off", "OFF"),
        ("heat_pump", "AUTO"),
        ("high_demand", "BOOST"),
    ],
)
async def test_water_operation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    operation: str,
    octopus: str,
) -> None:
    """The four operations map to ON/OFF/AUTO/BOOST (boost: an hour)."""
    await _call(
        hass,
        "water_heater",
        SERVICE_SET_OPERATION_MODE,
        WATER_HEATER,
        **{ATTR_OPERATION_MODE: operation},
    )
    assert sim_zone(octopus_sim, "WATER")["mode"] == octopus
    assert _state(hass, WATER_HEATER).state == operation
    await tick(hass, freezer, CONFIRM)
    assert _state(hass, WATER_HEATER).state == operation


@pytest.mark.usefixtures("entry")
async def test_water_temperature_and_boost(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """Target inside the pump's water range (40-60 °C); boost_water_heater."""
    await _call(hass, "water_heater", "set_temperature", WATER_HEATER, temperature=55)
    assert sim_zone(octopus_sim, "WATER")["setpoint"] == 55
    assert _state(hass, WATER_HEATER).attributes[ATTR_TEMPERATURE] == 55
    await _call(hass, DOMAIN, BOOST_WATER, WATER_HEATER, hours=0, minutes=45)
    zone = sim_zone(octopus_sim, "WATER")
    assert zone["mode"] == "BOOST"
    assert zone["setpoint"] == 55
    assert _state(hass, WATER_HEATER).state == "high_demand"
    with pytest.raises(ServiceValidationError) as raised:
        await _call(
            hass,
            DOMAIN,
            BOOST_WATER,
            WATER_HEATER,
            hours=1,
            minutes=0,
            target_temperature=65,
        )
    assert raised.value.translation_key == "invalid_target_temperature"
    assert raised.value.translation_placeholders == {
        "temperature": "65",
        "minimum": "40",
        "maximum": "60",
    }


@pytest.mark.usefixtures("entry")
async def test_flow_configuration(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, octopus_sim: OctopusSim
) -> None:
    """Sent with every value; the sensors show the new configuration at once."""
    await _call(
        hass, DOMAIN, FLOW, CLIMATE, **{**GOOD_FLOW, "weather_comp_enabled": False}
    )
    flow = heat_pump_state(octopus_sim)["flow"]
    assert flow["weather_compensation"] is False
    assert flow["flow_temperature"] == 42
    weather = f"binary_sensor.{H}_weather_compensation_enabled"
    assert _state(hass, weather).state == "off"
    assert _state(hass, f"sensor.{H}_fixed_target_flow_temperature").state == "42.0"
    await tick(hass, freezer, CONFIRM)
    assert _state(hass, weather).state == "off"
    await _call(hass, DOMAIN, FLOW, CLIMATE, **GOOD_FLOW)
    assert flow["wc_range"] == [32.5, 50]
    assert _state(hass, weather).state == "on"
    minimum = f"sensor.{H}_weather_compensation_minimum_temperature"
    assert _state(hass, minimum).state == "32.5"


@pytest.mark.usefixtures("entry")
@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"fixed_flow_temperature": 42.25}, "invalid_flow_temperature"),
        ({"fixed_flow_temperature": 75}, "invalid_flow_temperature"),
        ({"weather_comp_min_temperature": 29.5}, "invalid_flow_temperature"),
        ({"weather_comp_min_temperature": 50}, "invalid_weather_compensation_range"),
    ],
)
async def test_flow_configuration_bad_input(
    hass: HomeAssistant, octopus_sim: OctopusSim, overrides: dict[str, Any], key: str
) -> None:
    """30-70 °C in 0.5 steps, minimum below maximum; nothing sent."""
    with pytest.raises(ServiceValidationError) as raised:
        await _call(hass, DOMAIN, FLOW, CLIMATE, **{**GOOD_FLOW, **overrides})
    assert raised.value.translation_key == key
    operation = "octopus.graphql.HeatPumpUpdateFlowTemperatureConfiguration"
    assert octopus_sim.sim.faults.counts[operation] == 0


@pytest.mark.usefixtures("entry")
async def test_flow_configuration_refused(
    hass: HomeAssistant, octopus_sim: OctopusSim
) -> None:
    """A range the pump does not allow: Octopus's refusal, nothing shown."""
    with pytest.raises(HomeAssistantError) as raised:
        await _call(
            hass,
            DOMAIN,
            FLOW,
            CLIMATE,
            **{**GOOD_FLOW, "weather_comp_min_temperature": 46},
        )
    assert raised.value.translation_key == "heat_pump_command_failed"
    assert "OE-0315" in raised.value.translation_placeholders["error"]
    minimum = f"sensor.{H}_weather_compensation_minimum_temperature"
    assert _state(hass, minimum).state == "30.0"


@pytest.mark.usefixtures("entry")
async def test_hush_mode(hass: HomeAssistant, octopus_sim: OctopusSim) -> None:
    """On and off on the pump; a refusal is an error."""
    await _call(hass, DOMAIN, HUSH, CLIMATE, is_enabled=True)
    assert heat_pump_state(octopus_sim)["hush_mode"] is True
    await _call(hass, DOMAIN, HUSH, CLIMATE, is_enabled=False)
    assert heat_pump_state(octopus_sim)["hush_mode"] is False
    octopus_sim.sim.faults.add(
        Fault("server_error", operation="octopus.graphql.HeatPumpSetHushMode")
    )
    with pytest.raises(HomeAssistantError):
        await _call(hass, DOMAIN, HUSH, CLIMATE, is_enabled=True)


def test_descriptions() -> None:
    """The four actions are described (services.yaml and translations).

    Read from the files: HA 2026's description loader also validates the core
    climate and water-heater descriptions, which imports every base component and
    so needs their requirements (conversation, camera, ...).
    """
    folder = Path(custom_components.octopus_energy.__file__).parent
    descriptions = yaml.safe_load((folder / "services.yaml").read_text())
    names = json.loads((folder / "translations" / "en.json").read_text())["services"]
    for name in (BOOST_ZONE, BOOST_WATER, FLOW, HUSH):
        assert descriptions[name]["fields"], name
        assert names[name]["name"], name
        assert set(names[name]["fields"]) == set(descriptions[name]["fields"]), name
    assert set(descriptions[BOOST_WATER]["fields"]) == {
        "hours",
        "minutes",
        "target_temperature",
    }
