"""Smoke test of the day benchmark's machinery (scripts/bench, scripts/benchmark/).

One simulated hour of the OSO scenario with the recorder on a file: the request
counts, entities, recorder figures and the report must come out sane. The budget
checks are exercised on the measured result as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

import pytest

from scripts.benchmark import scenarios
from scripts.benchmark.budgets import octopus_checks
from scripts.benchmark.measure import idle_token_requests, max_in_window
from scripts.benchmark.report import BenchResults, render, to_json
from scripts.benchmark.runner import RunConfig, ScenarioNotReadyError, run_scenario
from scripts.benchmark.scenarios import SCENARIOS, octopus_unavailable
from scripts.benchmark.simserver import SimulatorThread

START = datetime(2026, 11, 18, tzinfo=UTC)
T0 = datetime(2026, 11, 18, 12, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The recorder's sqlite file."""
    return tmp_path / "bench.db"


@pytest.fixture
def recorder_db_url(db_path: Path) -> str:
    """The recorder writes to a file, so the benchmark can measure it."""
    return f"sqlite:///{db_path}"


@pytest.fixture
def simulator(socket_enabled) -> Iterator[SimulatorThread]:
    """The simulator in its own thread."""
    server = SimulatorThread().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.freeze_time(START)
async def test_one_hour_of_oso(
    recorder_mock, hass, freezer, simulator, db_path, monkeypatch
) -> None:
    scenario = SCENARIOS["oso"]
    for key, value in scenario.env(simulator.url).items():
        monkeypatch.setenv(key, value)
    result = await run_scenario(
        hass,
        freezer,
        simulator,
        scenario,
        config=RunConfig(start=START, hours=1),
        db_path=db_path,
    )

    assert 58 <= result.requests.per_hour["oso.devices"][0] <= 61  # every 60 s
    assert result.requests.flow == {}
    assert result.requests.setup == {"oso.devices": 1}
    assert result.requests.token_requests == 0
    assert result.entities.enabled > 20
    assert result.entities.with_data_at_setup > 20
    assert result.setup_seconds is not None
    assert 0.1 <= result.setup_seconds < 10
    growth = result.db_after.total - result.db_before.total
    assert growth.bytes > 0
    assert (
        result.db_after.tables["states"].rows > result.db_before.tables["states"].rows
    )
    assert 0 < result.db_after.largest_attributes.bytes <= 2048

    bench = BenchResults(results={"oso": result}, skipped={"octopus": "not yet"})
    text = render(bench)
    assert "oso.devices" in text
    assert "not checked: not yet" in text
    assert json.loads(json.dumps(to_json(bench), default=str))["scenarios"]["oso"]
    assert octopus_checks(result, None) == []  # the OSO scenario has no budgets


def test_max_in_window() -> None:
    moments = [T0 + timedelta(minutes=m) for m in (0, 10, 59, 61, 62, 130)]
    assert max_in_window(moments, timedelta(hours=1)) == (4, T0 + timedelta(minutes=10))
    assert max_in_window([], timedelta(hours=1)) == (0, None)


def test_idle_token_requests() -> None:
    log = [
        (T0, "octopus.token", ""),
        (T0, "octopus.graphql.account", ""),
        (T0 + timedelta(hours=1), "octopus.token", ""),
        (T0 + timedelta(hours=2), "octopus.rest.rates", ""),
    ]
    assert idle_token_requests(log) == 1


def test_octopus_guard_names_the_reason(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(scenarios, "ROOT", tmp_path)
    reason = octopus_unavailable()
    assert reason == "octopus_energy integration not available yet (no manifest.json)"
    manifest = tmp_path / "custom_components" / "octopus_energy" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"domain": "octopus_energy"}')
    assert "no config flow" in (octopus_unavailable() or "")


@pytest.mark.freeze_time(START)
async def test_one_hour_of_octopus(
    recorder_mock, hass, freezer, simulator, db_path, monkeypatch
) -> None:
    scenario = SCENARIOS["octopus_reference"]
    if (reason := scenario.unavailable()) is not None:
        pytest.skip(reason)
    for key, value in scenario.env(simulator.url).items():
        monkeypatch.setenv(key, value)
    try:
        result = await run_scenario(
            hass,
            freezer,
            simulator,
            scenario,
            config=RunConfig(start=START, hours=1, fresh_import=True),
            db_path=db_path,
        )
    except ScenarioNotReadyError as err:
        pytest.skip(str(err))

    assert result.requests.total > 0
    assert result.requests.token_requests >= 1
    assert result.entities.enabled > 0
    # The entry came through the config flow, which checked the account first.
    assert result.requests.flow
    assert result.requests.setup
    assert set(result.agile_products) == {"AGILE-24-10-01"}
    assert result.requests.unit_rates.get("E-1R-AGILE-24-10-01-C", 0) >= 1
    checks = octopus_checks(result, None)
    assert {check.scenario for check in checks} == {"octopus_reference"}
    assert "octopus.token" in render(BenchResults(results={result.name: result}))
