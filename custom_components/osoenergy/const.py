"""Constants of the OSO Energy integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "osoenergy"
LOGGER = logging.getLogger(__package__)
MANUFACTURER: Final = "OSO Energy"

SCAN_INTERVAL: Final = timedelta(seconds=60)
"""One device-list request per interval and account by default, and the shortest
interval the options allow: at most 1,440 polls a day (HA core polls every 30 s)."""

MAX_SCAN_INTERVAL: Final = timedelta(hours=1)
"""The longest polling interval the options allow."""

MAX_BACKOFF: Final = timedelta(minutes=10)
"""After failures the interval doubles each time, up to this."""

STALE_AFTER: Final = timedelta(hours=6)
"""During a cloud outage entities keep their last values (marked stale) this long;
then they show unavailable. Long enough for the outages the cloud has, short enough
that nobody acts on a tank temperature from yesterday."""

MISSING_REPAIR_AFTER: Final = timedelta(days=1)
"""A heater missing from the cloud's answers this long gets a repair issue that
offers its removal (it is never removed without the user)."""

ISSUE_HEATER_MISSING: Final = "heater_missing"

REFRESH_COOLDOWN: Final = 1.0
"""Seconds to wait after a command before the (debounced) refresh."""

CONF_BASE_URL: Final = "base_url"
"""Development only: an entry whose data carries this talks to another API host
(the bundled simulator). It is never offered in the UI."""

ENV_BASE_URL: Final = "OSOENERGY_DEV_API_URL"
"""Development only: when Home Assistant runs with this environment variable set, new
entries talk to that host (the bundled simulator) and remember it. Users of Home
Assistant OS or the container images cannot set it by accident."""

DEFAULT_AWAY_DAYS: Final = 365
"""Away mode switched on without a duration lasts this long (as in HA core)."""

MAX_INTEGRATION_GAP: Final = timedelta(minutes=10)
"""Power readings at most this far apart are integrated exactly (trapezoid rule)."""

MAX_BRIDGED_GAP: Final = STALE_AFTER
"""A longer gap between readings (an outage, a missing or offline heater) is bridged
with an estimate up to this long; beyond it only the energy the tank demonstrably
gained is added."""

ATTR_STALE: Final = "stale"
ATTR_LAST_UPDATE: Final = "last_update"
"""State attributes shown only while the cloud does not answer and entities keep
their last values: `stale: true` and when those values were received."""
