"""Greenness-forecast entities, on the service device "Greenness Forecast ({ACC})".

- `sensor.…_greenness_forecast_current_index` / `…_next_index`: the greenness
  **score** of the period in progress / of the next period (the community names
  say "index"; the index is an attribute). Disabled by default.
- `binary_sensor.…_greenness_forecast_highlighted`: on inside a greener night.
  Disabled by default.
- `calendar.…_greener_nights`: the greener nights (highlighted periods).

The forecast list is not recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.util import dt as dt_util

from ...api import GreenerNight
from ...entity import OctopusEnergyEntity, account_service_device_info
from ..octoplus.names import account_prefix
from .coordinator import GreennessCoordinator
from .model import Night, current_night, next_night, nights

CALENDAR_SUMMARY = "Octopus Energy Greener Night"


def greenness_device_info(account_number: str) -> DeviceInfo:
    """The greenness-forecast service device of the account."""
    return account_service_device_info(
        f"greenness-forecast-{account_number}",
        f"Greenness Forecast ({account_number})",
    )


class GreennessEntity(OctopusEnergyEntity[GreennessCoordinator]):
    """An entity of the forecast, unique id `octopus_energy_{ACC}{suffix}`."""

    def __init__(
        self, coordinator: GreennessCoordinator, platform: str, suffix: str
    ) -> None:
        """Attach to the greenness-forecast device."""
        account = coordinator.account_number
        super().__init__(
            coordinator,
            platform=platform,
            unique_id=f"{account_prefix(account)}{suffix}",
            device_info=greenness_device_info(account),
        )

    @property
    def periods(self) -> list[Night]:
        """The forecast nights."""
        data: list[GreenerNight] | None = self.coordinator.data
        return nights(data) if data is not None else []


def _current_attributes(periods: list[Night], now: datetime) -> dict[str, Any]:
    current, following = current_night(periods, now), next_night(periods, now)
    empty = dict.fromkeys(
        ("start", "end", "greenness_index", "greenness_score", "is_highlighted")
    )
    return {
        **(current.attributes() if current else empty),
        "next_start": dt_util.as_local(following.start) if following else None,
        "next_end": dt_util.as_local(following.end) if following else None,
        "forecast": [p.attributes() for p in periods],
    }


def _next_attributes(periods: list[Night], now: datetime) -> dict[str, Any]:
    following = next_night(periods, now)
    if following is None:
        return dict.fromkeys(
            ("start", "end", "greenness_index", "greenness_score", "is_highlighted")
        )
    return following.attributes()


@dataclass(frozen=True, kw_only=True)
class GreennessSensorDescription(SensorEntityDescription):
    """A score sensor: which period, which attributes."""

    period_fn: Callable[[list[Night], datetime], Night | None]
    attr_fn: Callable[[list[Night], datetime], dict[str, Any]]


SENSORS: tuple[GreennessSensorDescription, ...] = (
    GreennessSensorDescription(
        key="greenness_forecast_current_index",
        translation_key="greenness_forecast_current_index",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        period_fn=current_night,
        attr_fn=_current_attributes,
    ),
    GreennessSensorDescription(
        key="greenness_forecast_next_index",
        translation_key="greenness_forecast_next_index",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        period_fn=next_night,
        attr_fn=_next_attributes,
    ),
)


class GreennessSensor(GreennessEntity, SensorEntity):
    """The greenness score of the current or the next period."""

    entity_description: GreennessSensorDescription
    _unrecorded_attributes = frozenset({"forecast"})

    def __init__(
        self,
        coordinator: GreennessCoordinator,
        description: GreennessSensorDescription,
    ) -> None:
        """Unique id `octopus_energy_{ACC}_{key}`."""
        super().__init__(coordinator, "sensor", f"_{description.key}")
        self.entity_description = description

    @property
    def native_value(self) -> int | None:
        """The period's score (None when there is no such period)."""
        period = self.entity_description.period_fn(self.periods, dt_util.utcnow())
        return period.night.greenness_score if period else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The period (and for the current one: the next and the forecast)."""
        return self.entity_description.attr_fn(self.periods, dt_util.utcnow())


class GreennessHighlightedBinarySensor(GreennessEntity, BinarySensorEntity):
    """On inside a greener night."""

    _attr_translation_key = "greenness_forecast_highlighted"
    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: GreennessCoordinator) -> None:
        """Unique id `octopus_energy_{ACC}_greenness_forecast_highlighted`."""
        super().__init__(
            coordinator, "binary_sensor", "_greenness_forecast_highlighted"
        )

    @property
    def is_on(self) -> bool:
        """Whether a highlighted period is in progress."""
        current = current_night(self.periods, dt_util.utcnow())
        return current is not None and current.highlighted

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The current period and the next greener night."""
        now = dt_util.utcnow()
        current = current_night(self.periods, now)
        following = next_night(self.periods, now, highlighted=True)
        return {
            "current": current.attributes() if current else None,
            "next_start": dt_util.as_local(following.start) if following else None,
            "next_end": dt_util.as_local(following.end) if following else None,
        }


class GreenerNightsCalendar(GreennessEntity, CalendarEntity):
    """The greener nights."""

    _attr_translation_key = "greener_nights"

    def __init__(self, coordinator: GreennessCoordinator) -> None:
        """Unique id `octopus_energy_{ACC}_greener_nights`."""
        super().__init__(coordinator, "calendar", "_greener_nights")

    def _highlighted(self) -> list[Night]:
        return [p for p in self.periods if p.highlighted]

    @staticmethod
    def _event(period: Night) -> CalendarEvent:
        night = period.night
        return CalendarEvent(
            start=dt_util.as_local(period.start),
            end=dt_util.as_local(period.end),
            summary=CALENDAR_SUMMARY,
            description=(
                f"Greenness {night.greenness_index} (score {night.greenness_score})"
            ),
            uid=night.date.isoformat(),
        )

    def _upcoming(self) -> Night | None:
        now = dt_util.utcnow()
        return next((p for p in self._highlighted() if p.end > now), None)

    @property
    def event(self) -> CalendarEvent | None:
        """The greener night in progress, else the next one."""
        period = self._upcoming()
        return self._event(period) if period else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Index and score of that night."""
        period = self._upcoming()
        return {
            "greenness_index": period.night.greenness_index if period else None,
            "greenness_score": period.night.greenness_score if period else None,
        }

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The greener nights overlapping the window."""
        del hass
        return [
            self._event(p)
            for p in self._highlighted()
            if p.end > start_date and p.start < end_date
        ]


def greenness_entities(
    coordinator: GreennessCoordinator, platform: Platform
) -> list[Entity]:
    """The forecast's entities of one platform."""
    if platform is Platform.SENSOR:
        return [GreennessSensor(coordinator, d) for d in SENSORS]
    if platform is Platform.BINARY_SENSOR:
        return [GreennessHighlightedBinarySensor(coordinator)]
    if platform is Platform.CALENDAR:
        return [GreenerNightsCalendar(coordinator)]
    return []
