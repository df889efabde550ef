"""Intelligent Octopus (SmartFlex) operations: devices, dispatches and controls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Final

from . import queries
from .const import NO_DISPATCH_DATA_CODES
from .exceptions import OctopusEnergyNotFoundError
from .graphql import GraphQLBase
from .models import (
    ChargeSchedule,
    DeviceCatalogue,
    DeviceSettings,
    IntelligentDevice,
    IntelligentDispatches,
    IntelligentState,
)
from .models._parse import as_dicts

DAYS_OF_WEEK: Final = (
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
)


def _hhmm(value: time | str) -> str:
    """Format a ready-by time as `HH:MM` (a number such as 23.0 is refused, OE#1719)."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    parsed = time.fromisoformat(value)
    return parsed.strftime("%H:%M")


def _number(value: float) -> int | float:
    """Send whole percentages as integers."""
    return int(value) if float(value).is_integer() else value


class IntelligentMixin(GraphQLBase):
    """Operations on intelligent devices (main host)."""

    async def get_intelligent_devices(
        self, account_number: str
    ) -> list[IntelligentDevice]:
        """Return the SmartFlex devices of the account (vehicles, charge points)."""
        data = await self._graphql(
            queries.INTELLIGENT_DEVICES,
            {"accountNumber": account_number},
            operation="get_intelligent_devices",
        )
        devices = (
            IntelligentDevice.from_dict(d) for d in as_dicts(data.get("devices"))
        )
        return [device for device in devices if device is not None]

    async def get_device_catalogue(self) -> DeviceCatalogue:
        """Return the vehicle and charger catalogue (large: cache it)."""
        data = await self._graphql(
            queries.DEVICE_CATALOGUE, {}, operation="get_device_catalogue"
        )
        return DeviceCatalogue.from_dict(data)

    async def get_intelligent_dispatches(
        self, account_number: str, device_id: str
    ) -> IntelligentDispatches:
        """Return planned and completed dispatches; KT-CT-4340 means "no data"."""
        data = await self._graphql(
            queries.INTELLIGENT_DISPATCHES,
            {"accountNumber": account_number, "deviceId": device_id},
            operation="get_intelligent_dispatches",
            accepted=NO_DISPATCH_DATA_CODES,
        )
        return IntelligentDispatches.from_dict(data)

    async def get_intelligent_state(
        self, account_number: str, device_ids: Sequence[str]
    ) -> IntelligentState:
        """Return the devices, their planned dispatches and the completed ones.

        One request: every device with its state and settings, the planned
        dispatches of `device_ids` and the account's completed dispatches.

        KT-CT-4340 ("no dispatch data") is not an error: that device's `planned`
        is None.
        """
        ids = list(device_ids)
        variables: dict[str, str] = {"accountNumber": account_number}
        variables.update({f"deviceId{i}": device_id for i, device_id in enumerate(ids)})
        data = await self._graphql(
            queries.intelligent_state_query(len(ids)),
            variables,
            operation="get_intelligent_state",
            accepted=NO_DISPATCH_DATA_CODES,
        )
        return IntelligentState.from_dict(data, ids)

    async def get_device_settings(
        self, account_number: str, device_id: str
    ) -> DeviceSettings:
        """Return the charging preferences and suspension state of a device."""
        data = await self._graphql(
            queries.DEVICE_SETTINGS,
            {"accountNumber": account_number, "deviceId": device_id},
            operation="get_device_settings",
        )
        settings = DeviceSettings.from_dict(data)
        if settings is None:
            msg = "The intelligent device was not found"
            raise OctopusEnergyNotFoundError(msg)
        return settings

    async def set_device_preferences(
        self,
        device_id: str,
        schedules: Sequence[ChargeSchedule],
        *,
        mode: str = "CHARGE",
        unit: str = "PERCENTAGE",
    ) -> None:
        """Replace the charging schedules (pass them all: nothing is re-read)."""
        payload = []
        for schedule in schedules:
            item: dict[str, object] = {"dayOfWeek": schedule.day_of_week}
            if schedule.time is not None:
                item["time"] = _hhmm(schedule.time)
            if schedule.max is not None:
                item["max"] = _number(schedule.max)
            if schedule.min is not None:
                item["min"] = _number(schedule.min)
            payload.append(item)
        await self._graphql(
            queries.SET_DEVICE_PREFERENCES,
            {
                "input": {
                    "deviceId": device_id,
                    "mode": mode,
                    "unit": unit,
                    "schedules": payload,
                }
            },
            operation="set_device_preferences",
        )

    async def set_charge_target(
        self,
        device_id: str,
        *,
        target_percentage: int,
        ready_by: time | str,
        days: Sequence[str] = DAYS_OF_WEEK,
    ) -> None:
        """Charge to `target_percentage` by `ready_by` on every day in `days`."""
        await self.set_device_preferences(
            device_id,
            [
                ChargeSchedule(
                    day_of_week=day,
                    time=_hhmm(ready_by),
                    min=None,
                    max=float(target_percentage),
                )
                for day in days
            ],
        )

    async def boost_charge(self, device_id: str, *, enable: bool) -> None:
        """Start (`BOOST`) or cancel (`CANCEL`) a boost charge.

        A refusal raises `OctopusEnergyBoostRefusedError` with the reasons.
        """
        await self._graphql(
            queries.UPDATE_BOOST_CHARGE,
            {
                "input": {
                    "deviceId": device_id,
                    "action": "BOOST" if enable else "CANCEL",
                }
            },
            operation="boost_charge",
        )

    async def set_smart_control(self, device_id: str, *, enabled: bool) -> None:
        """Resume (`UNSUSPEND`) or suspend (`SUSPEND`) smart control."""
        await self._graphql(
            queries.UPDATE_SMART_CONTROL,
            {
                "input": {
                    "deviceId": device_id,
                    "action": "UNSUSPEND" if enabled else "SUSPEND",
                }
            },
            operation="set_smart_control",
        )
