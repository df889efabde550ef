"""Count the requests a client sends, per operation, over a sliding hour.

Octopus shares a budget of about 100 requests an hour between every client of an
account, so the integration shows this count and the benchmark reads it.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    """Return the current time in UTC (the default clock)."""
    return datetime.now(UTC)


class RequestCounter:
    """A sliding-window request counter; `clock` is injectable for tests."""

    def __init__(
        self,
        clock: Callable[[], datetime] = utcnow,
        window: timedelta = timedelta(hours=1),
    ) -> None:
        """Start with no requests."""
        self._clock = clock
        self._window = window
        self._events: deque[tuple[datetime, str]] = deque()
        self._lifetime: Counter[str] = Counter()

    def record(self, operation: str) -> None:
        """Count one request of `operation` now."""
        self._events.append((self._clock(), operation))
        self._lifetime[operation] += 1
        self._prune()

    def _prune(self) -> None:
        horizon = self._clock() - self._window
        while self._events and self._events[0][0] <= horizon:
            self._events.popleft()

    @property
    def requests_last_hour(self) -> int:
        """Requests sent within the window."""
        self._prune()
        return len(self._events)

    def by_operation(self) -> dict[str, int]:
        """Return the requests within the window per operation, most frequent first."""
        self._prune()
        return dict(Counter(operation for _, operation in self._events).most_common())

    @property
    def total(self) -> int:
        """Requests sent since the client was created."""
        return sum(self._lifetime.values())

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready summary for diagnostics and sensors."""
        return {
            "requests_last_hour": self.requests_last_hour,
            "by_operation": self.by_operation(),
            "total": self.total,
        }
