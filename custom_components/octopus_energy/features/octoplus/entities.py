"""Octoplus entities: Power Down / Power Up events and calendars, the points sensor.

All are on the service device "Octoplus ({ACC})" (`octoplus-{ACC}`). The event
entities are fed by the sessions coordinator (the bus events are fired by it) and
trigger only when the payload changes. The Power Down calendar shows the joined
sessions; the Power Up calendar every Power Up session the account can see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import Platform, UnitOfEnergy
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import async_track_utc_time_change
from homeassistant.util import dt as dt_util

from ...entity import (
    CoordinatorEventEntity,
    OctopusEnergyEntity,
    OctopusEnergyMeterEntity,
    account_service_device_info,
    payload_digest,
)
from .baseline import (
    BaselineCoordinator,
    SlotBaseline,
    relevant,
    session_baselines,
    skip_days,
)
from .coordinator import PointsCoordinator, SessionsCoordinator
from .model import OctoplusSessions, Session, power_down_payload, power_up_payload
from .names import Names, Programme, account_prefix


def octoplus_device_info(account_number: str) -> DeviceInfo:
    """The Octoplus service device of the account."""
    return account_service_device_info(
        f"octoplus-{account_number}", f"Octoplus ({account_number})"
    )


def _translation_key(names: Names, platform: str) -> str:
    legacy = "_v18" if names.legacy else ""
    return f"octoplus_{names.programme.value}{legacy}_{platform}"


class OctoplusSessionsEvent(
    CoordinatorEventEntity, OctopusEnergyEntity[SessionsCoordinator]
):
    """The Power Down or Power Up events of one generation of names."""

    def __init__(self, coordinator: SessionsCoordinator, names: Names) -> None:
        """Build the unique id `octopus_energy_{ACC}{suffix}`."""
        account = coordinator.account_number
        super().__init__(
            coordinator,
            platform="event",
            unique_id=f"{account_prefix(account)}{names.event_suffix}",
            device_info=octoplus_device_info(account),
        )
        self.names = names
        self._attr_translation_key = _translation_key(names, "events")
        self._attr_event_types = [names.all_event]

    @property
    def is_power_down(self) -> bool:
        """Whether this is a Power Down entity (the join action's target)."""
        return self.names.programme is Programme.POWER_DOWN

    def _current_payload(self) -> tuple[str, dict[str, Any]] | None:
        data: OctoplusSessions | None = self.coordinator.data
        if data is None:
            return None
        account, now = self.coordinator.account_number, dt_util.utcnow()
        payload = (
            power_down_payload(account, data, now)
            if self.is_power_down
            else power_up_payload(account, data, now)
        )
        return payload_digest(payload), payload

    async def async_join_power_down(self, event_code: str) -> None:
        """Join a Power Down session (both join actions)."""
        await self.coordinator.async_join(event_code)


class OctoplusSessionsCalendar(
    OctopusEnergyEntity[SessionsCoordinator], CalendarEntity
):
    """Joined Power Down sessions, or the Power Up sessions."""

    def __init__(self, coordinator: SessionsCoordinator, names: Names) -> None:
        """Build the unique id `octopus_energy_{ACC}{suffix}`."""
        account = coordinator.account_number
        super().__init__(
            coordinator,
            platform="calendar",
            unique_id=f"{account_prefix(account)}{names.calendar_suffix}",
            device_info=octoplus_device_info(account),
        )
        self.names = names
        self._attr_translation_key = _translation_key(names, "calendar")

    def _sessions(self) -> list[Session]:
        data: OctoplusSessions | None = self.coordinator.data
        if data is None:
            return []
        if self.names.programme is Programme.POWER_DOWN:
            return data.joined_power_down()
        return list(data.power_up)

    def _event(self, session: Session) -> CalendarEvent:
        return CalendarEvent(
            start=dt_util.as_local(session.start),
            end=dt_util.as_local(session.end),
            summary=self.names.calendar_summary,
            uid=session.code or session.id,
        )

    @property
    def event(self) -> CalendarEvent | None:
        """The session in progress, else the next one."""
        now = dt_util.utcnow()
        upcoming = [s for s in self._sessions() if s.end > now]
        return self._event(upcoming[0]) if upcoming else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The sessions overlapping the window."""
        del hass
        return [
            self._event(s)
            for s in self._sessions()
            if s.end > start_date and s.start < end_date
        ]


class OctoplusBaselineSensor(
    OctopusEnergyMeterEntity[BaselineCoordinator], SensorEntity
):
    """A meter's baseline for the current or next half hour of a session.

    Power Down: the joined sessions; Power Up: every Power Up session. Unknown when
    no such session is coming. Disabled by default.
    """

    _attr_entity_registry_enabled_default = False
    _attr_device_class = SensorDeviceClass.ENERGY
    _attr_native_unit_of_measurement = UnitOfEnergy.KILO_WATT_HOUR
    _attr_suggested_display_precision = 3
    _unrecorded_attributes = frozenset({"baselines"})

    def __init__(self, coordinator: BaselineCoordinator, names: Names) -> None:
        """Unique id `{meter}[_export]{baseline suffix}`."""
        meter = coordinator.meter
        super().__init__(
            coordinator,
            meter,
            platform="sensor",
            suffix=f"{meter.export_part}{names.baseline_suffix}",
        )
        self.names = names
        self._attr_translation_key = _translation_key(names, "baseline")

    async def async_added_to_hass(self) -> None:
        """Follow the sessions and every half hour too; complete the history."""
        await super().async_added_to_hass()
        self.coordinator.shown += 1
        self.async_on_remove(self._hidden)
        self.coordinator.async_check()
        self.async_on_remove(
            self.coordinator.sessions.async_add_listener(
                self._handle_coordinator_update
            )
        )
        self.async_on_remove(
            async_track_utc_time_change(
                self.hass, self._handle_tick, minute=(0, 30), second=0
            )
        )

    @callback
    def _hidden(self) -> None:
        self.coordinator.shown -= 1

    @callback
    def _handle_tick(self, _now: datetime) -> None:
        self.async_write_ha_state()

    def _baselines(self) -> tuple[list[SlotBaseline], SlotBaseline | None]:
        now = dt_util.utcnow()
        data = self.coordinator.sessions.data
        programme = self.names.programme
        session = next((s for s in relevant(data, programme) if s.end > now), None)
        if session is None:
            return [], None
        slots = session_baselines(
            session, self.coordinator.data or {}, skip_days(data, programme)
        )
        return slots, next((b for b in slots if b.end > now), None)

    @property
    def native_value(self) -> float | None:
        """The baseline of the current or next half hour of the session."""
        _, slot = self._baselines()
        return round(slot.baseline, 4) if slot else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """That half hour, the session's total and every half hour's baseline."""
        slots, slot = self._baselines()
        return {
            "start": dt_util.as_local(slot.start) if slot else None,
            "end": dt_util.as_local(slot.end) if slot else None,
            "is_incomplete_calculation": slot.is_incomplete_calculation
            if slot
            else None,
            "consumption_items": slot.consumption_items if slot else None,
            "total_baseline": round(sum(b.baseline for b in slots), 4)
            if slots
            else None,
            "baselines": [b.attributes() for b in slots],
        }


class OctoplusPointsSensor(OctopusEnergyEntity[PointsCoordinator], SensorEntity):
    """The Octopoints balance; `redeemable_points` is a multiple of 8."""

    _attr_translation_key = "octoplus_points"
    _attr_state_class = SensorStateClass.TOTAL

    def __init__(self, coordinator: PointsCoordinator) -> None:
        """Unique id `octopus_energy_{ACC}_octoplus_points`."""
        account = coordinator.account_number
        super().__init__(
            coordinator,
            platform="sensor",
            unique_id=f"{account_prefix(account)}_octoplus_points",
            device_info=octoplus_device_info(account),
        )

    @property
    def native_value(self) -> int | None:
        """The balance."""
        data = self.coordinator.data
        return data.balance if data else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The points that can be redeemed now."""
        data = self.coordinator.data
        return {"redeemable_points": data.redeemable if data else None}

    async def async_redeem_points(self, points_to_redeem: int) -> None:
        """Redeem points into account credit."""
        await self.coordinator.async_redeem(points_to_redeem)


def octoplus_entities(
    platform: Platform,
    sessions: SessionsCoordinator,
    points: PointsCoordinator,
    names: tuple[Names, ...],
) -> list[Entity]:
    """The account's entities of one platform (`names`: this entry's generations)."""
    if platform is Platform.EVENT:
        return [OctoplusSessionsEvent(sessions, n) for n in names]
    if platform is Platform.CALENDAR:
        return [OctoplusSessionsCalendar(sessions, n) for n in names]
    if platform is Platform.SENSOR:
        return [OctoplusPointsSensor(points)]
    return []


def baseline_entities(
    coordinator: BaselineCoordinator, names: Iterable[Names]
) -> list[Entity]:
    """A meter's baseline sensors (`names`: the generations it has)."""
    return [OctoplusBaselineSensor(coordinator, n) for n in names]
