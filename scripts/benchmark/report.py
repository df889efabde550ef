"""The benchmark's report: readable tables and a JSON document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .budgets import Check, net_cpu, octopus_checks, recorder_growth
from .measure import STATE_GROUPS, DatabaseUsage, TableUsage
from .runner import ScenarioResult

MB = 1024 * 1024
NAME_WIDTH = 38
UK = ZoneInfo("Europe/London")


@dataclass
class BenchResults:
    """Results collected over one benchmark session."""

    results: dict[str, ScenarioResult] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def baseline(self) -> ScenarioResult | None:
        """The run with no integration loaded, if any."""
        return self.results.get("baseline")

    def checks(self) -> list[Check]:
        """Every Octopus budget of every scenario with budgets that ran."""
        return [
            check
            for result in self.results.values()
            for check in octopus_checks(result, self.baseline)
        ]


# --- text ----------------------------------------------------------------------------


def render(bench: BenchResults) -> str:
    """The whole report as text."""
    parts = [render_scenario(r, bench.baseline) for r in bench.results.values()]
    parts += [f"== {name}: skipped: {reason}" for name, reason in bench.skipped.items()]
    parts.append(render_checks(bench))
    return "\n\n".join(parts) + "\n"


def render_scenario(result: ScenarioResult, baseline: ScenarioResult | None) -> str:
    """One scenario's figures."""
    lines = [f"== {result.name}: {result.title}"]
    lines.append(
        f"   {result.hours} simulated hours from {result.start}"
        f" (Europe/London), {result.day_wall_seconds:.1f} s wall time"
    )
    lines += _setup_lines(result)
    lines += _request_lines(result)
    lines += _recorder_lines(result, baseline)
    lines += _cpu_lines(result, baseline)
    return "\n".join(lines)


def _setup_lines(result: ScenarioResult) -> list[str]:
    if result.name == "baseline":
        return []
    entities = result.entities
    domains = ", ".join(f"{d} {n}" for d, n in entities.by_domain.items())
    lines = [
        (
            f"Entities: {entities.total} ({entities.enabled} enabled, "
            f"{entities.disabled} disabled by default) on {entities.devices} "
            f"devices [{domains}]"
        ),
        (
            f"Setup ({result.latency * 1000:.0f} ms per request): "
            f"{entities.with_data_at_setup} entities showed data after "
            f"{result.setup_seconds or 0:.2f} s; main-thread CPU "
            f"{result.setup_cpu_seconds:.2f} s"
        ),
        f"   requests: {_setup_requests(result)}",
    ]
    if entities.data_later:
        later = (f"{e} (+{s:.0f} s)" for e, s in entities.data_later.items())
        lines.append(f"   data only later in the period: {', '.join(later)}")
    if entities.never_data:
        lines.append(f"   no data all period: {', '.join(entities.never_data)}")
    lines += [f"Action: {action}" for action in result.actions]
    return lines


def _setup_requests(result: ScenarioResult) -> str:
    requests = result.requests
    parts = []
    if requests.flow:
        parts.append(f"config flow {_operations(requests.flow)}")
    parts.append(f"async_setup until it returned {_operations(requests.setup)}")
    parts.append(f"then until settled {_operations(requests.settle)}")
    return "; ".join(parts)


def _operations(counts: dict[str, int]) -> str:
    if not counts:
        return "0"
    listed = ", ".join(f"{op} {n}" for op, n in sorted(counts.items()))
    return f"{sum(counts.values())} ({listed})"


def _request_lines(result: ScenarioResult) -> list[str]:
    requests = result.requests
    if not requests.total:
        return ["Requests: none"]
    hours = range(result.hours)
    header = "Requests per simulated hour".ljust(NAME_WIDTH)
    header += "".join(f"{h:>5}" for h in hours) + "  total"
    rows = [header]
    for operation, counts in requests.per_hour.items():
        rows.append(_row(operation, counts))
    totals = [sum(c) for c in zip(*requests.per_hour.values(), strict=True)]
    rows.append(_row("all", totals))
    rows.append(
        f"Max in any rolling hour: {requests.max_rolling_hour} (from "
        f"{_local_time(requests.max_rolling_hour_start)}), "
        f"{requests.max_rolling_hour_after_setup} after setup; max in a clock hour: "
        f"{requests.max_calendar_hour}; average {requests.average_per_hour:.2f}/h; "
        f"token requests {requests.token_requests} "
        f"({requests.idle_token_requests} with no GraphQL call due)"
    )
    if requests.unit_rates:
        rates = ", ".join(f"{t} {n}" for t, n in requests.unit_rates.items())
        rows.append(f"Standard-unit-rates requests per tariff: {rates}")
    return rows


def _local_time(moment: str | None) -> str:
    if moment is None:
        return "-"
    return f"{datetime.fromisoformat(moment).astimezone(UK):%H:%M:%S}"


def _row(name: str, counts: list[int]) -> str:
    cells = "".join(f"{n:>5}" for n in counts)
    return f"  {name:<{NAME_WIDTH - 2}}{cells}{sum(counts):>7}"


def _recorder_lines(
    result: ScenarioResult, baseline: ScenarioResult | None
) -> list[str]:
    lines = ["Recorder growth (pages incl. indexes / payload / rows):"]
    for label, tables in STATE_GROUPS.items():
        growth = _growth(result, tables)
        sizes = f"{_kb(growth.bytes):>12}{_kb(growth.payload):>12}"
        lines.append(f"  {label:<{NAME_WIDTH - 2}}{sizes}{growth.rows:>9}")
    total = result.db_after.total - result.db_before.total
    lines.append(f"  {'whole database':<{NAME_WIDTH - 2}}{_kb(total.bytes):>12}")
    if baseline is not None and result is not baseline:
        lines.append(
            f"  above the baseline: {recorder_growth(result, baseline) / MB:.2f} MB"
        )
    attrs, data = result.db_after.largest_attributes, result.db_after.largest_event_data
    lines.append(f"  largest recorded attributes: {attrs.bytes} B ({attrs.owner})")
    lines.append(f"  largest recorded event data: {data.bytes} B ({data.owner})")
    rows = ", ".join(f"{r.owner} {r.bytes}" for r in result.db_after.most_state_rows)
    lines.append(f"  most state rows: {rows or 'none'}")
    events = ", ".join(
        f"{r.owner} {_kb(r.bytes)}" for r in result.db_after.most_event_bytes
    )
    lines.append(f"  most event data: {events or 'none'}")
    return lines


def _growth(result: ScenarioResult, tables: tuple[str, ...]) -> TableUsage:
    return result.db_after.group(tables) - result.db_before.group(tables)


def _kb(size: int) -> str:
    return f"{size / 1024:,.1f} KB"


def _cpu_lines(result: ScenarioResult, baseline: ScenarioResult | None) -> list[str]:
    line = f"Event-loop CPU of the day loop: {result.day_cpu_seconds:.2f} s"
    if baseline is not None and result is not baseline:
        line += (
            f" (baseline {baseline.day_cpu_seconds:.2f} s; "
            f"above it {net_cpu(result, baseline):.2f} s)"
        )
    return [line]


def render_checks(bench: BenchResults) -> str:
    """The Octopus budget section."""
    lines = ["== Octopus budgets"]
    checks = bench.checks()
    if not checks:
        reason = next(
            (r for n, r in bench.skipped.items() if n.startswith("octopus")),
            "no Octopus scenario ran",
        )
        return "\n".join([*lines, f"   not checked: {reason}"])
    for check in checks:
        verdict = "PASS" if check.ok else "FAIL"
        lines.append(
            f"  {verdict}  {check.scenario:<28} {check.budget:<56} "
            f"{check.measured:>10}  (limit {check.limit})"
        )
        if check.detail:
            lines.append(f"        {check.detail}")
    return "\n".join(lines)


# --- JSON ----------------------------------------------------------------------------


def to_json(bench: BenchResults) -> dict[str, Any]:
    """The whole session as a JSON-able document."""
    return {
        "scenarios": {
            name: _result_json(result, bench.baseline)
            for name, result in bench.results.items()
        },
        "skipped": bench.skipped,
        "budgets": [asdict(check) for check in bench.checks()],
    }


def _result_json(
    result: ScenarioResult, baseline: ScenarioResult | None
) -> dict[str, Any]:
    data = asdict(result)
    data["db_before"] = _db_json(result.db_before)
    data["db_after"] = _db_json(result.db_after)
    data["requests"]["average_per_hour"] = result.requests.average_per_hour
    data["recorder_growth_bytes"] = {
        label: asdict(_growth(result, tables)) for label, tables in STATE_GROUPS.items()
    }
    data["recorder_growth_bytes"]["whole database"] = asdict(
        result.db_after.total - result.db_before.total
    )
    data["recorder_growth_above_baseline_bytes"] = recorder_growth(result, baseline)
    data["day_cpu_above_baseline_seconds"] = net_cpu(result, baseline)
    return data


def _db_json(usage: DatabaseUsage) -> dict[str, Any]:
    return {
        "tables": {name: asdict(t) for name, t in sorted(usage.tables.items())},
        "largest_attributes": asdict(usage.largest_attributes),
        "largest_event_data": asdict(usage.largest_event_data),
    }
