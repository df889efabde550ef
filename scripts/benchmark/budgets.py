"""The Octopus Energy budgets (issue #9 "one feature architecture", reference account).

The reference account (`octopus_reference`, and the same account from a community
entry): Agile import and gas with Home Minis, fixed export, Octoplus.

- requests: at most 60 in the busiest hour with 1-minute electricity telemetry
  (setup and config flow included); at most 8 from the start of `async_setup` of the
  entry until it returns (the config flow's requests are shown beside it); at most
  4 standard-unit-rates requests per Agile tariff a day; at most 1,500 a day;
- token requests: at most 24 a day, none while no GraphQL call is due;
- recorder growth at most 2 MB a day above a Home Assistant with no integration;
  no recorded attribute payload over 2 KB;
- every enabled entity that has data shows it within 3 s of setup at 100 ms per
  request;
- event-loop (main-thread) CPU at most 5 s per simulated day above the harness.

With the Home Mini off (`octopus_no_home_mini`): at most 4 requests per hour
averaged over the day, and the per-day budgets above.

Feature budgets, in every scenario whose features make the requests (issue #10:
Octoplus, wheel of fortune and greenness together at most 2 requests in any clock
hour after the first; issue #12: at most 20 heat-pump polls (status, configuration
and live values in one request) per controller in any clock hour; the discovery
of controllers with the account retrieval, every 6 hours, is listed beside it);
`octopus_features` switches them on (Home Mini off) with the per-day budgets.

Per-day limits are scaled to the simulated period when it is not 24 hours (request
counts rounded up). An entity "has data at setup" when it shows data by the time
setup has settled or within SETUP_DATA_WINDOW simulated seconds of it (the first
telemetry ticks): those that show it later than MAX_SETUP_SECONDS fail the setup
budget.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from .runner import ScenarioResult
from .scenarios import BUDGETS_HOME_MINI, BUDGETS_NO_HOME_MINI

MAX_REQUESTS_BUSIEST_HOUR = 60
MAX_SETUP_REQUESTS = 8
MAX_AGILE_UNIT_RATES_PER_DAY = 4
MAX_REQUESTS_PER_DAY = 1500
MAX_AVERAGE_PER_HOUR_NO_HOME_MINI = 4.0
MAX_TOKENS_PER_DAY = 24
MAX_RECORDER_BYTES_PER_DAY = 2 * 1024 * 1024
MAX_ATTRIBUTES_BYTES = 2048
MAX_SETUP_SECONDS = 3.0
MAX_CPU_SECONDS_PER_DAY = 5.0
FEATURE_BUDGETS: tuple[tuple[str, frozenset[str], int, int], ...] = (
    (
        "Octoplus, wheel and greenness requests in any hour after the first",
        frozenset(
            {
                "octopus.graphql.LoyaltyPoints",
                "octopus.graphql.SavingSessions",
                "octopus.graphql.WheelOfFortuneSpins",
                "octopus.graphql.GreenerNightsForecast",
            }
        ),
        2,
        1,
    ),
    (
        "heat-pump polls (one per controller) in any hour",
        frozenset({"octopus.graphql.HeatPump"}),
        20,
        0,
    ),
)
"""(budget, operations, most in any clock hour, first hours left out)."""
SETUP_DATA_WINDOW = 3600.0


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


def _count_per_day(limit: int, hours: int) -> int:
    """A per-day request count for the period, rounded up."""
    return math.ceil(limit * hours / 24)


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
    """Every budget that applies to one Octopus scenario (none without budgets)."""
    if result.budgets is None:
        return []
    checks = [*_request_checks(result), *_token_checks(result)]
    checks += _recorder_checks(result, baseline)
    checks += _setup_and_cpu_checks(result, baseline)
    return checks


def _request_checks(result: ScenarioResult) -> list[Check]:
    requests = result.requests
    checks = []
    if result.budgets == BUDGETS_HOME_MINI:
        most = requests.max_rolling_hour
        checks.append(
            Check(
                result.name,
                "requests in the busiest hour, setup included",
                f"<= {MAX_REQUESTS_BUSIEST_HOUR}",
                str(most),
                most <= MAX_REQUESTS_BUSIEST_HOUR,
                f"{requests.max_rolling_hour_after_setup} in the busiest hour "
                "after setup",
            )
        )
        checks.append(_setup_requests_check(result))
    if result.budgets == BUDGETS_NO_HOME_MINI:
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
    checks.append(_agile_rates_check(result))
    checks += _feature_checks(result)
    limit = _count_per_day(MAX_REQUESTS_PER_DAY, result.hours)
    checks.append(
        Check(
            result.name,
            "requests per day",
            f"<= {limit:,}",
            f"{requests.total:,}",
            requests.total <= limit,
        )
    )
    return checks


def _feature_checks(result: ScenarioResult) -> list[Check]:
    """The feature budgets whose operations the scenario made."""
    per_hour = result.requests.per_hour
    checks = []
    for budget, operations, limit, skipped in FEATURE_BUDGETS:
        made = [per_hour[op] for op in sorted(operations) if op in per_hour]
        if not made:
            continue
        hourly = [sum(column) for column in zip(*made, strict=True)][skipped:]
        most = max(hourly, default=0)
        checks.append(
            Check(
                result.name,
                budget,
                f"<= {limit}",
                str(most),
                most <= limit,
                f"{sum(hourly)} in {len(hourly)} hours; "
                + ", ".join(f"{op} {sum(per_hour[op])}" for op in sorted(per_hour))
                if any(op.startswith("octopus.graphql.HeatPump") for op in operations)
                else f"{sum(hourly)} in {len(hourly)} hours",
            )
        )
    return checks


def _setup_requests_check(result: ScenarioResult) -> Check:
    requests = result.requests
    setup = requests.setup_total
    detail = ", ".join(f"{op} {n}" for op, n in sorted(requests.setup.items()))
    if requests.flow:
        detail += f"; config flow before it: {requests.flow_total} requests"
    return Check(
        result.name,
        "requests of setup (async_setup until it returns)",
        f"<= {MAX_SETUP_REQUESTS}",
        str(setup),
        setup <= MAX_SETUP_REQUESTS,
        detail,
    )


def agile_unit_rates(result: ScenarioResult) -> dict[str, int]:
    """Standard-unit-rates requests per Agile tariff over the period."""
    return {
        tariff: count
        for tariff, count in result.requests.unit_rates.items()
        if any(f"-{product}-" in tariff for product in result.agile_products)
    }


def _agile_rates_check(result: ScenarioResult) -> Check:
    per_tariff = agile_unit_rates(result)
    most = max(per_tariff.values(), default=0)
    limit = _count_per_day(MAX_AGILE_UNIT_RATES_PER_DAY, result.hours)
    return Check(
        result.name,
        "standard-unit-rates requests per Agile tariff per day",
        f"<= {limit}",
        str(most),
        most <= limit,
        ", ".join(f"{t} {n}" for t, n in per_tariff.items()) or "none requested",
    )


def _token_checks(result: ScenarioResult) -> list[Check]:
    requests = result.requests
    limit = _count_per_day(MAX_TOKENS_PER_DAY, result.hours)
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
            "event-loop CPU per day (above the harness)",
            f"<= {cpu_limit:.2f} s",
            f"{cpu:.2f} s",
            cpu <= cpu_limit,
        ),
    ]
