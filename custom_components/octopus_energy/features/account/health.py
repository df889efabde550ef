"""The account's API-health diagnostic sensor.

It replaces the community integration's many `..._data_last_retrieved` sensors.

unique id `octopus_energy_{ACC}_api_health` (entity id
`sensor.octopus_energy_{acc}_api_health`), on the account's service device
`account-{ACC}`. State: the requests sent in the last hour (the client's sliding
counter, token requests included; Octopus allows about 100 per hour per account).
Attributes: `requests_by_operation` (not recorded), `token_requests_last_hour`,
`last_error` and `last_error_time` (the latest API failure any coordinator of the
entry met), `rate_limited` and `rate_limited_until`.

It never calls the API: it refreshes every 5 minutes (the sliding hour moves on)
and at once when a coordinator of the entry meets a new API error; a successful
poll does not write a new state (with 1-minute Home Mini telemetry that would be
2,000 recorded rows a day). It stays available during outages; that
is when it matters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ...api import OctopusEnergyClient, OctopusEnergyError, OctopusEnergyRateLimitError
from ...coordinator import OctopusEnergyCoordinator
from ...entity import account_service_device_info, entity_id_for

REFRESH = timedelta(minutes=5)
TOKEN_OPERATION = "obtain_token"  # noqa: S105 - an operation name


def account_device_identifier(account_number: str) -> str:
    """The account's service device (API health)."""
    return f"account-{account_number}"


def _api_error(coordinator: DataUpdateCoordinator[Any]) -> OctopusEnergyError | None:
    """The coordinator's last API failure (kept even while it serves stale data)."""
    if isinstance(coordinator, OctopusEnergyCoordinator):
        return coordinator.last_error
    return None


class ApiHealthSensor(SensorEntity):
    """Requests in the last hour, last error and rate limiting of one account."""

    _attr_has_entity_name = True
    _attr_translation_key = "api_health"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = "requests"
    _attr_should_poll = False
    _unrecorded_attributes = frozenset({"requests_by_operation"})

    def __init__(
        self,
        client: OctopusEnergyClient,
        account_number: str,
        coordinators: Callable[[], Iterable[DataUpdateCoordinator[Any]]],
    ) -> None:
        """Watch the client's counter and the entry's coordinators (as they come)."""
        self.client = client
        self.coordinators = coordinators
        self._attr_unique_id = f"octopus_energy_{account_number}_api_health"
        self.entity_id = entity_id_for("sensor", self._attr_unique_id)
        self._attr_device_info = account_service_device_info(
            account_device_identifier(account_number),
            f"Octopus Energy ({account_number})",
        )
        self.last_error: str | None = None
        self.last_error_time: datetime | None = None
        self.rate_limited_until: datetime | None = None
        self._seen: set[int] = set()

    async def async_added_to_hass(self) -> None:
        """Listen to every coordinator and refresh once a minute."""
        await super().async_added_to_hass()
        for coordinator in self.coordinators():
            self.async_on_remove(coordinator.async_add_listener(self._handle_update))
        self.async_on_remove(
            async_track_time_interval(self.hass, self._handle_tick, REFRESH)
        )
        self._collect_errors()

    @callback
    def _handle_tick(self, _now: datetime) -> None:
        # A coordinator failing again does not notify its listeners: look anyway
        self._collect_errors()
        self.async_write_ha_state()

    @callback
    def _handle_update(self) -> None:
        if self._collect_errors():
            self.async_write_ha_state()

    def _collect_errors(self) -> bool:
        """Record API failures not seen before (each error object counts once)."""
        found = False
        for coordinator in self.coordinators():
            error = _api_error(coordinator)
            if error is None or id(error) in self._seen:
                continue
            self._seen.add(id(error))
            self._record(error)
            found = True
        if len(self._seen) > 100:  # noqa: PLR2004 - bounded memory
            self._seen.clear()
        return found

    def _record(self, cause: OctopusEnergyError) -> None:
        now = dt_util.utcnow()
        self.last_error = f"{type(cause).__name__}: {cause}"
        self.last_error_time = now
        if isinstance(cause, OctopusEnergyRateLimitError):
            wait = timedelta(seconds=cause.retry_after or 0)
            self.rate_limited_until = now + wait

    @property
    def native_value(self) -> int:
        """Requests sent in the last hour."""
        return self.client.request_counter.requests_last_hour

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Small attributes: counts per operation, last error, rate limiting."""
        by_operation = self.client.request_counter.by_operation()
        until = self.rate_limited_until
        limited = until is not None and until > dt_util.utcnow()
        return {
            "requests_by_operation": by_operation,
            "token_requests_last_hour": by_operation.get(TOKEN_OPERATION, 0),
            "last_error": self.last_error,
            "last_error_time": self.last_error_time,
            "rate_limited": limited,
            "rate_limited_until": until if limited else None,
        }
