"""The consumption feature's actions.

- `refresh_previous_consumption_data` (target: the previous accumulative
  consumption sensors; field `start_date`): re-imports the external statistics day
  by day from `start_date` to yesterday. Requests are sequential (one refresh at a
  time across meters, one consumption and one rates request per week of data) and
  a persistent notification shows the progress after every day.
- `purge_invalid_external_statistic_ids`: clears the statistics of every meter of
  every account entry that has no active tariff (gas `_kwh` and tier ids included,
  lower-cased as the recorder stores them). Returns the cleared ids on request.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any, Final

from homeassistant.components import persistent_notification
from homeassistant.components.recorder.statistics import list_statistic_ids
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.recorder import get_instance
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ...api import Account, OctopusEnergyError
from ...compat import form_schema
from ...const import CONF_KIND, DOMAIN, KIND_ACCOUNT, LOGGER
from ...timeutil import uk_day
from .coordinator import PreviousConsumptionCoordinator
from .statistics import statistic_ids_of

SERVICE_REFRESH: Final = "refresh_previous_consumption_data"
SERVICE_PURGE: Final = "purge_invalid_external_statistic_ids"
ATTR_START_DATE: Final = "start_date"
MAX_HISTORY = timedelta(days=2 * 366)
REFRESH_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_refresh_lock")


@callback
def async_setup_domain_services(hass: HomeAssistant) -> None:
    """Register `purge_invalid_external_statistic_ids` (once, from `async_setup`)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_PURGE,
        _async_purge,
        schema=form_schema({}),
        supports_response=SupportsResponse.OPTIONAL,
    )


def _validate_start(start: date) -> date:
    """`start` must lie between two years ago and yesterday (UK days)."""
    yesterday = uk_day(dt_util.utcnow()) - timedelta(days=1)
    if start > yesterday:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="start_date_in_future",
            translation_placeholders={"latest": yesterday.isoformat()},
        )
    earliest = yesterday - MAX_HISTORY
    if start < earliest:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="start_date_too_early",
            translation_placeholders={"earliest": earliest.isoformat()},
        )
    return start


class _Notice:
    """The translated progress notification of one meter's refresh.

    One notification per entry and meter (two accounts never share one); texts
    come from the `exceptions` translations, with a singular and a plural form.
    """

    def __init__(
        self, hass: HomeAssistant, coordinator: PreviousConsumptionCoordinator
    ) -> None:
        meter = coordinator.meter
        self.hass = hass
        self.notification_id = (
            f"{DOMAIN}_refresh_{coordinator.config_entry.entry_id}_"
            f"{meter.fuel.value}{meter.export_part}"
        )
        self.meter = f"{meter.fuel.value}{meter.export_part.replace('_', ' ')}"
        self.texts: dict[str, str] = {}

    async def async_load(self) -> None:
        self.texts = await async_get_translations(
            self.hass, self.hass.config.language, "exceptions", [DOMAIN]
        )

    def text(self, key: str, count: int | None = None, **values: Any) -> str:
        if count is not None:
            key = f"{key}_{'one' if count == 1 else 'other'}"
            values["count"] = count
        template = self.texts.get(f"component.{DOMAIN}.exceptions.{key}.message", key)
        return template.format(meter=self.meter, **values)

    def show(self, key: str, count: int | None = None, **values: Any) -> None:
        persistent_notification.async_create(
            self.hass,
            self.text(key, count, **values),
            title=self.text("refresh_title"),
            notification_id=self.notification_id,
        )


async def async_refresh_history(
    hass: HomeAssistant, coordinator: PreviousConsumptionCoordinator, start: Any
) -> None:
    """Re-import one meter's statistics from `start`, showing the progress."""
    start = _validate_start(start)
    notice = _Notice(hass, coordinator)
    await notice.async_load()

    def progress(day: date, done: int, total: int) -> None:
        notice.show("refresh_progress", total, done=done, day=day.isoformat())

    lock = hass.data.setdefault(REFRESH_LOCK, asyncio.Lock())
    async with lock:
        progress(start - timedelta(days=1), 0, 0)
        try:
            days = await coordinator.async_import_history(start, progress)
        except OctopusEnergyError as err:
            notice.show("refresh_stopped", error=str(err))
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="refresh_failed",
                translation_placeholders={"error": str(err)},
            ) from err
    notice.show("refresh_finished", days, start=start.isoformat())
    LOGGER.info("Previous consumption statistics re-imported: %s days", days)


def _ids_without_tariff(account: Account) -> set[str]:
    """The statistic ids of the account's meters that have no active tariff."""
    now = dt_util.utcnow()
    ids: set[str] = set()
    for point in [*account.electricity_meter_points, *account.gas_meter_points]:
        if point.active_agreement(now) is not None:
            continue
        for meter in point.meters:
            ids.update(
                statistic_ids_of(
                    point.fuel,
                    meter.serial_number,
                    point.mpxn,
                    is_export=point.is_export,
                )
            )
            if point.is_export:  # the community integration's legacy cost id
                ids.update(
                    i
                    for i in statistic_ids_of(
                        point.fuel, meter.serial_number, point.mpxn, is_export=False
                    )
                    if "_cost" in i
                )
    return ids


async def _async_purge(call: ServiceCall) -> ServiceResponse:
    """Clear the statistics of meters without an active tariff (all entries)."""
    hass = call.hass
    candidates: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is not ConfigEntryState.LOADED:
            continue
        if entry.data.get(CONF_KIND, KIND_ACCOUNT) != KIND_ACCOUNT:
            continue
        candidates |= _ids_without_tariff(entry.runtime_data.account.data)
    if not candidates:
        return {"statistic_ids": []}
    instance = get_instance(hass)
    existing = await instance.async_add_executor_job(
        list_statistic_ids, hass, candidates
    )
    found = sorted(
        row["statistic_id"] for row in existing if row["statistic_id"] in candidates
    )
    if found:
        instance.async_clear_statistics(found)
    return {"statistic_ids": found}
