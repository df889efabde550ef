"""The intelligent coordinator: every device of the account in one request per poll.

One `get_intelligent_state` request carries every device with its state and
preferences, each known device's planned dispatches (aliases) and the account's
completed dispatches, so dispatches and settings never cost two requests and a
device added to the account is found by the next poll.

- **Cadence.** Every `ACTIVE_INTERVAL` (5 minutes) while a device is plugged in
  or charging (`ACTIVE_STATES`), else every `IDLE_INTERVAL`; in the community
  integration's manual mode (`intelligent_manual_dispatches`) only when asked
  (`async_manual_refresh`). A refresh after a command replaces the next poll.
- **Budget.** At most `MAX_REQUESTS_PER_HOUR` requests in any rolling hour,
  counting every attempt (polls, refreshes after commands, manual refreshes,
  failures); an automatic poll over it is skipped, a manual one refused.
- **Store.** The devices (state, settings, planned, completed and started
  dispatches, the 48-hour dispatch history) are stored whenever they change and
  restored before the first poll, so a restart shows the last dispatches at once.
- **Failures.** KT-CT-4340 keeps the previous planned dispatches, flagged
  `planned_stale`; any other failure keeps the data for `stale_after`, backing
  off as the base does (`Retry-After` honoured).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from ...api import IntelligentDeviceState, IntelligentState, OctopusEnergyClient
from ...const import DOMAIN, LOGGER
from ...coordinator import OctopusEnergyCoordinator
from ...data import OctopusEnergyConfigEntry
from .model import DeviceData, DispatchRules, updated_device

ACTIVE_INTERVAL: Final = timedelta(minutes=5)
IDLE_INTERVAL: Final = timedelta(minutes=15)
ACTIVE_STATES: Final = frozenset(
    {"SMART_CONTROL_CAPABLE", "SMART_CONTROL_IN_PROGRESS", "BOOSTING"}
)
"""States of a device that is plugged in or charging (new dispatches can appear)."""
MAX_REQUESTS_PER_HOUR: Final = 20
MANUAL_SPACING: Final = timedelta(minutes=1)
RECENT: Final = timedelta(seconds=5)
"""A manual refresh right after another (several targets) reuses its answer."""


def is_intelligent_device(state: IntelligentDeviceState) -> bool:
    """The devices with entities: live electric vehicles and chargers."""
    return state.device.is_live_vehicle_charging


@dataclass(frozen=True, kw_only=True)
class IntelligentData:
    """Every intelligent device of the account, by device id."""

    devices: Mapping[str, DeviceData]
    retrieved_at: datetime | None = None


class IntelligentCoordinator(OctopusEnergyCoordinator[IntelligentData]):
    """Polls every intelligent device of an account in one request."""

    stale_after: ClassVar[timedelta | None] = timedelta(hours=2)

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        account_number: str,
        *,
        manual: bool,
        rules: DispatchRules,
    ) -> None:
        """Poll automatically unless `manual`."""
        super().__init__(
            hass,
            entry,
            client,
            name="Octopus Energy intelligent",
            update_interval=None if manual else ACTIVE_INTERVAL,
            store_key="intelligent",
        )
        self.account_number = account_number
        self.manual = manual
        self.rules = rules
        self.requests: deque[datetime] = deque()
        self._saved: dict[str, Any] | None = None
        self._expected: list[tuple[str, str, Callable[[DeviceData], bool]]] = []

    # Store -----------------------------------------------------------------

    def _from_stored(self, stored: dict[str, Any]) -> IntelligentData | None:
        devices = stored.get("devices")
        if not isinstance(devices, dict):
            return None
        parsed = (
            DeviceData.from_dict(item)
            for item in devices.values()
            if isinstance(item, dict)
        )
        self._saved = stored
        retrieved = stored.get("retrieved_at")
        return IntelligentData(
            devices={d.device_id: d for d in parsed if d is not None},
            retrieved_at=dt_util.parse_datetime(retrieved)
            if isinstance(retrieved, str)
            else None,
        )

    def _to_stored(self, data: IntelligentData) -> dict[str, Any]:
        return {
            "devices": {key: d.to_dict() for key, d in data.devices.items()},
            "retrieved_at": data.retrieved_at.isoformat()
            if data.retrieved_at
            else None,
        }

    # Budget ----------------------------------------------------------------

    def requests_last_hour(self, now: datetime) -> int:
        """Attempts in the rolling hour before `now`."""
        while self.requests and self.requests[0] <= now - timedelta(hours=1):
            self.requests.popleft()
        return len(self.requests)

    def next_allowed(self, now: datetime) -> datetime | None:
        """When a manual refresh is allowed again (None: now)."""
        waits = []
        if self.requests_last_hour(now) >= MAX_REQUESTS_PER_HOUR:
            waits.append(self.requests[0] + timedelta(hours=1))
        if self.last_success is not None and now - self.last_success < MANUAL_SPACING:
            waits.append(self.last_success + MANUAL_SPACING)
        return max(waits) if waits else None

    def next_refresh(self) -> datetime | None:
        """When the next automatic retrieval is due (None in manual mode)."""
        if self.retry_at is not None:
            return self.retry_at
        retrieved = self.data.retrieved_at if self.data else None
        if self.update_interval is None or retrieved is None:
            return None
        return retrieved + self.update_interval

    async def async_manual_refresh(self) -> None:
        """Retrieve now (the refresh action); refused over the limits."""
        now = dt_util.utcnow()
        if self.last_success is not None and now - self.last_success < RECENT:
            return
        if (allowed := self.next_allowed(now)) is not None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="intelligent_refresh_limited",
                translation_placeholders={
                    "time": dt_util.as_local(allowed).strftime("%H:%M:%S"),
                    "maximum": str(MAX_REQUESTS_PER_HOUR),
                },
            )
        await self.async_refresh()
        if not self.last_update_success or self.stale:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="intelligent_refresh_failed",
                translation_placeholders={"error": str(self.last_error)},
            )

    # Retrieval -------------------------------------------------------------

    async def _async_fetch(self) -> IntelligentData:
        now = dt_util.utcnow()
        current = self.data
        if (
            current is not None
            and self.requests_last_hour(now) >= MAX_REQUESTS_PER_HOUR
        ):
            LOGGER.debug(
                "Intelligent poll skipped: %s requests this hour", len(self.requests)
            )
            return current
        known = list(current.devices) if current else []
        answer = await self._async_request(known, now)
        found = [s.device.id for s in answer.devices if is_intelligent_device(s)]
        if any(device_id not in known for device_id in found):
            answer = await self._async_request(found, now)
        data = self._merge(current, answer, now)
        self._set_interval(data)
        await self._async_save_changed(data)
        return data

    async def _async_request(
        self, device_ids: list[str], now: datetime
    ) -> IntelligentState:
        self.requests.append(now)
        return await self.client.get_intelligent_state(self.account_number, device_ids)

    def _merge(
        self, current: IntelligentData | None, answer: IntelligentState, now: datetime
    ) -> IntelligentData:
        previous = current.devices if current else {}
        devices = {
            state.device.id: updated_device(
                previous.get(state.device.id), state, answer.completed, now
            )
            for state in answer.devices
            if is_intelligent_device(state)
        }
        for device in devices.values():
            if (
                device.planned_stale
                and not previous.get(device.device_id, device).planned_stale
            ):
                LOGGER.warning(
                    "Octopus Energy sent no planned dispatches (KT-CT-4340): "
                    "keeping the last known ones"
                )
        self._check_expected(devices)
        return IntelligentData(devices=devices, retrieved_at=now)

    def _set_interval(self, data: IntelligentData) -> None:
        if self.manual:
            self.update_interval = None
            return
        active = any(d.current_state in ACTIVE_STATES for d in data.devices.values())
        self.update_interval = ACTIVE_INTERVAL if active else IDLE_INTERVAL

    async def _async_save_changed(self, data: IntelligentData) -> None:
        document = self._to_stored(data)
        comparable = {k: v for k, v in document.items() if k != "retrieved_at"}
        previous = self._saved or {}
        if {k: v for k, v in previous.items() if k != "retrieved_at"} != comparable:
            await self.async_save(data)
            self._saved = document

    # Commands --------------------------------------------------------------

    def device(self, device_id: str) -> DeviceData | None:
        """A device's data, if the device is known."""
        return self.data.devices.get(device_id) if self.data else None

    def async_set_local(
        self,
        device_id: str,
        changes: Mapping[str, Any],
        *,
        what: str,
        confirmed: Callable[[DeviceData], bool],
    ) -> None:
        """Show a command's effect (`changes`) at once; the next retrieval checks it.

        A retrieval for which `confirmed` is false replaces it and logs `what`.
        """
        if self.data is None or (device := self.device(device_id)) is None:
            return
        self._expected.append((device_id, what, confirmed))
        devices = {**self.data.devices, device_id: replace(device, **changes)}
        self.async_set_updated_data(replace(self.data, devices=devices))

    def _check_expected(self, devices: Mapping[str, DeviceData]) -> None:
        """Log the commands a retrieval does not confirm, then forget them all."""
        for device_id, what, confirmed in self._expected:
            device = devices.get(device_id)
            if device is None or not confirmed(device):
                LOGGER.warning(
                    "%s: not confirmed by Octopus Energy, showing what it reports",
                    what,
                )
        self._expected.clear()
