"""Constants of the Octopus Energy integration.

Config-entry keys keep the names of the community integration this one replaces, so
its entries (VERSION 9, `kind` = account) load unchanged.
"""

from __future__ import annotations

import logging
from typing import Final
from zoneinfo import ZoneInfo

DOMAIN: Final = "octopus_energy"
LOGGER = logging.getLogger(__package__)
UK_TZ: Final = ZoneInfo("Europe/London")
"""Octopus days, tariffs and consumption days are Europe/London local days."""

CONFIG_VERSION: Final = 9
"""The community integration's config-entry version; ours stays compatible with it."""

# Config-entry data (community names)
CONF_KIND: Final = "kind"
KIND_ACCOUNT: Final = "account"
KIND_COST_TRACKER: Final = "cost_tracker"
KIND_TARIFF_COMPARISON: Final = "tariff_comparison"
CONF_ACCOUNT_ID: Final = "account_id"
CONF_CALORIFIC_VALUE: Final = "calorific_value"
CONF_FAVOUR_DIRECT_DEBIT_RATES: Final = "favour_direct_debit_rates"
CONF_HOME_MINI_SETTINGS: Final = "home_mini_settings"
CONF_SUPPORTS_LIVE_CONSUMPTION: Final = "supports_live_consumption"
CONF_LIVE_ELECTRICITY_REFRESH: Final = "live_electricity_consumption_refresh_in_minutes"
CONF_LIVE_GAS_REFRESH: Final = "live_gas_consumption_refresh_in_minutes"
CONF_PRICE_CAP_SETTINGS: Final = "price_cap_settings"
CONF_ELECTRICITY_PRICE_CAP: Final = "electricity_price_cap"
CONF_GAS_PRICE_CAP: Final = "gas_price_cap"

# Options of this integration (feature switches; a feature that is off makes no
# requests and creates no entities)
FEATURE_OPTION_PREFIX: Final = "feature_"
CONF_FEATURE_OCTOPLUS: Final = "feature_octoplus"
CONF_FEATURE_WHEEL_OF_FORTUNE: Final = "feature_wheel_of_fortune"
CONF_FEATURE_GREENNESS: Final = "feature_greenness_forecast"
CONF_FEATURE_INTELLIGENT: Final = "feature_intelligent"
CONF_FEATURE_HEAT_PUMP: Final = "feature_heat_pump"

DEFAULT_CALORIFIC_VALUE: Final = 40.0
DEFAULT_LIVE_ELECTRICITY_REFRESH: Final = 1
DEFAULT_LIVE_GAS_REFRESH: Final = 2

# Development only (see README): the API hosts of the bundled simulator
ENV_BASE_URL: Final = "OCTOPUS_ENERGY_DEV_API_URL"
ENV_BACKEND_URL: Final = "OCTOPUS_ENERGY_DEV_BACKEND_URL"
CONF_BASE_URL: Final = "dev_base_url"
CONF_BACKEND_URL: Final = "dev_backend_url"

# Bus events keep the community names: f"octopus_energy_{fuel}_{day}_day_rates" with
# day in previous/current/next, and f"octopus_energy_{fuel}_previous_consumption_rates".
EVENT_PREFIX: Final = "octopus_energy"
EVENT_TARGET_TIMEFRAME_DATA_SOURCE: Final = "target_timeframe_update_data_source"
