"""What the day benchmark measures: requests, recorder database, entities, readiness.

Everything here is a plain function of data already collected (the simulator's
request log, a sqlite file, Home Assistant's registries), except `ReadinessTracker`,
which listens to state changes while an entry is set up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
import sqlite3
import time

from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.util import dt as dt_util

TOKEN_OPERATION = "octopus.token"  # noqa: S105  (an operation name)
GRAPHQL_PREFIX = "octopus.graphql"
TOKEN_USE_WINDOW = timedelta(seconds=60)
"""A token request counts as "due" when a GraphQL call follows within this time."""
ONE_HOUR = timedelta(hours=1)
NO_DATA = (STATE_UNKNOWN, STATE_UNAVAILABLE)


def real_monotonic() -> float:
    """Real monotonic seconds, also while freezegun freezes `time.monotonic`."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


# --- requests ----------------------------------------------------------------------


type LogEntry = tuple[datetime, str, str]
"""One request of the simulator's log: moment, operation, target."""

UNIT_RATES_OPERATION = "octopus.rest.rates"
UNIT_RATES_KIND = "standard-unit-rates"


@dataclass(frozen=True)
class SetupMarks:
    """Positions in the simulator's request log around an entry's setup.

    Requests [flow, setup) are the config flow's (none without a flow), [setup,
    returned) those from the start of `async_setup` of the entry until it returned,
    [returned, settled) those until every entity with data showed it.
    """

    flow: int = 0
    setup: int = 0
    returned: int = 0
    settled: int = 0


@dataclass
class RequestStats:
    """Requests the simulator received during the simulated period."""

    per_hour: dict[str, list[int]]
    """Operation -> requests in each simulated hour (hour 0 includes the setup)."""
    flow: dict[str, int]
    """Operation -> requests made by the config flow (if the scenario uses one)."""
    setup: dict[str, int]
    """Operation -> requests from the start of `async_setup` until it returned."""
    settle: dict[str, int]
    """Operation -> requests after setup returned until it settled."""
    total: int
    hours: int
    max_rolling_hour: int
    max_rolling_hour_start: str | None
    max_rolling_hour_after_setup: int
    """The most requests in any hour, the flow's and setup's requests left out."""
    max_calendar_hour: int
    token_requests: int
    idle_token_requests: int
    """Token requests with no GraphQL call within TOKEN_USE_WINDOW after them."""
    unit_rates: dict[str, int] = field(default_factory=dict)
    """Tariff code -> standard-unit-rates requests of the period."""

    @property
    def average_per_hour(self) -> float:
        """Requests per hour averaged over the period (setup included)."""
        return self.total / self.hours if self.hours else 0.0

    @property
    def setup_total(self) -> int:
        """Requests of the entry's setup (`async_setup` until it returned)."""
        return sum(self.setup.values())

    @property
    def flow_total(self) -> int:
        """Requests of the config flow."""
        return sum(self.flow.values())


def request_stats(
    log: Sequence[LogEntry],
    start: datetime,
    hours: int,
    marks: SetupMarks,
) -> RequestStats:
    """Summarise the simulator's request log from `start` over `hours` hours."""
    end = start + timedelta(hours=hours)
    logged = list(log)
    entries = sorted(entry for entry in logged if start <= entry[0] < end)
    per_hour: dict[str, list[int]] = defaultdict(lambda: [0] * hours)
    for moment, operation, _ in entries:
        per_hour[operation][int((moment - start) / ONE_HOUR)] += 1
    hourly_totals = [sum(column) for column in zip(*per_hour.values(), strict=True)]
    rolling, rolling_start = max_in_window([t for t, _, _ in entries], ONE_HOUR)
    after_setup = sorted(t for t, _, _ in logged[marks.settled :] if start <= t < end)
    return RequestStats(
        per_hour=dict(sorted(per_hour.items())),
        flow=_operations(logged[marks.flow : marks.setup]),
        setup=_operations(logged[marks.setup : marks.returned]),
        settle=_operations(logged[marks.returned : marks.settled]),
        total=len(entries),
        hours=hours,
        max_rolling_hour=rolling,
        max_rolling_hour_start=rolling_start.isoformat() if rolling_start else None,
        max_rolling_hour_after_setup=max_in_window(after_setup, ONE_HOUR)[0],
        max_calendar_hour=max(hourly_totals, default=0),
        token_requests=sum(1 for _, op, _ in entries if op == TOKEN_OPERATION),
        idle_token_requests=idle_token_requests(entries),
        unit_rates=unit_rate_requests(entries),
    )


def _operations(entries: Iterable[LogEntry]) -> dict[str, int]:
    return dict(Counter(operation for _, operation, _ in entries))


def unit_rate_requests(entries: Iterable[LogEntry]) -> dict[str, int]:
    """Standard-unit-rates requests per tariff code."""
    found: Counter[str] = Counter()
    for _, operation, target in entries:
        kind, _, tariff = target.partition("/")
        if operation == UNIT_RATES_OPERATION and kind == UNIT_RATES_KIND:
            found[tariff] += 1
    return dict(sorted(found.items()))


def max_in_window(
    moments: Sequence[datetime], window: timedelta
) -> tuple[int, datetime | None]:
    """The most moments in any half-open window [t, t + window), and its t."""
    best, best_start, first = 0, None, 0
    for last, moment in enumerate(moments):
        while moments[first] <= moment - window:
            first += 1
        if last - first + 1 > best:
            best, best_start = last - first + 1, moments[first]
    return best, best_start


def idle_token_requests(entries: Sequence[LogEntry]) -> int:
    """Token requests that no GraphQL call needed (none within the use window)."""
    graphql = [t for t, op, _ in entries if op.startswith(GRAPHQL_PREFIX)]
    return sum(
        1
        for moment, operation, _ in entries
        if operation == TOKEN_OPERATION
        and not any(moment <= t <= moment + TOKEN_USE_WINDOW for t in graphql)
    )


# --- recorder database -------------------------------------------------------------

STATE_GROUPS: dict[str, tuple[str, ...]] = {
    "states (+ states_meta)": ("states", "states_meta"),
    "state_attributes": ("state_attributes",),
    "statistics (long, short, meta)": (
        "statistics",
        "statistics_short_term",
        "statistics_meta",
    ),
    "events (+ event_data, event_types)": ("events", "event_data", "event_types"),
}
"""The recorder tables reported, in groups."""


@dataclass(frozen=True)
class TableUsage:
    """Bytes of a table's pages (its indexes included), payload bytes and rows."""

    bytes: int = 0
    payload: int = 0
    rows: int = 0

    def __sub__(self, other: TableUsage) -> TableUsage:
        """The growth from `other` to this."""
        return TableUsage(
            self.bytes - other.bytes,
            self.payload - other.payload,
            self.rows - other.rows,
        )

    def __add__(self, other: TableUsage) -> TableUsage:
        """Both together."""
        return TableUsage(
            self.bytes + other.bytes,
            self.payload + other.payload,
            self.rows + other.rows,
        )


@dataclass(frozen=True)
class Largest:
    """The largest recorded payload of a kind, and whose it is."""

    bytes: int = 0
    owner: str | None = None


@dataclass
class DatabaseUsage:
    """The recorder database at one moment (sqlite `dbstat`)."""

    tables: dict[str, TableUsage] = field(default_factory=dict)
    largest_attributes: Largest = field(default_factory=Largest)
    largest_event_data: Largest = field(default_factory=Largest)
    most_state_rows: list[Largest] = field(default_factory=list)
    """The entities with the most `states` rows (count, entity id)."""
    most_event_bytes: list[Largest] = field(default_factory=list)
    """The event types with the most recorded data (bytes, event type)."""

    def group(self, names: Iterable[str]) -> TableUsage:
        """The tables named, together."""
        return sum((self.tables.get(n, TableUsage()) for n in names), TableUsage())

    @property
    def total(self) -> TableUsage:
        """Every table and index of the database."""
        return self.group(self.tables)


LARGEST_ATTRIBUTES = """
SELECT LENGTH(CAST(a.shared_attrs AS BLOB)) AS size, m.entity_id
FROM state_attributes a
JOIN states s ON s.attributes_id = a.attributes_id
JOIN states_meta m ON m.metadata_id = s.metadata_id
ORDER BY size DESC LIMIT 1
"""
LARGEST_EVENT_DATA = """
SELECT LENGTH(CAST(d.shared_data AS BLOB)) AS size, t.event_type
FROM event_data d
JOIN events e ON e.data_id = d.data_id
JOIN event_types t ON t.event_type_id = e.event_type_id
ORDER BY size DESC LIMIT 1
"""

MOST_STATE_ROWS = """
SELECT COUNT(*) AS n, m.entity_id FROM states s
JOIN states_meta m ON m.metadata_id = s.metadata_id
GROUP BY m.entity_id ORDER BY n DESC LIMIT 5
"""
MOST_EVENT_BYTES = """
SELECT SUM(LENGTH(CAST(d.shared_data AS BLOB))) AS size, t.event_type
FROM events e
JOIN event_data d ON e.data_id = d.data_id
JOIN event_types t ON t.event_type_id = e.event_type_id
GROUP BY t.event_type ORDER BY size DESC LIMIT 5
"""


def database_usage(path: Path) -> DatabaseUsage:
    """Measure the recorder's sqlite database (blocking: run it in an executor)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        owner = dict(
            db.execute(
                "SELECT name, tbl_name FROM sqlite_schema "
                "WHERE type IN ('table', 'index')"
            ).fetchall()
        )
        pages: dict[str, TableUsage] = defaultdict(TableUsage)
        query = "SELECT name, SUM(pgsize), SUM(payload) FROM dbstat GROUP BY name"
        for name, size, payload in db.execute(query):
            table = owner.get(name, name)
            pages[table] += TableUsage(int(size), int(payload), 0)
        tables = {
            name: TableUsage(usage.bytes, usage.payload, _rows(db, name, owner))
            for name, usage in pages.items()
        }
        return DatabaseUsage(
            tables=tables,
            largest_attributes=_largest(db, LARGEST_ATTRIBUTES),
            largest_event_data=_largest(db, LARGEST_EVENT_DATA),
            most_state_rows=_ranking(db, MOST_STATE_ROWS),
            most_event_bytes=_ranking(db, MOST_EVENT_BYTES),
        )


def _rows(db: sqlite3.Connection, table: str, owner: dict[str, str]) -> int:
    if owner.get(table) != table:
        return 0
    return int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608


def _largest(db: sqlite3.Connection, query: str) -> Largest:
    ranking = _ranking(db, query)
    return ranking[0] if ranking else Largest()


def _ranking(db: sqlite3.Connection, query: str) -> list[Largest]:
    try:
        rows = db.execute(query).fetchall()
    except sqlite3.OperationalError:  # a table of another schema version
        return []
    return [Largest(int(row[0]), str(row[1])) for row in rows]


# --- entities and readiness --------------------------------------------------------


class ReadinessTracker:
    """Remember when each entity first shows data (a state that is not unknown).

    `first_data` holds real monotonic seconds, `first_data_at` the simulated time.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Start listening to state changes."""
        self.first_data: dict[str, float] = {}
        self.first_data_at: dict[str, datetime] = {}
        self._unsub: Callable[[], None] | None = hass.bus.async_listen(
            EVENT_STATE_CHANGED, self._changed
        )

    @callback
    def _changed(self, event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        entity_id = event.data["entity_id"]
        if new_state is None or new_state.state in NO_DATA:
            return
        if entity_id not in self.first_data:
            self.first_data[entity_id] = real_monotonic()
            self.first_data_at[entity_id] = dt_util.utcnow()

    def stop(self) -> None:
        """Stop listening."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None


@dataclass
class EntityFigures:
    """The entities an entry created and when they showed data."""

    total: int = 0
    enabled: int = 0
    disabled: int = 0
    devices: int = 0
    with_data_at_setup: int = 0
    data_later: dict[str, float] = field(default_factory=dict)
    """Enabled entities with no data at setup that showed data during the period:
    simulated seconds from the start of setup to their first data."""
    never_data: list[str] = field(default_factory=list)
    """Enabled entities that showed no data during the whole period."""
    by_domain: dict[str, int] = field(default_factory=dict)
