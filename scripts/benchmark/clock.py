"""Driving Home Assistant's timers through the frozen clock.

`fire_time_changed` does what the harness's `async_fire_time_changed` does (run every
timer due within half a second of the frozen clock, with Home Assistant's time
trackers seeing that moment), without creating two mocks per timer run: the
harness's own bookkeeping would otherwise be counted as main-thread CPU time.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import time

from homeassistant.core import HomeAssistant
from homeassistant.helpers import event
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles

MONOTONIC_RESOLUTION = time.get_clock_info("monotonic").resolution


def fire_time_changed(hass: HomeAssistant) -> None:
    """Run every timer due by the frozen clock (plus the trackers' jitter)."""
    moment = dt_util.utcnow() + timedelta(microseconds=event.RANDOM_MICROSECOND_MAX)
    timestamp = moment.timestamp()
    horizon = hass.loop.time() + MONOTONIC_RESOLUTION + (timestamp - time.time())
    saved = (event.time_tracker_utcnow, event.time_tracker_timestamp)
    event.time_tracker_utcnow = lambda: moment  # type: ignore[assignment]
    event.time_tracker_timestamp = lambda: timestamp
    try:
        for handle in list(get_scheduled_timer_handles(hass.loop)):
            if not isinstance(handle, asyncio.TimerHandle) or handle.cancelled():
                continue
            if handle.when() <= horizon:
                handle._run()  # noqa: SLF001  (as the harness does)
                handle.cancel()
    finally:
        event.time_tracker_utcnow, event.time_tracker_timestamp = saved
