"""pytest plugin of the day benchmark: fixtures, and the report at the end.

Loaded by scripts/bench_day.py (`pytest_plugins`). The report is printed in pytest's
terminal summary and written as JSON to `$BENCH_OUTPUT` (default bench-results.json
in the current directory) when at least one scenario ran.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
import os
from pathlib import Path
from typing import Any

import pytest

from .report import BenchResults, render, to_json
from .simserver import SimulatorThread

RESULTS: pytest.StashKey[BenchResults] = pytest.StashKey()
PORT: pytest.StashKey[int] = pytest.StashKey()


def _results(config: pytest.Config) -> BenchResults:
    return config.stash.setdefault(RESULTS, BenchResults())


@pytest.fixture
def bench_results(request: pytest.FixtureRequest) -> BenchResults:
    """Where the scenarios put their results."""
    return _results(request.config)


@pytest.fixture
def bench_simulator(
    request: pytest.FixtureRequest,
    socket_enabled: Any,  # noqa: ARG001
) -> Iterator[SimulatorThread]:
    """A fresh simulator on 127.0.0.1, served from its own thread.

    Every scenario's simulator listens on the same port: an integration may cache
    absolute URLs the API gave it (rate links) for the whole process, as it would
    with the real API's fixed address.
    """
    simulator = SimulatorThread(port=request.config.stash.get(PORT, 0)).start()
    request.config.stash[PORT] = simulator.port
    try:
        yield simulator
    finally:
        simulator.stop()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the report and write the JSON file."""
    bench = config.stash.get(RESULTS, None)
    if bench is None or not (bench.results or bench.skipped):
        return
    terminalreporter.write_sep("=", "day benchmark")
    terminalreporter.write(render(bench))
    output = Path(os.environ.get("BENCH_OUTPUT", "bench-results.json"))
    output.write_text(json.dumps(to_json(bench), indent=2, default=str) + "\n")
    terminalreporter.write_line(f"Results written to {output}")
