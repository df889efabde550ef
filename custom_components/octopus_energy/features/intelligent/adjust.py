"""Rates follow dispatches: the off-peak price in every dispatch half hour.

On an intelligent tariff, a half hour whose price is not its UK day's lowest and
that overlaps a dispatch window gets the day's lowest price and is flagged
`is_intelligent_adjusted` (the community rule). Windows are the dispatching
sensor's (planned smart dispatches and started dispatches) plus, unless only
started dispatches count, the completed smart dispatches, so yesterday's costs
are priced as Octopus bills them. Bump charges are never adjusted; neither are
export meters or slots of other tariffs. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
import re
from typing import Final

from ...models import RateSlot
from ...timeutil import uk_day
from .model import (
    RATE_MODE_STARTED_ONLY,
    DeviceData,
    Dispatch,
    DispatchRules,
    applicable_windows,
    merge_windows,
)

Window = tuple[datetime, datetime]


INTELLIGENT_PRODUCT: Final = re.compile(
    r"^(INTELLI-BB-VAR|INTELLI-VAR|INTELLI-FIX|IOG|INTELLI-\d)"
)


def is_intelligent_product(product_code: str | None) -> bool:
    """Whether a product is an intelligent one (the community's patterns)."""
    return bool(product_code and INTELLIGENT_PRODUCT.match(product_code))


def is_intelligent_tariff(tariff_code: str) -> bool:
    """Whether a tariff code (`E-1R-{product}-{region}`) is an intelligent one."""
    parts = tariff_code.split("-")
    return len(parts) > 3 and is_intelligent_product("-".join(parts[2:-1]))  # noqa: PLR2004


def rate_windows(devices: Iterable[DeviceData], rules: DispatchRules) -> list[Window]:
    """Every device's windows that turn a half hour into off peak, merged."""
    windows: list[Dispatch] = []
    for device in devices:
        windows.extend(
            Dispatch(start=start, end=end)
            for start, end in applicable_windows(device, rules)
        )
        if rules.rate_mode != RATE_MODE_STARTED_ONLY:
            windows.extend(
                d for d in device.completed if d.source in (None, "smart-charge")
            )
    return merge_windows(windows)


def adjust_slots(
    slots: Sequence[RateSlot], windows: Sequence[Window]
) -> tuple[RateSlot, ...]:
    """The slots with every dispatch half hour at its UK day's lowest price."""
    if not windows:
        return tuple(slots)
    lowest: dict[date, float] = {}
    for slot in slots:
        day = uk_day(slot.start)
        lowest[day] = min(lowest.get(day, slot.value), slot.value)
    adjusted = []
    for slot in slots:
        low = lowest[uk_day(slot.start)]
        if (
            slot.value > low
            and is_intelligent_tariff(slot.tariff_code)
            and any(start < slot.end and end > slot.start for start, end in windows)
        ):
            slot = replace(slot, value=low, is_intelligent_adjusted=True)  # noqa: PLW2901
        adjusted.append(slot)
    return tuple(adjusted)
