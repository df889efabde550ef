"""The day benchmark's scenarios, run by `scripts/bench` (see scripts/benchmark/).

Each scenario runs in a fresh Home Assistant of the test harness with the recorder on
a sqlite file, time frozen at the start of the day and the simulator in its own
thread. Settings (environment): BENCH_HOURS (24), BENCH_STEP_SECONDS (30),
BENCH_LATENCY (0.1 s per request during setup), BENCH_START (2026-11-18T00:00:00Z),
BENCH_OUTPUT (bench-results.json).
"""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

# Before Home Assistant imports `custom_components` from its test configuration.
import custom_components  # noqa: F401
from scripts.benchmark.report import BenchResults
from scripts.benchmark.runner import RunConfig, ScenarioNotReadyError, run_scenario
from scripts.benchmark.scenarios import SCENARIOS
from scripts.benchmark.simserver import SimulatorThread

pytest_plugins = ("scripts.benchmark.plugin",)

START = datetime.fromisoformat(os.environ.get("BENCH_START", "2026-11-18T00:00:00Z"))
# Production logs at WARNING; the harness logs every SQL statement at INFO.
logging.getLogger().setLevel(logging.WARNING)
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

CONFIG = RunConfig(
    start=START,
    hours=int(os.environ.get("BENCH_HOURS", "24")),
    step=timedelta(seconds=float(os.environ.get("BENCH_STEP_SECONDS", "30"))),
    latency=float(os.environ.get("BENCH_LATENCY", "0.1")),
    fresh_import=True,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Load the integrations from custom_components/."""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The recorder's sqlite file."""
    return tmp_path / "home-assistant_v2.db"


@pytest.fixture
def recorder_db_url(db_path: Path) -> str:
    """The recorder writes to a file, so its size can be measured."""
    return f"sqlite:///{db_path}"


@pytest.fixture
def enable_statistics() -> bool:
    """Compile statistics every 5 minutes, as a real Home Assistant does."""
    return True


@pytest.mark.freeze_time(START)
@pytest.mark.usefixtures("recorder_mock")
@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_day(  # noqa: PLR0917  (pytest passes fixtures positionally)
    name: str,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    bench_simulator: SimulatorThread,
    bench_results: BenchResults,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Simulate the scenario's day and keep its figures for the report."""
    scenario = SCENARIOS[name]
    if (reason := scenario.unavailable()) is not None:
        bench_results.skipped[name] = reason
        pytest.skip(reason)
    for key, value in scenario.env(bench_simulator.url).items():
        monkeypatch.setenv(key, value)
    try:
        result = await run_scenario(
            hass, freezer, bench_simulator, scenario, config=CONFIG, db_path=db_path
        )
    except ScenarioNotReadyError as err:
        bench_results.skipped[name] = str(err)
        pytest.skip(str(err))
    bench_results.results[name] = result
