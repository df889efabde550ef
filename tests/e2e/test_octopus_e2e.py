"""Octopus Energy end to end: a real `hass` process, the real flows, the simulator.

Home Assistant is driven only through its REST and websocket APIs, as a user's browser
would; the simulator (reference account A-AAAA1111) is the ground truth.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from scripts.ha_client import HAError, HomeAssistantClient

from .conftest import HomeAssistantProcess, SimulatorProcess

DOMAIN = "octopus_energy"
ACCOUNT = "A-AAAA1111"
API_KEY = "sk_live_simulatorAAAA1111"
IMPORT = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
EXPORT = "sensor.octopus_energy_electricity_22l0000001_1200000000002_export"
GAS = "sensor.octopus_energy_gas_g4a0000001_3000000001"
HEALTH = "sensor.octopus_energy_a_aaaa1111_api_health"
PREVIOUS = f"{IMPORT}_previous_accumulative_consumption"
DEMAND = f"{IMPORT}_current_demand"
WAIT = 30.0
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


def wait_state(
    client: HomeAssistantClient,
    entity_id: str,
    check: Callable[[dict[str, Any]], bool],
    timeout: float = WAIT,
) -> dict[str, Any]:
    """Wait until one entity's state exists and passes `check`."""

    def probe() -> dict[str, Any] | None:
        state = client.state(entity_id)
        return state if state is not None and check(state) else None

    return wait_for(f"{entity_id} to pass its check", probe, timeout)


def _numeric(state: dict[str, Any]) -> bool:
    try:
        float(state["state"])
    except ValueError:
        return False
    return True


def _defaults(schema: list[dict[str, Any]]) -> dict[str, Any]:
    """A form's defaults (sections nested), as the frontend would submit them."""
    values: dict[str, Any] = {}
    for field in schema:
        if field.get("type") == "expandable":
            values[field["name"]] = _defaults(field["schema"])
        elif "default" in field:
            values[field["name"]] = field["default"]
    return values


def enable_home_mini(client: HomeAssistantClient, entry_id: str) -> None:
    """Switch the Home Mini on through the real options flow."""
    form = client.request(
        "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
    )
    assert form["type"] == "form", form
    user_input = _defaults(form["data_schema"])
    user_input["home_mini_settings"] = {
        **user_input.get("home_mini_settings", {}),
        "supports_live_consumption": True,
        "live_electricity_consumption_refresh_in_minutes": 1,
        "live_gas_consumption_refresh_in_minutes": 2,
    }
    result = client.request(
        "POST", f"/api/config/config_entries/options/flow/{form['flow_id']}", user_input
    )
    assert result["type"] == "create_entry", result


def simulated_price(simulator: SimulatorProcess, tariff: str, fuel: str) -> float:
    """The simulator's unit rate (GBP/kWh incl. VAT) for the current half hour."""
    product = "-".join(tariff.split("-")[2:-1])
    now = datetime.now(UTC)
    start = now.replace(minute=now.minute // 30 * 30, second=0, microsecond=0)
    query = urlencode(
        {
            "period_from": start.isoformat().replace("+00:00", "Z"),
            "period_to": (start + timedelta(minutes=30))
            .isoformat()
            .replace("+00:00", "Z"),
        }
    )
    path = (
        f"/octopus/v1/products/{product}/{fuel}-tariffs/{tariff}/"
        f"standard-unit-rates/?{query}"
    )
    rows = simulator.control("GET", path)["results"]
    # favour_direct_debit_rates (the default): the direct debit price when both exist
    direct = [row for row in rows if row.get("payment_method") == "DIRECT_DEBIT"]
    rows = direct or rows
    assert len(rows) == 1, rows
    return float(rows[0]["value_inc_vat"]) / 100


def request_counts(simulator: SimulatorProcess) -> dict[str, int]:
    """The simulator's request counts per operation."""
    counts: dict[str, int] = simulator.control("GET", "/_sim/requests")["counts"]
    return counts


def test_octopus_account_end_to_end(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    client = home_assistant.client

    # 1. config flow + options flow (Home Mini on) -> entities with simulated prices
    client.config_flow(DOMAIN, [{"account_id": ACCOUNT, "api_key": API_KEY}])
    entries = client.config_entries(DOMAIN)
    assert [e["state"] for e in entries] == ["loaded"]
    entry_id = entries[0]["entry_id"]
    enable_home_mini(client, entry_id)
    wait_for(
        "the entry to reload",
        lambda: (
            [e["state"] for e in client.config_entries(DOMAIN)] == ["loaded"] or None
        ),
    )
    for meter, fuel in ((IMPORT, "electricity"), (EXPORT, "electricity"), (GAS, "gas")):
        rate = wait_state(client, f"{meter}_current_rate", _numeric)
        # the half hour may turn between the two reads: retry once then
        expected = simulated_price(simulator, rate["attributes"]["tariff"], fuel)
        if abs(float(rate["state"]) - expected) > 1e-6:
            rate = wait_state(client, f"{meter}_current_rate", _numeric)
            expected = simulated_price(simulator, rate["attributes"]["tariff"], fuel)
        assert float(rate["state"]) == pytest.approx(expected, abs=1e-6), meter
        wait_state(client, f"{meter}_current_standing_charge", _numeric)
    wait_state(client, DEMAND, lambda s: s["state"] != UNAVAILABLE)
    health = wait_state(client, HEALTH, _numeric)
    assert float(health["state"]) > 0

    # 2. refresh_previous_consumption_data asks the simulator for consumption again
    before = wait_state(client, PREVIOUS, _numeric)
    asked = request_counts(simulator).get("octopus.rest.consumption", 0)
    start = (datetime.now(UTC) - timedelta(days=4)).date().isoformat()
    client.call_service(
        DOMAIN,
        "refresh_previous_consumption_data",
        {"entity_id": PREVIOUS, "start_date": start},
    )
    wait_for(
        "consumption requests",
        lambda: (
            request_counts(simulator).get("octopus.rest.consumption", 0) > asked or None
        ),
    )
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    with pytest.raises(HAError) as raised:
        client.ws(
            {
                "type": "call_service",
                "domain": DOMAIN,
                "service": "refresh_previous_consumption_data",
                "target": {"entity_id": PREVIOUS},
                "service_data": {"start_date": future},
            }
        )
    assert raised.value.detail["code"] == "service_validation_error"
    assert raised.value.detail["translation_key"] == "start_date_in_future"
    assert raised.value.detail["message"]  # translated text, not just the key

    # 3. restart: entry, entity ids and previous consumption survive
    ids = client.entity_ids(DOMAIN)
    home_assistant.restart()
    assert [e["state"] for e in client.config_entries(DOMAIN)] == ["loaded"]
    assert client.entity_ids(DOMAIN) == ids
    restored = wait_state(client, PREVIOUS, _numeric)
    assert float(restored["state"]) == pytest.approx(float(before["state"]))
    assert restored["attributes"].get("last_reset") == before["attributes"].get(
        "last_reset"
    )

    # 4. outage: the Home Mini sensor keeps its last value with its age (up to
    # 2 hours), and is live again after the faults are cleared
    simulator.control(
        "POST", "/_sim/faults", {"kind": "server_error", "operation": "octopus"}
    )
    client.call_service("homeassistant", "update_entity", {"entity_id": DEMAND})
    stale = wait_state(client, DEMAND, lambda s: "data_age_minutes" in s["attributes"])
    assert stale["state"] != UNAVAILABLE
    assert _numeric(client.state(f"{IMPORT}_current_rate") or {"state": ""})
    simulator.control("DELETE", "/_sim/faults")
    client.call_service("homeassistant", "update_entity", {"entity_id": DEMAND})
    wait_state(
        client,
        DEMAND,
        lambda s: (
            s["state"] != UNAVAILABLE and "data_age_minutes" not in s["attributes"]
        ),
    )
