"""The simulator's clock: real time, optionally shifted or frozen by tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    """Current time for every simulated value (deterministic functions of it)."""

    offset: timedelta = timedelta()
    frozen: datetime | None = None

    def now(self) -> datetime:
        """Return the simulated time (aware, UTC)."""
        if self.frozen is not None:
            return self.frozen
        return datetime.now(UTC) + self.offset

    def set(self, moment: datetime | None, *, freeze: bool = False) -> None:
        """Jump to `moment` (running unless `freeze`); None returns to real time."""
        self.frozen = None
        self.offset = timedelta()
        if moment is None:
            return
        if freeze:
            self.frozen = moment.astimezone(UTC)
        else:
            self.offset = moment.astimezone(UTC) - datetime.now(UTC)
