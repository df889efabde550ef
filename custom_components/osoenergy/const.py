"""Constants of the OSO Energy integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "osoenergy"
LOGGER = logging.getLogger(__package__)
MANUFACTURER: Final = "OSO Energy"

SCAN_INTERVAL: Final = timedelta(seconds=30)
"""One device-list request per interval and account (the old library's floor)."""

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
"""Power readings further apart than this are not integrated into energy."""
