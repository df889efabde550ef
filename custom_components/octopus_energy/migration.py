"""Config-entry migrations of the community integration's layouts to VERSION 9.

Mirrors the community integration (octopus-energy.md B.1.9), so its older entries
load and a user can switch back and forth:

- <= 1: `kind = account`; `live_consumption_refresh_in_minutes` becomes the
  electricity and the gas refresh setting.
- <= 2: the keys "Api key" and "Account Id" become `api_key` and `account_id`.
- <= 5: ":8000" is stripped from the Home Pro address.
- <= 6: flat keys move into `home_mini_settings`, `home_pro_settings`,
  `price_cap_settings` and `intelligent_settings`.
- <= 7: the Home Pro settings go unless the address is `http://<ipv4>`.
- <= 8: options are merged into data (this runs first, so flat keys kept in the
  options are nested as well); options are emptied.

Cost-tracker and tariff-comparison entries get the same version bump (their data
is kept as is).
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ACCOUNT_ID,
    CONF_ELECTRICITY_PRICE_CAP,
    CONF_GAS_PRICE_CAP,
    CONF_HOME_MINI_SETTINGS,
    CONF_KIND,
    CONF_LIVE_ELECTRICITY_REFRESH,
    CONF_LIVE_GAS_REFRESH,
    CONF_PRICE_CAP_SETTINGS,
    CONF_SUPPORTS_LIVE_CONSUMPTION,
    CONFIG_VERSION,
    KIND_ACCOUNT,
    LOGGER,
)

OLD_LIVE_REFRESH = "live_consumption_refresh_in_minutes"
OLD_API_KEY = "Api key"
OLD_ACCOUNT_ID = "Account Id"
CONF_HOME_PRO_SETTINGS = "home_pro_settings"
CONF_HOME_PRO_ADDRESS = "home_pro_address"
CONF_HOME_PRO_API_KEY = "home_pro_api_key"
CONF_INTELLIGENT_SETTINGS = "intelligent_settings"
CONF_INTELLIGENT_MANUAL_DISPATCHES = "intelligent_manual_dispatches"
CONF_INTELLIGENT_RATE_MODE = "intelligent_rate_mode"
HOME_PRO_ADDRESS = re.compile(r"^http://[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$")

SECTIONS: dict[str, tuple[str, ...]] = {
    CONF_HOME_MINI_SETTINGS: (
        CONF_SUPPORTS_LIVE_CONSUMPTION,
        CONF_LIVE_ELECTRICITY_REFRESH,
        CONF_LIVE_GAS_REFRESH,
    ),
    CONF_HOME_PRO_SETTINGS: (CONF_HOME_PRO_ADDRESS, CONF_HOME_PRO_API_KEY),
    CONF_PRICE_CAP_SETTINGS: (CONF_ELECTRICITY_PRICE_CAP, CONF_GAS_PRICE_CAP),
    CONF_INTELLIGENT_SETTINGS: (
        CONF_INTELLIGENT_MANUAL_DISPATCHES,
        CONF_INTELLIGENT_RATE_MODE,
    ),
}


def _rename(data: dict[str, Any], old: str, new: str) -> None:
    if old in data:
        data[new] = data.pop(old)


def _nest(data: dict[str, Any]) -> None:
    """Move flat keys into their section (version 6 layout)."""
    for section, keys in SECTIONS.items():
        present = [key for key in keys if key in data]
        if present:
            nested = dict(data.get(section) or {})
            nested.update({key: data.pop(key) for key in present})
            data[section] = nested


def _drop_invalid_home_pro(data: dict[str, Any]) -> None:
    settings = data.get(CONF_HOME_PRO_SETTINGS)
    if not isinstance(settings, dict) or CONF_HOME_PRO_ADDRESS not in settings:
        return
    address = settings[CONF_HOME_PRO_ADDRESS]
    if address is None or not HOME_PRO_ADDRESS.match(str(address)):
        del data[CONF_HOME_PRO_SETTINGS]


def migrate_data(
    version: int, data: Mapping[str, Any], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The VERSION 9 data of an entry at `version` (pure, for tests)."""
    new = {**data, **options} if version <= 8 else dict(data)  # noqa: PLR2004
    if version <= 1:
        new[CONF_KIND] = KIND_ACCOUNT
        if OLD_LIVE_REFRESH in new:
            refresh = new.pop(OLD_LIVE_REFRESH)
            new.setdefault(CONF_LIVE_ELECTRICITY_REFRESH, refresh)
            new.setdefault(CONF_LIVE_GAS_REFRESH, refresh)
    if version <= 2:  # noqa: PLR2004
        new.setdefault(CONF_KIND, KIND_ACCOUNT)
        _rename(new, OLD_API_KEY, "api_key")
        _rename(new, OLD_ACCOUNT_ID, CONF_ACCOUNT_ID)
    if version <= 5 and CONF_HOME_PRO_ADDRESS in new:  # noqa: PLR2004
        new[CONF_HOME_PRO_ADDRESS] = str(new[CONF_HOME_PRO_ADDRESS]).replace(
            ":8000", ""
        )
    if version <= 6:  # noqa: PLR2004
        _nest(new)
    if version <= 7:  # noqa: PLR2004
        _drop_invalid_home_pro(new)
    return new


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Migrate a community entry to VERSION 9; newer versions are refused."""
    if entry.version > CONFIG_VERSION:
        LOGGER.error(
            "Config entry version %s is newer than this integration supports (%s)",
            entry.version,
            CONFIG_VERSION,
        )
        return False
    if entry.version == CONFIG_VERSION:
        return True
    data = migrate_data(entry.version, entry.data, entry.options)
    hass.config_entries.async_update_entry(
        entry, data=data, options={}, version=CONFIG_VERSION
    )
    LOGGER.debug("Migrated config entry to version %s", CONFIG_VERSION)
    return True
