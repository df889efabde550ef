"""The greenness-forecast coordinator: `greenerNightsForecast` every 6 hours.

The forecast covers the coming week and changes at most daily, so four requests a
day are plenty (the community integration: every 3 hours). It is stored with its
retrieval time, so a restart within the interval asks nothing. The entities are
told at every 23:00 and 06:00 UK time (a period starts or ends) without a request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ...api import GreenerNight
from ...polled import StoredPollCoordinator
from .model import decode, encode, next_boundary


class GreennessCoordinator(StoredPollCoordinator[list[GreenerNight]]):
    """The greener-nights forecast."""

    interval = timedelta(hours=6)
    phase = timedelta(hours=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Store as `greenness_forecast`."""
        super().__init__(
            *args, name="Greenness forecast", store_key="greenness_forecast", **kwargs
        )
        self._unsub_boundary: CALLBACK_TYPE | None = None

    def _encode(self, data: list[GreenerNight]) -> dict[str, Any]:
        return encode(data)

    def _decode(self, document: dict[str, Any]) -> list[GreenerNight] | None:
        return decode(document)

    async def _async_poll(self) -> list[GreenerNight]:
        return await self.client.get_greener_nights_forecast()

    async def async_start(self) -> None:
        """Restore or retrieve, and follow the period boundaries."""
        await super().async_start()
        self._schedule_boundary()

    def _schedule_boundary(self) -> None:
        self._unsub_boundary = async_track_point_in_utc_time(
            self.hass, self._handle_boundary, next_boundary(dt_util.utcnow())
        )

    @callback
    def _handle_boundary(self, _now: datetime) -> None:
        self._schedule_boundary()
        self.async_update_listeners()

    async def async_shutdown(self) -> None:
        """Stop polling and following the boundaries."""
        await super().async_shutdown()
        if self._unsub_boundary is not None:
            self._unsub_boundary()
            self._unsub_boundary = None
