"""The OSO Energy data coordinator: one device-list request per interval.

What it keeps, beyond the latest answer:

- every heater it has seen, with its last reported data: a heater missing from one
  answer (an empty list, or the heater absent) keeps its device and entities, which
  show unavailable until it is reported again; after MISSING_REPAIR_AFTER a repair
  issue offers its removal. Nothing is deleted without the user. The heaters are
  stored, so a restart while one is missing keeps it too;
- the time of the last good answer: during a cloud outage the entities keep their
  last values, marked stale, until STALE_AFTER has passed;
- a back-off: after failures the next request waits twice as long each time (up to
  MAX_BACKOFF), and at least as long as a rate limit's Retry-After.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
import os
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    DEFAULT_BASE_URL,
    Device,
    OSOEnergyAuthenticationError,
    OSOEnergyClient,
    OSOEnergyError,
    OSOEnergyRateLimitError,
)
from .const import (
    CONF_BASE_URL,
    DOMAIN,
    ENV_BASE_URL,
    ISSUE_HEATER_MISSING,
    LOGGER,
    MAX_BACKOFF,
    MISSING_REPAIR_AFTER,
    REFRESH_COOLDOWN,
    SCAN_INTERVAL,
    STALE_AFTER,
)

type OSOEnergyConfigEntry = ConfigEntry[OSOEnergyCoordinator]

STORE_VERSION = 1
STORE_SAVE_DELAY = 10.0


def api_base_url(data: Mapping[str, Any]) -> str:
    """The API host of an entry: the real cloud unless a development host is set."""
    return str(
        data.get(CONF_BASE_URL) or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    )


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OSOEnergyClient:
    """Build an API client for config-entry (or config-flow) data."""
    return OSOEnergyClient(
        api_key=data[CONF_API_KEY],
        session=async_get_clientsession(hass),
        base_url=api_base_url(data),
    )


def scan_interval(entry: ConfigEntry) -> timedelta:
    """The entry's polling interval: its option, or SCAN_INTERVAL."""
    seconds = entry.options.get(CONF_SCAN_INTERVAL)
    if isinstance(seconds, int | float) and seconds >= SCAN_INTERVAL.total_seconds():
        return timedelta(seconds=seconds)
    return SCAN_INTERVAL


def heater_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """The store of an entry's known heaters."""
    return Store(hass, STORE_VERSION, f"{DOMAIN}.{entry_id}")


def missing_issue_id(device_entry_id: str) -> str:
    """The repair issue of a missing heater, named by its HA device (not its id)."""
    return f"{ISSUE_HEATER_MISSING}_{device_entry_id}"


class OSOEnergyCoordinator(DataUpdateCoordinator[dict[str, Device]]):
    """Fetch every heater of one account; the data maps device id to device.

    The data holds every known heater; `missing` names those the latest answer left
    out, with the time they were first missed.
    """

    config_entry: OSOEnergyConfigEntry

    def __init__(self, hass: HomeAssistant, entry: OSOEnergyConfigEntry) -> None:
        """Create the coordinator and its API client."""
        self.scan_interval = scan_interval(entry)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=self.scan_interval,
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REFRESH_COOLDOWN, immediate=False
            ),
        )
        self.client = create_client(hass, entry.data)
        self.missing: dict[str, datetime] = {}
        self.last_success_time: datetime | None = None
        self._offline: set[str] = set()
        self._failures = 0
        self._auth_failed = False
        self._expired_notified = False
        self._stored_devices: dict[str, Device] = {}
        self._saved = False
        self._polled_at: datetime | None = None
        self._replaces: datetime | None = None
        self._store = heater_store(hass, entry.entry_id)

    # --- stored heaters --------------------------------------------------------

    async def async_load(self) -> None:
        """Load the heaters known before the restart (see the module docstring)."""
        stored = await self._store.async_load() or {}
        for device_id, item in stored.get("devices", {}).items():
            device = Device.from_dict(item.get("raw") or {})
            if device is None or device.device_id != device_id:
                continue
            self._stored_devices[device_id] = device
            since = dt_util.parse_datetime(item.get("missing_since") or "")
            if since is not None:
                self.missing[device_id] = since

    @callback
    def _async_save(self, devices: dict[str, Device]) -> None:
        """Remember the known heaters (only when the set or a missing time changes)."""

        def _data() -> dict[str, Any]:
            return {
                "devices": {
                    device_id: {
                        "raw": device.raw,
                        "missing_since": (
                            since.isoformat()
                            if (since := self.missing.get(device_id))
                            else None
                        ),
                    }
                    for device_id, device in devices.items()
                }
            }

        self._store.async_delay_save(_data, STORE_SAVE_DELAY)

    @callback
    def async_forget_device(self, device_id: str) -> None:
        """Drop a heater the user removed; it is added anew if it ever returns."""
        self.missing.pop(device_id, None)
        if self.data is not None and device_id in self.data:
            self.data = {k: v for k, v in self.data.items() if k != device_id}
            self._async_save(self.data)
            self.async_update_listeners()

    # --- polling ---------------------------------------------------------------

    @callback
    def async_set_scan_interval(self, interval: timedelta) -> None:
        """Poll at a new interval (the options changed) from the next poll on."""
        self.scan_interval = interval
        if not self._failures:
            self.update_interval = interval

    async def async_refresh_after_command(self) -> None:
        """Refresh soon after a command, in place of the next regular poll.

        The poll after the refresh keeps the regular schedule (one interval after
        the poll it replaced), so commands add no request to a day of polls.
        """
        if self._replaces is None and self._polled_at and self.update_interval:
            self._replaces = self._polled_at + self.update_interval
        await self.async_request_refresh()

    def _interval_after(self, replaced: datetime | None, now: datetime) -> timedelta:
        """The wait before the next poll after a good answer."""
        if replaced is None or now >= replaced:
            return self.scan_interval
        return replaced + self.scan_interval - now

    async def _async_update_data(self) -> dict[str, Device]:
        """Fetch the device list; raise so that the failure is logged once."""
        replaced, self._replaces = self._replaces, None
        self._polled_at = dt_util.utcnow()
        try:
            devices = await self.client.get_devices()
        except OSOEnergyAuthenticationError as err:
            self._auth_failed = True
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OSOEnergyRateLimitError as err:
            wait = self._back_off(err.retry_after or 0.0)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(wait))},
            ) from err
        except OSOEnergyError as err:
            self._back_off()
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        now = dt_util.utcnow()
        self._failures = 0
        self._auth_failed = False
        self._expired_notified = False
        self.update_interval = self._interval_after(replaced, now)
        self.last_success_time = now
        reported = {device.device_id: device for device in devices}
        known = self.data if self.data is not None else self._stored_devices
        data = {**known, **reported}
        changed = data.keys() != known.keys()
        for device_id in data.keys() - reported.keys():
            if device_id not in self.missing:
                self.missing[device_id] = now
                changed = True
                LOGGER.info(
                    "Water heater %s is missing from the cloud's answer; it is kept "
                    "(unavailable) until it is reported again",
                    data[device_id].name,
                )
        for device_id in self.missing.keys() & reported.keys():
            del self.missing[device_id]
            changed = True
            LOGGER.info("Water heater %s is reported again", data[device_id].name)
        self._log_connectivity(reported)
        self._async_update_issues(data, now)
        if changed or not self._saved:
            self._saved = True
            self._async_save(data)
        return data

    def _back_off(self, at_least: float = 0.0) -> float:
        """Wait longer before the next request; return the wait in seconds."""
        self._failures += 1
        base = self.scan_interval.total_seconds()
        doubled = base * 2.0 ** (self._failures - 1)
        wait = max(min(doubled, MAX_BACKOFF.total_seconds()), base, at_least)
        self.update_interval = timedelta(seconds=wait)
        return wait

    @callback
    def _async_refresh_finished(self) -> None:
        """Tell the entities once when stale data has become too old to show.

        The base class notifies listeners on the first failure only; the entities
        must also learn when the stale limit passes during a longer outage.
        """
        if self.last_update_success or self._expired_notified or self.fresh:
            return
        self._expired_notified = True
        self.async_update_listeners()

    @property
    def fresh(self) -> bool:
        """Whether the data may be shown: current, or stale for less than the limit."""
        if self._auth_failed:
            return False
        if self.last_update_success:
            return True
        return (
            self.last_success_time is not None
            and dt_util.utcnow() - self.last_success_time < STALE_AFTER
        )

    @property
    def stale(self) -> bool:
        """Whether the data is from before a failed request (and still shown)."""
        return not self.last_update_success and self.fresh

    def present(self, device_id: str) -> bool:
        """Whether the latest answer reported the heater."""
        return self.data is not None and (
            device_id in self.data and device_id not in self.missing
        )

    @callback
    def async_patch_device(self, device_id: str, **changes: Any) -> None:
        """Apply what a command sent to the heater's data, until the next poll.

        The data's freshness is left alone (unlike `async_set_updated_data`).
        """
        if self.data is None or device_id not in self.data:
            return
        self.data = {**self.data, device_id: replace(self.data[device_id], **changes)}
        self.async_update_listeners()

    def _log_connectivity(self, reported: dict[str, Device]) -> None:
        """Log once when a heater loses its cloud connection, once when it is back."""
        offline = {
            device_id for device_id, dev in reported.items() if not dev.connected
        }
        for device_id in offline - self._offline:
            LOGGER.info(
                "Water heater %s is not connected to the cloud",
                reported[device_id].name,
            )
        for device_id in (self._offline - offline) & reported.keys():
            LOGGER.info("Water heater %s is connected again", reported[device_id].name)
        self._offline = offline

    def _async_update_issues(self, data: dict[str, Device], now: datetime) -> None:
        """Offer the removal of heaters missing for long; withdraw it when back."""
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(
            registry, self.config_entry.entry_id
        ):
            ids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            device_id = next(iter(ids & data.keys()), None)
            if device_id is None:
                continue
            issue_id = missing_issue_id(device.id)
            since = self.missing.get(device_id)
            if since is None or now - since < MISSING_REPAIR_AFTER:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
                continue
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=True,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_HEATER_MISSING,
                translation_placeholders={
                    "name": device.name_by_user or device.name or data[device_id].name,
                    "since": dt_util.as_local(since).strftime("%Y-%m-%d %H:%M"),
                },
                data={
                    "entry_id": self.config_entry.entry_id,
                    "device_entry_id": device.id,
                },
            )
