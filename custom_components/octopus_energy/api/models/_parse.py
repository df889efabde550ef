"""Tolerant readers for JSON values: a missing or malformed value becomes None."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def as_str(value: Any) -> str | None:
    """Return a non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def as_float(value: Any) -> float | None:
    """Return a number; numeric strings (GraphQL `Decimal`) are accepted."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def as_int(value: Any) -> int | None:
    """Return an integer; integral floats and numeric strings are accepted."""
    number = as_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def as_bool(value: Any) -> bool | None:
    """Return a boolean, or None when the value is not one."""
    return value if isinstance(value, bool) else None


def as_dict(value: Any) -> dict[str, Any]:
    """Return the value when it is an object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_dicts(value: Any) -> list[dict[str, Any]]:
    """Return the objects of a list; anything else gives an empty list."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def as_datetime(value: Any) -> datetime | None:
    """Parse an ISO 8601 time into an aware datetime (naive values are UTC)."""
    text = as_str(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def as_date(value: Any) -> date | None:
    """Parse an ISO 8601 date."""
    text = as_str(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def wh_to_kwh(value: Any) -> float | None:
    """Convert watt-hours to kilowatt-hours."""
    number = as_float(value)
    return None if number is None else number / 1000
