"""OSO Energy end to end: a real `hass` process, the real config flow, the simulator.

Home Assistant is driven only through its REST and websocket APIs, as a user's browser
would; the simulator's control API is the ground truth.
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any

import pytest

from scripts.ha_client import HAError, HomeAssistantClient

from .conftest import HomeAssistantProcess, SimulatorProcess

S200 = "sim-oso-s200"
S300 = "sim-oso-s300"
WAIT = 20.0
OUTAGE_WAIT = 35.0
UNAVAILABLE = "unavailable"

pytestmark = pytest.mark.timeout(240)


def wait_for[T](what: str, probe: Callable[[], T | None], timeout: float = WAIT) -> T:
    """Poll `probe` until it returns something other than None (or fail)."""
    deadline = time.monotonic() + timeout
    while (value := probe()) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)
    return value


class Heater:
    """The entity ids of one simulated heater in Home Assistant."""

    def __init__(self, client: HomeAssistantClient, device_id: str) -> None:
        """Look the entities up by unique id (as HA core names them)."""
        self.client = client
        self.device_id = device_id
        self.ids = wait_for("the OSO entities", lambda: self._ids() or None)

    def _ids(self) -> dict[tuple[str, str], str]:
        return {
            key: entity_id
            for key, entity_id in self.client.entity_ids("osoenergy").items()
            if key[1].startswith(self.device_id)
        }

    def entity(self, domain: str, key: str | None = None) -> str:
        """The entity id of `<deviceId>_<key>` (or the bare device id)."""
        unique_id = self.device_id if key is None else f"{self.device_id}_{key}"
        return self.ids[domain, unique_id]

    @property
    def water_heater(self) -> str:
        """The water heater entity."""
        return self.entity("water_heater")

    def state(self, domain: str, key: str | None = None) -> dict[str, Any]:
        """The current state object of one entity."""
        entity_id = self.entity(domain, key)
        return wait_for(entity_id, lambda: self.client.state(entity_id))

    def wait_state(
        self, domain: str, key: str | None, check: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        """Wait until one entity's state passes `check`."""
        entity_id = self.entity(domain, key)

        def probe() -> dict[str, Any] | None:
            state = self.client.state(entity_id)
            return state if state is not None and check(state) else None

        return wait_for(f"{entity_id} to change", probe)

    def refresh(self) -> None:
        """Ask Home Assistant to poll the cloud now (homeassistant.update_entity)."""
        self.client.call_service(
            "homeassistant", "update_entity", {"entity_id": self.water_heater}
        )


@pytest.fixture
def s200(home_assistant: HomeAssistantProcess) -> Heater:
    """The S200 heater's entities."""
    return Heater(home_assistant.client, S200)


def _number(state: dict[str, Any]) -> float:
    return float(state["state"])


def test_config_flow_creates_the_account_and_its_heaters(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, s200: Heater
) -> None:
    entries = home_assistant.client.config_entries("osoenergy")
    assert [(e["title"], e["state"]) for e in entries] == [
        ("demo@example.com", "loaded")
    ]
    device = simulator.oso_device(S200)
    heater = s200.state("water_heater")
    assert heater["state"] == "eco"  # auto mode under OSO's own optimisation
    control = device["control"]
    assert heater["attributes"]["current_temperature"] == control["currentTemperature"]
    assert heater["attributes"]["temperature"] == control["targetTemperature"]
    assert _number(s200.state("sensor", "tapping_capacity")) == pytest.approx(
        device["data"]["tappingCapacitykWh"]
    )
    assert _number(s200.state("sensor", "power_load")) == 0.0
    assert s200.state("sensor", "heater_mode")["state"] == "auto"
    assert s200.state("sensor", "optimization_mode")["state"] == "oso"
    assert s200.state("binary_sensor", "connectivity")["state"] == "on"
    assert _number(s200.state("number", "v40_min")) == device["v40Min"]
    assert control["currentTemperatureOne"] is None
    assert s200.state("sensor", "temperature_one")["state"] in {"unknown", UNAVAILABLE}
    s300 = Heater(home_assistant.client, S300)
    assert s300.state("water_heater")["state"] == "electric"
    assert _number(s300.state("sensor", "temperature_one")) == 12.5


def test_actions_change_the_simulated_heater(
    simulator: SimulatorProcess, s200: Heater
) -> None:
    client = s200.client
    target = {"entity_id": s200.water_heater}
    before = simulator.oso_state(S200)["device"]["profile"]
    client.call_service("osoenergy", "set_profile", {**target, "hour_00": 45})
    assert simulator.oso_state(S200)["device"]["profile"] == [45, *before[1:]]
    client.call_service("osoenergy", "set_v40_min", {**target, "v40_min": 300})
    assert simulator.oso_state(S200)["device"]["v40Min"] == 300
    client.call_service("water_heater", "set_away_mode", {**target, "away_mode": True})
    assert simulator.oso_device(S200)["isInPowerSave"] is True
    s200.wait_state(
        "water_heater", None, lambda s: s["attributes"]["away_mode"] == "on"
    )
    button = s200.entity("button", "heat_one_hour")
    client.call_service("button", "press", {"entity_id": button})
    override = simulator.oso_state(S200)["override"]
    assert (override["kind"], override["fullUtilization"]) == ("boost", False)
    s200.wait_state("binary_sensor", "extra_energy", lambda s: s["state"] == "on")


def test_get_profile_returns_the_simulated_schedule(
    simulator: SimulatorProcess, s200: Heater
) -> None:
    answer = s200.client.call_service(
        "osoenergy",
        "get_profile",
        {"entity_id": s200.water_heater},
        return_response=True,
    )
    response = answer["service_response"][s200.water_heater]
    assert response["profile_utc"] == simulator.oso_device(S200)["profile"]
    assert response["profile"] == response["profile_utc"]  # the instance runs in UTC


def test_bad_input_is_refused_and_nothing_is_sent(
    simulator: SimulatorProcess, s200: Heater
) -> None:
    simulator.control("DELETE", "/_sim/requests")
    with pytest.raises(HAError) as raised:
        s200.client.ws(
            {
                "type": "call_service",
                "domain": "osoenergy",
                "service": "set_v40_min",
                "target": {"entity_id": s200.water_heater},
                "service_data": {"v40_min": 9999},
            }
        )
    assert raised.value.detail["code"] == "service_validation_error"
    assert raised.value.detail["translation_key"] == "v40_out_of_range"
    counts = simulator.control("GET", "/_sim/requests")["counts"]
    assert "oso.v40_min" not in counts


def test_restart_keeps_the_entry_entities_and_energy(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, s200: Heater
) -> None:
    client = s200.client
    client.call_service(
        "button", "press", {"entity_id": s200.entity("button", "heat_one_hour")}
    )
    s200.wait_state("sensor", "power_load", lambda s: s["state"] == "3.0")
    for _ in range(3):
        time.sleep(1.5)
        s200.refresh()
    energy = s200.wait_state("sensor", "energy_consumed", lambda s: _number(s) > 0)
    before = dict(s200.ids)

    home_assistant.restart()

    assert [e["state"] for e in client.config_entries("osoenergy")] == ["loaded"]
    assert Heater(client, S200).ids == before
    restored = s200.wait_state(
        "sensor", "energy_consumed", lambda s: s["state"] != UNAVAILABLE
    )
    assert _number(restored) >= _number(energy)


def test_outage_keeps_the_last_values_marked_stale(
    simulator: SimulatorProcess, s200: Heater
) -> None:
    before = s200.state("sensor", "tapping_capacity")["state"]
    simulator.control(
        "POST", "/_sim/faults", {"kind": "server_error", "operation": "oso"}
    )
    s200.refresh()
    for domain, key in (("water_heater", None), ("sensor", "tapping_capacity")):
        stale = s200.wait_state(
            domain, key, lambda s: s["attributes"].get("stale") is True
        )
        assert stale["state"] != UNAVAILABLE
    assert s200.state("sensor", "tapping_capacity")["state"] == before

    simulator.control("DELETE", "/_sim/faults")
    s200.refresh()
    for domain, key in (("water_heater", None), ("sensor", "tapping_capacity")):
        s200.wait_state(domain, key, lambda s: "stale" not in s["attributes"])
