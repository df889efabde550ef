"""The Octoplus feature: Power Down, Power Up and Octopoints.

For accounts enrolled in Octoplus (`octoplusAccountInfo.isOctoplusEnrolled`) with
the `feature_octoplus` option on. Two coordinators (see `coordinator`): the
sessions (hourly) and the points (every 6 hours), both restored from their store
so a restart within the interval asks nothing. Entities: the Power Down and Power
Up event entities and calendars under the v19 names, the v18 ones too where the
entity registry already has them (a repair explains the rename), and the points
sensor. Actions: `join_octoplus_power_down_session_event` and its v18 name
`join_octoplus_saving_session_event` (the same), and
`redeem_octoplus_points_into_account_credit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.const import Platform
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
import voluptuous as vol

from ...api import Account, Fuel
from ...const import CONF_FEATURE_OCTOPLUS, DOMAIN
from ...feature import EntityService, Feature
from ...models import ActiveMeter
from ...repairs import DATA_ENTRY_ID
from .baseline import BaselineCoordinator
from .coordinator import PointsCoordinator, SessionsCoordinator
from .entities import (
    OctoplusPointsSensor,
    OctoplusSessionsEvent,
    baseline_entities,
    octoplus_entities,
)
from .names import (
    ATTR_EVENT_CODE,
    ISSUE_RENAMED,
    NAMES,
    SERVICE_JOIN,
    SERVICE_JOIN_V18,
    Names,
    account_prefix,
)

SERVICE_REDEEM = "redeem_octoplus_points_into_account_credit"
ATTR_POINTS = "points_to_redeem"


def _join(name: str) -> EntityService:
    return EntityService(
        name=name,
        platform=Platform.EVENT,
        method="async_join_power_down",
        entity_types=(OctoplusSessionsEvent,),
        accepts=lambda entity: getattr(entity, "is_power_down", False),
        schema={vol.Required(ATTR_EVENT_CODE): cv.string},
    )


def _suffix(names: Names, platform: Platform) -> str:
    return names.event_suffix if platform is Platform.EVENT else names.calendar_suffix


class OctoplusFeature(Feature):
    """Power Down, Power Up and Octopoints of an enrolled account."""

    key = "octoplus"
    option = CONF_FEATURE_OCTOPLUS
    platforms = frozenset({Platform.SENSOR, Platform.EVENT, Platform.CALENDAR})
    services = (
        _join(SERVICE_JOIN),
        _join(SERVICE_JOIN_V18),
        EntityService(
            name=SERVICE_REDEEM,
            platform=Platform.SENSOR,
            method="async_redeem_points",
            entity_types=(OctoplusPointsSensor,),
            schema={
                vol.Required(ATTR_POINTS): vol.All(vol.Coerce(int), vol.Range(min=1))
            },
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.sessions: SessionsCoordinator | None = None
        self.points: PointsCoordinator | None = None
        self.names: dict[Platform, tuple[Names, ...]] = {}
        self.legacy_entity_ids: list[str] = []
        self.baselines: dict[str, BaselineCoordinator] = {}
        self.baseline_names: dict[str, list[Names]] = {}

    @classmethod
    def available(cls, account: Account) -> bool:
        """Only for accounts enrolled in Octoplus."""
        return account.is_octoplus_enrolled

    async def async_setup(self) -> None:
        """Restore both coordinators; retrieve what is not fresh in the background."""
        runtime = self.runtime
        args = (runtime.hass, runtime.entry, runtime.client, runtime.account_number)
        self.sessions = SessionsCoordinator(*args)
        self.points = PointsCoordinator(*args)
        await self.sessions.async_start()
        await self.points.async_start()
        self.names = {
            platform: self._generations(platform)
            for platform in (Platform.EVENT, Platform.CALENDAR)
        }
        for meter in self.runtime.meters.values():
            await self._async_add_baseline(meter)
        self._report_rename()

    async def _async_add_baseline(
        self, meter: ActiveMeter
    ) -> BaselineCoordinator | None:
        """The baseline history of an electricity import meter (new ones only)."""
        if meter.fuel is not Fuel.ELECTRICITY or meter.is_export:
            return None
        if meter.key in self.baselines or self.sessions is None:
            return None
        runtime = self.runtime
        coordinator = BaselineCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            meter,
            runtime.settings,
            sessions=self.sessions,
        )
        await coordinator.async_start()
        self.baselines[meter.key] = coordinator
        self.baseline_names[meter.key] = self._baseline_names(coordinator)
        return coordinator

    def _baseline_names(self, coordinator: BaselineCoordinator) -> list[Names]:
        """v19 baselines always; v18 ones whose entity is already registered."""
        registry = er.async_get(self.runtime.hass)
        meter = coordinator.meter
        found: list[Names] = []
        for names in NAMES:
            if not names.legacy:
                found.append(names)
                continue
            unique_id = (
                f"{meter.unique_id_prefix}{meter.export_part}{names.baseline_suffix}"
            )
            if entity_id := registry.async_get_entity_id("sensor", DOMAIN, unique_id):
                found.append(names)
                self.legacy_entity_ids.append(entity_id)
        return found

    async def async_account_updated(self, account: Account) -> None:  # noqa: ARG002
        """Baselines for electricity meters that appear."""
        for meter in list(self.runtime.meters.values()):
            if (coordinator := await self._async_add_baseline(meter)) is not None:
                self.runtime.add_entities(
                    Platform.SENSOR,
                    baseline_entities(
                        coordinator, self.baseline_names[coordinator.meter.key]
                    ),
                )

    def _generations(self, platform: Platform) -> tuple[Names, ...]:
        """v19 names always; v18 names whose entity is already registered."""
        registry = er.async_get(self.runtime.hass)
        prefix = account_prefix(self.runtime.account_number)
        found: list[Names] = []
        for names in NAMES:
            if not names.legacy:
                found.append(names)
                continue
            unique_id = f"{prefix}{_suffix(names, platform)}"
            if entity_id := registry.async_get_entity_id(
                platform.value, DOMAIN, unique_id
            ):
                found.append(names)
                self.legacy_entity_ids.append(entity_id)
        return tuple(found)

    def _report_rename(self) -> None:
        """The rename repair, while the entry has v18 entities (ignorable)."""
        runtime = self.runtime
        old = self.legacy_entity_ids
        issue_id = f"{ISSUE_RENAMED}_{runtime.entry.entry_id}"
        if not old:
            ir.async_delete_issue(runtime.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            runtime.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_RENAMED,
            translation_placeholders={
                "entities": ", ".join(sorted(old)),
                "old_action": f"{DOMAIN}.{SERVICE_JOIN_V18}",
                "new_action": f"{DOMAIN}.{SERVICE_JOIN}",
            },
            data={DATA_ENTRY_ID: runtime.entry.entry_id},
        )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """The event entities, calendars and the points sensor."""
        if self.sessions is None or self.points is None:
            return ()
        entities = octoplus_entities(
            platform, self.sessions, self.points, self.names.get(platform, ())
        )
        if platform is Platform.SENSOR:
            for coordinator in self.baselines.values():
                entities += baseline_entities(
                    coordinator, self.baseline_names[coordinator.meter.key]
                )
        return entities

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """Sessions, points and each meter's baseline history."""
        return [
            *(c for c in (self.sessions, self.points) if c is not None),
            *self.baselines.values(),
        ]

    def diagnostics(self) -> dict[str, Any]:
        """How many sessions of each programme, and the v18 names in use."""
        data = self.sessions.data if self.sessions else None
        return {
            "power_down_sessions": len(data.power_down) if data else None,
            "power_up_sessions": len(data.power_up) if data else None,
            "legacy_entities": len(self.legacy_entity_ids),
        }
