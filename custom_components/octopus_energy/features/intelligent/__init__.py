"""The intelligent feature: Intelligent Octopus devices (EVs and chargers).

Available when the account has an electricity import tariff of an intelligent
product (`is_intelligent_product`) and on while the `feature_intelligent` option
is. One `IntelligentCoordinator` polls every device of the account in one
request; each live EV device gets the dispatching binary sensor, the state
sensor and, when its provider can be controlled, the bump-charge and smart-charge
switches, the charge-target number and the ready-by select and time. A device
that appears later gets its entities without a reload; an unknown provider raises
the `unknown_intelligent_provider` repair.

The community `intelligent_settings` of the entry are honoured: manual refresh
mode (`intelligent_manual_dispatches`: no polling, the refresh action only), the
rate mode and the minimum dispatch duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from homeassistant.const import Platform
from homeassistant.core import SupportsResponse, callback
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ...api import Account, Fuel
from ...const import CONF_FEATURE_INTELLIGENT, DOMAIN, LOGGER
from ...feature import EntityService, Feature
from ...models import ActiveMeter, RateSlot
from ...repairs import DATA_ENTRY_ID, hashed
from .adjust import adjust_slots, is_intelligent_product, rate_windows
from .coordinator import IntelligentCoordinator
from .entities import DispatchingBinarySensor, device_entities
from .model import RATE_MODE_PLANNED_AND_STARTED, DispatchRules
from .providers import known

CONF_INTELLIGENT_SETTINGS: Final = "intelligent_settings"
CONF_MANUAL: Final = "intelligent_manual_dispatches"
CONF_RATE_MODE: Final = "intelligent_rate_mode"
CONF_MINIMUM_DURATION: Final = "intelligent_minimum_dispatch_duration_in_minutes"
SERVICE_REFRESH: Final = "refresh_intelligent_dispatches"
SERVICE_HISTORY: Final = "get_point_in_time_intelligent_dispatch_history"
ATTR_POINT_IN_TIME: Final = "point_in_time"
ISSUE_UNKNOWN_PROVIDER: Final = "unknown_intelligent_provider"
PLATFORMS: Final = frozenset(
    {
        Platform.BINARY_SENSOR,
        Platform.SENSOR,
        Platform.SWITCH,
        Platform.NUMBER,
        Platform.SELECT,
        Platform.TIME,
    }
)


def intelligent_settings(
    data: Mapping[str, Any], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The community `intelligent_settings` of an entry (options win)."""
    return {
        **data.get(CONF_INTELLIGENT_SETTINGS, {}),
        **options.get(CONF_INTELLIGENT_SETTINGS, {}),
    }


class IntelligentFeature(Feature):
    """Intelligent Octopus devices, their dispatches and controls."""

    key = "intelligent"
    option = CONF_FEATURE_INTELLIGENT
    platforms = PLATFORMS
    services = (
        EntityService(
            name=SERVICE_REFRESH,
            platform=Platform.BINARY_SENSOR,
            method="async_refresh_dispatches",
            entity_types=(DispatchingBinarySensor,),
            schema={},
        ),
        EntityService(
            name=SERVICE_HISTORY,
            platform=Platform.BINARY_SENSOR,
            method="async_dispatch_history",
            entity_types=(DispatchingBinarySensor,),
            schema={vol.Required(ATTR_POINT_IN_TIME): cv.datetime},
            supports_response=SupportsResponse.ONLY,
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """No coordinator before `async_setup`."""
        super().__init__(*args, **kwargs)
        self.coordinator: IntelligentCoordinator | None = None
        self._with_entities: set[str] = set()

    @classmethod
    def available(cls, account: Account) -> bool:
        """Whether an electricity import tariff active now is intelligent."""
        now = dt_util.utcnow()
        for point in account.electricity_meter_points:
            agreement = point.active_agreement(now)
            if (
                not point.is_export
                and agreement
                and is_intelligent_product(agreement.product_code)
            ):
                return True
        return False

    async def async_setup(self) -> None:
        """Restore the devices, then retrieve (a failure never fails setup).

        In manual mode nothing is requested when stored devices exist.
        """
        runtime = self.runtime
        settings = intelligent_settings(runtime.entry.data, runtime.entry.options)
        manual = bool(settings.get(CONF_MANUAL, False))
        self.coordinator = IntelligentCoordinator(
            runtime.hass,
            runtime.entry,
            runtime.client,
            runtime.account_number,
            manual=manual,
            rules=DispatchRules(
                rate_mode=str(
                    settings.get(CONF_RATE_MODE) or RATE_MODE_PLANNED_AND_STARTED
                ),
                minimum_minutes=int(settings.get(CONF_MINIMUM_DURATION) or 0),
            ),
        )
        await self.coordinator.async_restore()
        if not manual or self.coordinator.data is None:
            await self.coordinator.async_refresh()
        self._with_entities = set(self._device_ids())
        self._check_providers()
        runtime.entry.async_on_unload(
            self.coordinator.async_add_listener(self._on_update)
        )

    def _device_ids(self) -> list[str]:
        data = self.coordinator.data if self.coordinator else None
        return list(data.devices) if data else []

    @callback
    def _on_update(self) -> None:
        """Give devices that appeared their entities; check their providers."""
        coordinator = self.coordinator
        if coordinator is None:
            return
        for device_id in self._device_ids():
            if device_id in self._with_entities:
                continue
            self._with_entities.add(device_id)
            LOGGER.info("An intelligent device was added to the account")
            for platform in self.platforms:
                self.runtime.add_entities(
                    platform, device_entities(coordinator, device_id, platform)
                )
        self._check_providers()

    def _check_providers(self) -> None:
        data = self.coordinator.data if self.coordinator else None
        if data is None:
            return
        runtime = self.runtime
        for device in data.devices.values():
            issue_id = f"{ISSUE_UNKNOWN_PROVIDER}_{hashed(device.device_id)}"
            if known(device.provider):
                ir.async_delete_issue(runtime.hass, DOMAIN, issue_id)
                continue
            ir.async_create_issue(
                runtime.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                is_persistent=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_UNKNOWN_PROVIDER,
                translation_placeholders={"provider": str(device.provider)},
                data={DATA_ENTRY_ID: runtime.entry.entry_id},
            )

    def entities(self, platform: Platform) -> Iterable[Entity]:
        """Every device's entities of the platform."""
        coordinator = self.coordinator
        if coordinator is None:
            return ()
        return [
            entity
            for device_id in self._device_ids()
            for entity in device_entities(coordinator, device_id, platform)
        ]

    def rate_adjustment(
        self, meter: ActiveMeter
    ) -> Callable[[Sequence[RateSlot]], tuple[RateSlot, ...]] | None:
        """How a meter's rates follow the dispatches (None: they do not).

        Electricity import only; slots of intelligent tariffs only (see `adjust`).
        """
        if meter.fuel is not Fuel.ELECTRICITY or meter.is_export:
            return None

        def adjust(slots: Sequence[RateSlot]) -> tuple[RateSlot, ...]:
            coordinator = self.coordinator
            if coordinator is None or coordinator.data is None:
                return tuple(slots)
            windows = rate_windows(coordinator.data.devices.values(), coordinator.rules)
            return adjust_slots(slots, windows)

        return adjust

    def coordinators(self) -> Iterable[DataUpdateCoordinator[Any]]:
        """The intelligent coordinator."""
        return [self.coordinator] if self.coordinator else []

    def diagnostics(self) -> dict[str, Any]:
        """Counts only (device ids and dispatch times are personal)."""
        data = self.coordinator.data if self.coordinator else None
        devices = data.devices.values() if data else ()
        return {
            "devices": [
                {
                    "provider": device.provider,
                    "current_state": device.current_state,
                    "planned_dispatches": len(device.planned),
                    "planned_stale": device.planned_stale,
                    "completed_dispatches": len(device.completed),
                    "started_dispatches": len(device.started),
                    "history_records": len(device.history),
                }
                for device in devices
            ],
            "manual_refresh": bool(self.coordinator and self.coordinator.manual),
        }
