"""The Octopus budgets of the day benchmark, on made-up measurements.

Each budget is checked just at and just over its limit, so a wrong limit or a
wrong comparison fails here; the report must print PASS/FAIL with the value.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scripts.benchmark.budgets import (
    MAX_AGILE_UNIT_RATES_PER_DAY,
    MAX_CPU_SECONDS_PER_DAY,
    MAX_RECORDER_BYTES_PER_DAY,
    MAX_REQUESTS_BUSIEST_HOUR,
    MAX_REQUESTS_PER_DAY,
    MAX_SETUP_REQUESTS,
    MAX_TOKENS_PER_DAY,
    Check,
    octopus_checks,
)
from scripts.benchmark.measure import (
    DatabaseUsage,
    EntityFigures,
    LogEntry,
    SetupMarks,
    TableUsage,
    request_stats,
)
from scripts.benchmark.report import BenchResults, render_checks
from scripts.benchmark.runner import ScenarioResult
from scripts.benchmark.scenarios import (
    BUDGETS_FEATURES,
    BUDGETS_HOME_MINI,
    BUDGETS_NO_HOME_MINI,
    FEATURES,
    SCENARIOS,
    octopus_options,
)

START = datetime(2026, 11, 18, tzinfo=UTC)
AGILE = "standard-unit-rates/E-1R-AGILE-24-10-01-C"
EXPORT = "standard-unit-rates/E-1R-OUTGOING-FIX-12M-19-05-13-C"
MB = 1024 * 1024


def _spread(count: int, operation: str, target: str = "", *, hour: int = 5) -> list:
    """`count` requests spread over one hour, starting at `hour`."""
    step = timedelta(hours=1) / max(count, 1)
    return [
        (START + timedelta(hours=hour) + i * step, operation, target)
        for i in range(count)
    ]


def _result(
    log: list[LogEntry],
    *,
    marks: SetupMarks | None = None,
    hours: int = 24,
    budgets: str | None = BUDGETS_HOME_MINI,
    growth: int = 0,
    cpu: float = 0.0,
) -> ScenarioResult:
    empty = DatabaseUsage()
    return ScenarioResult(
        name="octopus_reference",
        title="made up",
        start=START.isoformat(),
        hours=hours,
        requests=request_stats(log, START, hours, marks or SetupMarks()),
        entities=EntityFigures(),
        db_before=empty,
        db_after=DatabaseUsage(tables={"states": TableUsage(growth, growth, 1)}),
        setup_seconds=0.5,
        setup_cpu_seconds=0.1,
        day_cpu_seconds=cpu,
        day_wall_seconds=1.0,
        latency=0.1,
        budgets=budgets,
        agile_products=["AGILE-24-10-01"],
    )


def _check(result: ScenarioResult, budget: str) -> Check:
    found = [c for c in octopus_checks(result, None) if c.budget.startswith(budget)]
    assert len(found) == 1, [c.budget for c in octopus_checks(result, None)]
    return found[0]


def test_budget_values_are_the_issues() -> None:
    assert MAX_REQUESTS_BUSIEST_HOUR == 60
    assert MAX_SETUP_REQUESTS == 8
    assert MAX_AGILE_UNIT_RATES_PER_DAY == 4
    assert MAX_REQUESTS_PER_DAY == 1500
    assert MAX_TOKENS_PER_DAY == 24
    assert MAX_RECORDER_BYTES_PER_DAY == 2 * MB
    assert MAX_CPU_SECONDS_PER_DAY == 5.0


@pytest.mark.parametrize(("count", "ok"), [(60, True), (61, False)])
def test_busiest_hour(count: int, ok: bool) -> None:
    result = _result(_spread(count, "octopus.graphql.SmartMeterTelemetry"))
    check = _check(result, "requests in the busiest hour")
    assert (check.ok, check.measured) == (ok, str(count))


def test_busiest_hour_includes_the_setup() -> None:
    # The log is in arrival order: setup's 10 requests at the start, then telemetry.
    setup = [(START, "octopus.rest.products", "")] * 10
    log = setup + _spread(55, "octopus.graphql.SmartMeterTelemetry", hour=0)
    marks = SetupMarks(flow=0, setup=0, returned=10, settled=10)
    check = _check(_result(log, marks=marks), "requests in the busiest hour")
    assert not check.ok
    assert check.measured == "65"
    assert "55 in the busiest hour after setup" in check.detail


@pytest.mark.parametrize(("count", "ok"), [(8, True), (9, False)])
def test_setup_requests_leave_the_flow_out(count: int, ok: bool) -> None:
    flow = _spread(3, "octopus.graphql.account", hour=0)
    setup = _spread(count, "octopus.rest.rates", AGILE, hour=1)
    marks = SetupMarks(flow=0, setup=3, returned=3 + count, settled=3 + count)
    check = _check(_result(flow + setup, marks=marks), "requests of setup")
    assert (check.ok, check.measured) == (ok, str(count))
    assert "config flow before it: 3 requests" in check.detail


@pytest.mark.parametrize(("count", "ok"), [(4, True), (5, False)])
def test_agile_unit_rates_per_day(count: int, ok: bool) -> None:
    log = _spread(count, "octopus.rest.rates", AGILE)
    # Other tariffs' unit rates and standing charges do not count.
    log += _spread(9, "octopus.rest.rates", EXPORT, hour=7)
    log += _spread(9, "octopus.rest.standing_charges", hour=9)
    check = _check(_result(log), "standard-unit-rates requests per Agile")
    assert (check.ok, check.measured) == (ok, str(count))
    assert check.detail == f"E-1R-AGILE-24-10-01-C {count}"


def test_agile_unit_rates_scaled_to_a_short_period() -> None:
    log = _spread(2, "octopus.rest.rates", AGILE, hour=0)
    check = _check(_result(log, hours=2), "standard-unit-rates requests per Agile")
    assert (check.ok, check.limit) == (False, "<= 1")


@pytest.mark.parametrize(("count", "ok"), [(1500, True), (1501, False)])
def test_requests_per_day(count: int, ok: bool) -> None:
    log = [
        (START + timedelta(minutes=i * 0.9), "octopus.graphql.x", "")
        for i in range(count)
    ]
    check = _check(_result(log, budgets=BUDGETS_NO_HOME_MINI), "requests per day")
    assert (check.ok, check.measured) == (ok, f"{count:,}")


@pytest.mark.parametrize(("count", "ok"), [(24, True), (25, False)])
def test_token_requests_per_day(count: int, ok: bool) -> None:
    log = []
    for hour in range(count):
        moment = START + timedelta(minutes=57 * hour)
        log += [(moment, "octopus.token", ""), (moment, "octopus.graphql.x", "")]
    check = _check(_result(log), "token requests per day")
    assert (check.ok, check.measured) == (ok, str(count))


@pytest.mark.parametrize(("growth", "ok"), [(2 * MB, True), (2 * MB + 1, False)])
def test_recorder_growth(growth: int, ok: bool) -> None:
    check = _check(_result([], growth=growth), "recorder growth")
    assert check.ok is ok


@pytest.mark.parametrize(("cpu", "ok"), [(5.0, True), (5.01, False)])
def test_event_loop_cpu(cpu: float, ok: bool) -> None:
    check = _check(_result([], cpu=cpu), "event-loop CPU per day")
    assert (check.ok, check.measured) == (ok, f"{cpu:.2f} s")


def test_no_home_mini_keeps_its_average_budget() -> None:
    log = _spread(97, "octopus.graphql.x")
    result = _result(log, budgets=BUDGETS_NO_HOME_MINI)
    check = _check(result, "requests per hour, day average")
    assert (check.ok, check.measured) == (False, "4.04")
    budgets = {c.budget for c in octopus_checks(result, None)}
    assert not any(b.startswith("requests in the busiest hour") for b in budgets)


def test_no_budgets_no_checks() -> None:
    assert octopus_checks(_result([], budgets=None), None) == []


def test_report_prints_verdict_and_value() -> None:
    result = _result(_spread(61, "octopus.graphql.SmartMeterTelemetry"))
    text = render_checks(BenchResults(results={result.name: result}))
    lines = text.splitlines()
    busiest = next(line for line in lines if "busiest hour" in line)
    assert busiest.split()[:2] == ["FAIL", "octopus_reference"]
    assert "61" in busiest
    assert "(limit <= 60)" in busiest
    assert any(line.split()[:1] == ["PASS"] for line in lines)


def test_octopus_options() -> None:
    assert octopus_options("feature_octoplus") == {
        feature: feature == "feature_octoplus" for feature in FEATURES
    }
    assert all(octopus_options(*FEATURES).values())
    with pytest.raises(ValueError, match="unknown feature switches"):
        octopus_options("feature_saving_sessions")


def test_scenarios_and_their_budgets() -> None:
    reference = SCENARIOS["octopus_reference"]
    assert reference.flow is not None
    assert reference.entry is None
    assert reference.flow.options["home_mini_settings"]["supports_live_consumption"]
    assert reference.flow.options["feature_octoplus"] is True
    assert reference.flow.options["feature_intelligent"] is False
    community = SCENARIOS["octopus_reference_community"]
    assert community.entry is not None
    assert community.flow is None
    assert community.budgets == reference.budgets == BUDGETS_HOME_MINI
    assert SCENARIOS["octopus_no_home_mini"].budgets == BUDGETS_NO_HOME_MINI
    assert SCENARIOS["oso"].budgets is None


@pytest.mark.parametrize(("count", "ok"), [(2, True), (3, False)])
def test_octoplus_requests_per_hour(count: int, ok: bool) -> None:
    log = _spread(5, "octopus.graphql.SavingSessions", hour=0)  # the first hour
    log += _spread(count - 1, "octopus.graphql.SavingSessions", hour=3)
    log += _spread(1, "octopus.graphql.GreenerNightsForecast", hour=3)
    check = _check(_result(log, budgets=BUDGETS_FEATURES), "Octoplus, wheel")
    assert (check.ok, check.measured) == (ok, str(count))


@pytest.mark.parametrize(("count", "ok"), [(20, True), (21, False)])
def test_heat_pump_requests_per_hour(count: int, ok: bool) -> None:
    log = _spread(count, "octopus.graphql.HeatPump", hour=0)
    check = _check(_result(log, budgets=BUDGETS_FEATURES), "heat-pump polls")
    assert (check.ok, check.measured) == (ok, str(count))


def test_feature_budgets_only_where_the_features_ask() -> None:
    checks = octopus_checks(_result([], budgets=BUDGETS_FEATURES), None)
    assert not [c for c in checks if "heat-pump" in c.budget or "Octoplus" in c.budget]
    features = SCENARIOS["octopus_features"]
    assert features.budgets == BUDGETS_FEATURES
    assert features.entry is not None
    assert features.entry().options["feature_heat_pump"] is True
