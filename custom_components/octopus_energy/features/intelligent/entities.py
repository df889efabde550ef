"""Entities of each intelligent device (unique ids `octopus_energy_{DEVICE_ID}_…`).

- `binary_sensor…_intelligent_dispatching`: on inside a merged applicable
  dispatch window (planned smart dispatches and started dispatches, never bump
  charges); it turns on and off exactly at the window boundaries, without a poll.
  Its dispatch lists are limited to the last 24 hours and the next 48 and are
  not recorded.
- `sensor…_intelligent_state`: the device's state.
- Controls, for providers Octopus can control (`controllable`): the smart-charge
  and bump-charge switches, the charge-target number and the ready-by time
  (select, and a disabled time twin with the same unique id). A command shows its
  effect at once and is followed by a refresh that confirms or reverts it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any, Final

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberMode,
)
from homeassistant.components.select import SelectEntity
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.components.time import TimeEntity
from homeassistant.const import PERCENTAGE, EntityCategory, Platform
from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ...api import (
    ChargeSchedule,
    OctopusEnergyBoostRefusedError,
    OctopusEnergyError,
)
from ...const import DOMAIN
from ...entity import OctopusEnergyEntity
from .coordinator import MAX_REQUESTS_PER_HOUR, IntelligentCoordinator
from .model import (
    SOURCE_BUMP,
    DeviceData,
    Dispatch,
    applicable_windows,
    current_and_next,
    history_at,
    recent,
)
from .providers import controllable

ATTRIBUTES_PAST: Final = timedelta(hours=24)
ATTRIBUTES_AHEAD: Final = timedelta(hours=48)
TARGET_TIME_OPTIONS: Final = tuple(
    f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in range(240, 661, 30)
)
"""Ready-by times Octopus offers: 04:00 to 11:00 in 30-minute steps."""
EARLIEST_TARGET, LATEST_TARGET = time(4), time(11)
MIN_CHARGE_TARGET, MAX_CHARGE_TARGET = 10, 100
BUMP_LENGTH: Final = timedelta(hours=1)
"""How long a bump charge is shown after the command (until Octopus plans it)."""


def _local(moment: datetime) -> datetime:
    return dt_util.as_local(moment)


def device_info(device: DeviceData) -> DeviceInfo:
    """The community device: "{make} {model} (Electric Vehicle[ Charger])"."""
    kind = "Electric Vehicle Charger" if device.is_charge_point else "Electric Vehicle"
    label = " ".join(part for part in (device.make, device.model) if part)
    return DeviceInfo(
        identifiers={(DOMAIN, device.device_id)},
        name=f"{label} ({kind})" if label else kind,
        manufacturer=device.make,
        model=device.model,
    )


class IntelligentEntity(OctopusEnergyEntity[IntelligentCoordinator]):
    """An entity of one intelligent device."""

    def __init__(
        self,
        coordinator: IntelligentCoordinator,
        device_id: str,
        platform: str,
        key: str,
    ) -> None:
        """Unique id `octopus_energy_{DEVICE_ID}_{key}`."""
        device = coordinator.device(device_id)
        super().__init__(
            coordinator,
            platform=platform,
            unique_id=f"octopus_energy_{device_id}_{key}",
            device_info=device_info(device or DeviceData(device_id=device_id)),
        )
        self.device_id = device_id

    @property
    def device_data(self) -> DeviceData | None:
        """The device's latest data (None once it left the account)."""
        return self.coordinator.device(self.device_id)

    @property
    def available(self) -> bool:
        """Available while the coordinator has the device."""
        return super().available and self.device_data is not None


class DispatchingBinarySensor(IntelligentEntity, BinarySensorEntity):
    """On while the device is dispatching (see the module doc)."""

    _attr_translation_key = "intelligent_dispatching"
    _unrecorded_attributes = frozenset(
        {"planned_dispatches", "completed_dispatches", "started_dispatches"}
    )

    def __init__(self, coordinator: IntelligentCoordinator, device_id: str) -> None:
        """Unique id `…_intelligent_dispatching`."""
        super().__init__(
            coordinator, device_id, "binary_sensor", "intelligent_dispatching"
        )
        self._unsub_boundary: CALLBACK_TYPE | None = None

    def _windows(self) -> list[tuple[datetime, datetime]]:
        device = self.device_data
        if device is None:
            return []
        return applicable_windows(device, self.coordinator.rules)

    @property
    def is_on(self) -> bool | None:
        """Whether now is inside an applicable window."""
        if self.device_data is None:
            return None
        current, _ = current_and_next(self._windows(), dt_util.utcnow())
        return current is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Small: the dispatches of the last 24 h and the next 48 h, the windows."""
        device = self.device_data
        if device is None:
            return {}
        now = dt_util.utcnow()
        current, following = current_and_next(self._windows(), now)

        def near(items: Iterable[Dispatch]) -> list[dict[str, Any]]:
            return recent(items, now, past=ATTRIBUTES_PAST, ahead=ATTRIBUTES_AHEAD)

        return {
            "planned_dispatches": near(device.planned),
            "completed_dispatches": near(device.completed),
            "started_dispatches": [
                {"start": d["start"], "end": d["end"]} for d in near(device.started)
            ],
            "planned_dispatches_stale": device.planned_stale,
            "provider": device.provider,
            "current_start": _local(current[0]) if current else None,
            "current_end": _local(current[1]) if current else None,
            "next_start": _local(following[0]) if following else None,
            "next_end": _local(following[1]) if following else None,
            "manually_refresh_dispatches": self.coordinator.manual,
            "minimum_dispatch_duration_in_minutes": (
                self.coordinator.rules.minimum_minutes
            ),
        }

    async def async_added_to_hass(self) -> None:
        """Wake up at the next window boundary."""
        await super().async_added_to_hass()
        self._schedule_boundary()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state and wake up at the next window boundary."""
        super()._handle_coordinator_update()
        self._schedule_boundary()

    def _schedule_boundary(self) -> None:
        if self._unsub_boundary is not None:
            self._unsub_boundary()
            self._unsub_boundary = None
        now = dt_util.utcnow()
        boundaries = [b for w in self._windows() for b in w if b > now]
        if boundaries:
            self._unsub_boundary = async_track_point_in_utc_time(
                self.hass,
                HassJob(self._at_boundary, cancel_on_shutdown=True),
                min(boundaries),
            )

    @callback
    def _at_boundary(self, _now: datetime) -> None:
        self._unsub_boundary = None
        self.async_write_ha_state()
        self._schedule_boundary()

    async def async_will_remove_from_hass(self) -> None:
        """Stop the boundary timer."""
        if self._unsub_boundary is not None:
            self._unsub_boundary()
            self._unsub_boundary = None
        await super().async_will_remove_from_hass()

    async def async_refresh_dispatches(self) -> None:
        """The `refresh_intelligent_dispatches` action."""
        await self.coordinator.async_manual_refresh()

    async def async_dispatch_history(self, point_in_time: datetime) -> dict[str, Any]:
        """The `get_point_in_time_intelligent_dispatch_history` action (no request)."""
        device = self.device_data
        if device is None or not device.history:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=(
                    "point_in_time_intelligent_dispatch_history_data_unavailable"
                ),
            )
        moment = dt_util.as_utc(point_in_time)
        record = history_at(device, moment)
        if record is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=(
                    "point_in_time_intelligent_dispatch_history_data_out_of_bounds"
                ),
                translation_placeholders={
                    "earliest": dt_util.as_local(
                        device.history[0].timestamp
                    ).isoformat()
                },
            )
        return record.to_dict()


class IntelligentStateSensor(IntelligentEntity, SensorEntity):
    """The device's `status.currentState`."""

    _attr_translation_key = "intelligent_state"

    def __init__(self, coordinator: IntelligentCoordinator, device_id: str) -> None:
        """Unique id `…_intelligent_state`."""
        super().__init__(coordinator, device_id, "sensor", "intelligent_state")

    @property
    def native_value(self) -> str | None:
        """The state as Octopus reports it."""
        device = self.device_data
        return device.current_state if device else None


class RetrievedSensor(IntelligentEntity, SensorEntity):
    """When the device's data was last retrieved (diagnostic, disabled).

    The community integration had one for dispatches and one for settings; one
    request now carries both, so both show the same retrieval. The dispatches
    one also shows the hourly request limit (for the manual-refresh blueprint).
    """

    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False
    _unrecorded_attributes = frozenset(
        {
            "attempts",
            "next_refresh",
            "requests_current_hour",
            "request_limits_last_reset",
        }
    )

    def __init__(
        self, coordinator: IntelligentCoordinator, device_id: str, key: str
    ) -> None:
        """Unique id `…_intelligent_{dispatches|settings}_data_last_retrieved`."""
        super().__init__(coordinator, device_id, "sensor", key)
        self._attr_translation_key = key
        self._limits = key == KEY_DISPATCHES_RETRIEVED

    @property
    def available(self) -> bool:
        """Available while the device is known, also after failures (last_error)."""
        return self.device_data is not None

    @property
    def native_value(self) -> datetime | None:
        """The last successful retrieval."""
        data = self.coordinator.data
        return data.retrieved_at if data else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Attempts since the last success, the next retrieval, the last error."""
        coordinator = self.coordinator
        now = dt_util.utcnow()
        attributes: dict[str, Any] = {
            "attempts": coordinator.failures + 1,
            "next_refresh": coordinator.next_refresh(),
            "last_error": str(coordinator.last_error)
            if coordinator.last_error
            else None,
        }
        if self._limits:
            attributes |= {
                "requests_current_hour": coordinator.requests_last_hour(now),
                "maximum_requests_per_hour": MAX_REQUESTS_PER_HOUR,
                "request_limits_last_reset": coordinator.requests[0]
                if coordinator.requests
                else None,
            }
        return attributes


KEY_DISPATCHES_RETRIEVED: Final = "intelligent_dispatches_data_last_retrieved"
KEY_SETTINGS_RETRIEVED: Final = "intelligent_settings_data_last_retrieved"


# Controls --------------------------------------------------------------------


class IntelligentControl(IntelligentEntity):
    """A control: a command shows its effect at once, then a refresh follows."""

    async def _async_command(
        self,
        command: Callable[[], Awaitable[None]],
        changes: dict[str, Any],
        what: str,
        confirmed: Callable[[DeviceData], bool],
    ) -> None:
        """Send a command; apply `changes` locally and refresh to confirm them."""
        try:
            await command()
        except OctopusEnergyBoostRefusedError as err:
            key = f"bump_charge_refused_{next(iter(err.reasons), '').lower()}"
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=key if key in REFUSAL_KEYS else "bump_charge_refused",
                translation_placeholders={"reasons": ", ".join(err.reasons)},
            ) from err
        except OctopusEnergyError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="intelligent_command_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self.coordinator.async_set_local(
            self.device_id,
            changes,
            what=f"{self.entity_id}: {what}",
            confirmed=confirmed,
        )
        await self.coordinator.async_request_refresh()

    async def _async_set_schedules(
        self,
        change: Callable[[ChargeSchedule], ChargeSchedule],
        what: str,
        confirmed: Callable[[DeviceData], bool],
    ) -> None:
        """Rewrite every schedule with `change` (nothing is re-read first)."""
        device = self.device_data
        if device is None or not device.schedules:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="intelligent_no_schedules",
            )
        schedules = tuple(change(schedule) for schedule in device.schedules)
        client = self.coordinator.client

        async def command() -> None:
            await client.set_device_preferences(self.device_id, schedules)

        await self._async_command(command, {"schedules": schedules}, what, confirmed)


REFUSAL_KEYS: Final = frozenset(
    f"bump_charge_refused_{code.lower()}"
    for code in (
        "BC_DEVICE_NOT_YET_LIVE",
        "BC_DEVICE_RETIRED",
        "BC_DEVICE_SUSPENDED",
        "BC_DEVICE_DISCONNECTED",
        "BC_DEVICE_NOT_AT_HOME",
        "BC_BOOST_CHARGE_IN_PROGRESS",
        "BC_DEVICE_FULLY_CHARGED",
    )
)


@dataclass(frozen=True, kw_only=True)
class SwitchDescription:
    """A switch: its key, value, API command and local effect of a command."""

    key: str
    value_fn: Callable[[DeviceData, datetime], bool | None]
    command: Callable[[IntelligentCoordinator, str, bool], Awaitable[None]]
    local_fn: Callable[[DeviceData, bool, datetime], dict[str, Any]]


def _bump_on(device: DeviceData, now: datetime) -> bool:
    return any(d.is_bump and d.covers(now) for d in device.planned)


def _bump_local(device: DeviceData, on: bool, now: datetime) -> dict[str, Any]:
    """A bump charge from now (for an hour) or none covering now."""
    kept = tuple(d for d in device.planned if not (d.is_bump and d.covers(now)))
    if on:
        bump = Dispatch(start=now, end=now + BUMP_LENGTH, source=SOURCE_BUMP)
        kept = tuple(sorted((*kept, bump), key=lambda d: d.start))
    return {"planned": kept}


def _smart_on(device: DeviceData, _now: datetime) -> bool | None:
    return None if device.is_suspended is None else not device.is_suspended


SWITCHES: Final = (
    SwitchDescription(
        key="intelligent_bump_charge",
        value_fn=_bump_on,
        command=lambda c, device_id, on: c.client.boost_charge(device_id, enable=on),
        local_fn=_bump_local,
    ),
    SwitchDescription(
        key="intelligent_smart_charge",
        value_fn=_smart_on,
        command=lambda c, device_id, on: c.client.set_smart_control(
            device_id, enabled=on
        ),
        local_fn=lambda _device, on, _now: {"is_suspended": not on},
    ),
)


class IntelligentSwitch(IntelligentControl, SwitchEntity):
    """Bump charge or smart charge."""

    def __init__(
        self,
        coordinator: IntelligentCoordinator,
        device_id: str,
        description: SwitchDescription,
    ) -> None:
        """Unique id `…_{key}`."""
        super().__init__(coordinator, device_id, "switch", description.key)
        self.description = description
        self._attr_translation_key = description.key

    @property
    def is_on(self) -> bool | None:
        """Whether the switch is on."""
        device = self.device_data
        return (
            None
            if device is None
            else self.description.value_fn(device, dt_util.utcnow())
        )

    async def _async_turn(self, on: bool) -> None:
        coordinator = self.coordinator
        device = self.device_data
        if device is None:
            return

        async def command() -> None:
            await self.description.command(coordinator, self.device_id, on)

        changes = self.description.local_fn(device, on, dt_util.utcnow())
        value_fn = self.description.value_fn
        await self._async_command(
            command,
            changes,
            "on" if on else "off",
            lambda reported: value_fn(reported, dt_util.utcnow()) == on,
        )

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Start a bump charge / resume smart charging."""
        await self._async_turn(True)  # noqa: FBT003

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002
        """Cancel the bump charge / suspend smart charging."""
        await self._async_turn(False)  # noqa: FBT003


class ChargeTargetNumber(IntelligentControl, NumberEntity):
    """The target state of charge (%), 10-100."""

    _attr_translation_key = "intelligent_charge_target"
    _attr_native_min_value = MIN_CHARGE_TARGET
    _attr_native_max_value = MAX_CHARGE_TARGET
    _attr_native_step = 1
    _attr_mode = NumberMode.BOX
    _attr_device_class = NumberDeviceClass.BATTERY
    _attr_native_unit_of_measurement = PERCENTAGE

    def __init__(self, coordinator: IntelligentCoordinator, device_id: str) -> None:
        """Unique id `…_intelligent_charge_target`."""
        super().__init__(coordinator, device_id, "number", "intelligent_charge_target")

    @property
    def native_value(self) -> float | None:
        """The target state of charge."""
        device = self.device_data
        return device.charge_target if device else None

    async def async_set_native_value(self, value: float) -> None:
        """Set the target of every day's schedule."""
        target = float(round(value))
        await self._async_set_schedules(
            lambda schedule: replace(schedule, max=target),
            f"{target:g} %",
            lambda reported: reported.charge_target == target,
        )


class TargetTimeBase(IntelligentControl):
    """The ready-by time, as `HH:MM` in the data (select and time share it)."""

    _attr_translation_key = "intelligent_target_time"

    @property
    def _target(self) -> str | None:
        device = self.device_data
        return device.target_time if device else None

    async def _async_set_time(self, value: str) -> None:
        await self._async_set_schedules(
            lambda schedule: replace(schedule, time=value),
            value,
            lambda reported: reported.target_time == value,
        )


class TargetTimeSelect(TargetTimeBase, SelectEntity):
    """The ready-by time, one of 04:00-11:00 in 30-minute steps."""

    def __init__(self, coordinator: IntelligentCoordinator, device_id: str) -> None:
        """Unique id `…_intelligent_target_time` (as the time entity's)."""
        super().__init__(coordinator, device_id, "select", "intelligent_target_time")
        self._attr_options = list(TARGET_TIME_OPTIONS)

    @property
    def current_option(self) -> str | None:
        """The ready-by time."""
        return self._target

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """`raw_time`: the time as Octopus sends it."""
        device = self.device_data
        first = device.schedules[0].time if device and device.schedules else None
        return {"raw_time": first}

    async def async_select_option(self, option: str) -> None:
        """Set the ready-by time of every day's schedule."""
        await self._async_set_time(option)


class TargetTimeTime(TargetTimeBase, TimeEntity):
    """The ready-by time as a free time (disabled by default)."""

    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: IntelligentCoordinator, device_id: str) -> None:
        """Unique id `…_intelligent_target_time` (as the select's)."""
        super().__init__(coordinator, device_id, "time", "intelligent_target_time")

    @property
    def native_value(self) -> time | None:
        """The ready-by time."""
        value = self._target
        return time.fromisoformat(value) if value else None

    async def async_set_value(self, value: time) -> None:
        """Set the ready-by time (04:00-11:00) of every day's schedule."""
        if not EARLIEST_TARGET <= value <= LATEST_TARGET:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="intelligent_target_time_out_of_range",
                translation_placeholders={
                    "earliest": TARGET_TIME_OPTIONS[0],
                    "latest": TARGET_TIME_OPTIONS[-1],
                },
            )
        await self._async_set_time(value.strftime("%H:%M"))


def device_entities(
    coordinator: IntelligentCoordinator, device_id: str, platform: Platform
) -> list[Entity]:
    """The entities of one device on one platform (controls if controllable)."""
    device = coordinator.device(device_id)
    if device is None:
        return []
    if platform is Platform.BINARY_SENSOR:
        return [DispatchingBinarySensor(coordinator, device_id)]
    if platform is Platform.SENSOR:
        return [
            IntelligentStateSensor(coordinator, device_id),
            RetrievedSensor(coordinator, device_id, KEY_DISPATCHES_RETRIEVED),
            RetrievedSensor(coordinator, device_id, KEY_SETTINGS_RETRIEVED),
        ]
    if not controllable(device.provider):
        return []
    controls: dict[Platform, Callable[[], list[Entity]]] = {
        Platform.SWITCH: lambda: [
            IntelligentSwitch(coordinator, device_id, d) for d in SWITCHES
        ],
        Platform.NUMBER: lambda: [ChargeTargetNumber(coordinator, device_id)],
        Platform.SELECT: lambda: [TargetTimeSelect(coordinator, device_id)],
        Platform.TIME: lambda: [TargetTimeTime(coordinator, device_id)],
    }
    build = controls.get(platform)
    return build() if build else []
