"""What every Octopus Energy coordinator shares: API error mapping."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..api import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyError,
    OctopusEnergyRateLimitError,
)
from ..const import DOMAIN


def api_errors[CoordinatorT: DataUpdateCoordinator[Any], DataT](
    func: Callable[[CoordinatorT], Coroutine[Any, Any, DataT]],
) -> Callable[[CoordinatorT], Coroutine[Any, Any, DataT]]:
    """Map API errors of an update to what HA's coordinator machinery expects.

    Authentication → ConfigEntryAuthFailed (HA starts reauth); rate limit →
    UpdateFailed and no new attempt before Octopus allows it; any other API error →
    UpdateFailed (entities go unavailable, one log line, recovery logged once).
    The API error stays the `__cause__` (the API-health sensor and the repairs
    read it).
    """

    @wraps(func)
    async def update(self: CoordinatorT) -> DataT:
        try:
            return await func(self)
        except OctopusEnergyAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except OctopusEnergyRateLimitError as err:
            if err.retry_after and self.update_interval is not None:
                wait = timedelta(seconds=err.retry_after)
                self.update_interval = max(self.update_interval, wait)
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"seconds": str(round(err.retry_after or 0))},
            ) from err
        except OctopusEnergyError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err

    return update
