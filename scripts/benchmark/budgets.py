"""The Octopus Energy budgets (issue "octopus_energy: energy core", reference account).

- requests: at most 65 in any hour with 1-minute electricity telemetry; at most 4 per
  hour averaged over the day with the Home Mini off;
- token requests: at most 24 per day, none while no GraphQL call is due;
- recorder growth at most 4 MB per day above a Home Assistant with no integration;
  no recorded attribute payload over 2 KB;
- every enabled entity that has data shows it within 3 s of setup at 100 ms per
  request;
- main-thread CPU at most 12 s per simulated day.

Per-day limits are scaled to the simulated period when it is not 24 hours. "Any
hour" is checked twice: with the setup's requests (the strict reading) and without.
An entity "has data at setup" when it shows data by the time setup has settled or
within SETUP_DATA_WINDOW simulated seconds of it (the first telemetry ticks): those
that show it later than MAX_SETUP_SECONDS fail the setup budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from .runner import ScenarioResult

MAX_REQUESTS_ANY_HOUR = 65
MAX_AVERAGE_PER_HOUR_NO_HOME_MINI = 4.0
MAX_TOKENS_PER_DAY = 24
MAX_RECORDER_BYTES_PER_DAY = 4 * 1024 * 1024
MAX_ATTRIBUTES_BYTES = 2048
MAX_SETUP_SECONDS = 3.0
MAX_CPU_SECONDS_PER_DAY = 12.0
SETUP_DATA_WINDOW = 3600.0
HOME_MINI_SCENARIO = "octopus_reference"
NO_HOME_MINI_SCENARIO = "octopus_no_home_mini"


@dataclass(frozen=True)
class Check:
    """One budget, its limit and what was measured."""

    scenario: str
    budget: str
    limit: str
    measured: str
    ok: bool
    detail: str = ""


def _per_day(limit: float, hours: int) -> float:
    return limit * hours / 24


def recorder_growth(result: ScenarioResult, baseline: ScenarioResult | None) -> int:
    """Database growth (bytes, every table and index) above the baseline's."""
    growth = (result.db_after.total - result.db_before.total).bytes
    if baseline is not None:
        growth -= (baseline.db_after.total - baseline.db_before.total).bytes
    return growth


def net_cpu(result: ScenarioResult, baseline: ScenarioResult | None) -> float:
    """Main-thread CPU of the stepped day above the baseline's (the harness)."""
    return result.day_cpu_seconds - (baseline.day_cpu_seconds if baseline else 0.0)


def octopus_checks(
    result: ScenarioResult, baseline: ScenarioResult | None
) -> list[Check]:
    """Every budget that applies to one Octopus scenario."""
    checks = [*_request_checks(result), *_token_checks(result)]
    checks += _recorder_checks(result, baseline)
    checks += _setup_and_cpu_checks(result, baseline)
    return checks


def _request_checks(result: ScenarioResult) -> list[Check]:
    requests = result.requests
    checks = []
    if result.name == HOME_MINI_SCENARIO:
        for label, most in (
            ("requests in any hour, setup included", requests.max_rolling_hour),
            ("requests in any hour after setup", requests.max_rolling_hour_after_setup),
        ):
            checks.append(
                Check(
                    result.name,
                    label,
                    f"<= {MAX_REQUESTS_ANY_HOUR}",
                    str(most),
                    most <= MAX_REQUESTS_ANY_HOUR,
                )
            )
    if result.name == NO_HOME_MINI_SCENARIO:
        average = requests.average_per_hour
        checks.append(
            Check(
                result.name,
                "requests per hour, day average (Home Mini off)",
                f"<= {MAX_AVERAGE_PER_HOUR_NO_HOME_MINI:g}",
                f"{average:.2f}",
                average <= MAX_AVERAGE_PER_HOUR_NO_HOME_MINI,
            )
        )
    return checks


def _token_checks(result: ScenarioResult) -> list[Check]:
    requests = result.requests
    limit = _per_day(MAX_TOKENS_PER_DAY, result.hours)
    return [
        Check(
            result.name,
            "token requests per day",
            f"<= {limit:g}",
            str(requests.token_requests),
            requests.token_requests <= limit,
        ),
        Check(
            result.name,
            "token requests with no GraphQL call due",
            "0",
            str(requests.idle_token_requests),
            requests.idle_token_requests == 0,
        ),
    ]


def _recorder_checks(
    result: ScenarioResult, baseline: ScenarioResult | None
) -> list[Check]:
    growth = recorder_growth(result, baseline)
    limit = _per_day(MAX_RECORDER_BYTES_PER_DAY, result.hours)
    largest = result.db_after.largest_attributes
    events = result.db_after.largest_event_data
    return [
        Check(
            result.name,
            "recorder growth above no integration",
            f"<= {limit / 1024 / 1024:.2f} MB",
            f"{growth / 1024 / 1024:.2f} MB",
            growth <= limit,
        ),
        Check(
            result.name,
            "largest recorded attributes",
            f"<= {MAX_ATTRIBUTES_BYTES} B",
            f"{largest.bytes} B",
            largest.bytes <= MAX_ATTRIBUTES_BYTES,
            f"{largest.owner}; largest recorded event data {events.bytes} B "
            f"({events.owner})",
        ),
    ]


def _setup_and_cpu_checks(
    result: ScenarioResult, baseline: ScenarioResult | None
) -> list[Check]:
    setup = result.setup_seconds
    late = {
        entity: seconds
        for entity, seconds in result.entities.data_later.items()
        if seconds <= SETUP_DATA_WINDOW
    }
    cpu = net_cpu(result, baseline)
    cpu_limit = _per_day(MAX_CPU_SECONDS_PER_DAY, result.hours)
    return [
        Check(
            result.name,
            f"entities with data show it after setup ({result.latency * 1000:.0f} ms"
            " per request)",
            f"<= {MAX_SETUP_SECONDS:g} s",
            "n/a" if setup is None else f"{setup:.2f} s",
            setup is not None and setup <= MAX_SETUP_SECONDS and not late,
            ", ".join(f"{e} only after {s:.0f} s" for e, s in late.items()),
        ),
        Check(
            result.name,
            "main-thread CPU per day (above the harness)",
            f"<= {cpu_limit:g} s",
            f"{cpu:.2f} s",
            cpu <= cpu_limit,
        ),
    ]
