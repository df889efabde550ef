"""Async client for the OSO Energy water-heater cloud API.

The client holds no state but the subscription key: it uses the aiohttp session it is
given, applies a timeout to every request, treats any 2xx status as success and raises
one exception hierarchy (see `exceptions`). It never logs the key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import re
from typing import Any, Final

import aiohttp

from .exceptions import (
    OSOEnergyAuthenticationError,
    OSOEnergyConnectionError,
    OSOEnergyNotFoundError,
    OSOEnergyRateLimitError,
    OSOEnergyResponseError,
    OSOEnergyServerError,
    OSOEnergyTimeoutError,
)
from .models import PROFILE_HOURS, Device, UserDetails

DEFAULT_BASE_URL: Final = "https://api.osoenergy.no/water-heater-api"
DEFAULT_TIMEOUT: Final = 15.0
AUTH_HEADER: Final = "Ocp-Apim-Subscription-Key"
HTTP_UNAUTHORIZED: Final = 401
HTTP_FORBIDDEN: Final = 403
HTTP_NOT_FOUND: Final = 404
HTTP_TOO_MANY_REQUESTS: Final = 429
HTTP_SERVER_ERROR: Final = 500
_DEVICE_ID = re.compile(r"Device/(?!All$)[^/]+")


def _retry_after(value: str | None) -> float | None:
    """Read a `Retry-After` header: seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _is_api_refusal(text: str) -> bool:
    """Whether a 401/403 body is the API gateway's own answer about the key.

    Azure API Management answers a missing, invalid or unauthorised subscription key
    with a JSON object (`{"statusCode": 401, "message": "Access denied ..."}`). A
    proxy, firewall or CDN in between sends an HTML page or nothing: that says
    nothing about the key and must not make the user re-enter it.
    """
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.keys() & {"statusCode", "message"})


def _describe(method: str, path: str) -> str:
    """Name a request for messages without the device id (a personal identifier)."""
    return f"{method} {_DEVICE_ID.sub('Device/{id}', path)}"


def _holiday_time(moment: datetime) -> str:
    """Format a holiday-mode boundary as the API wants it (UTC, microseconds, Z)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(kw_only=True)
class OSOEnergyClient:
    """Talk to the OSO Energy cloud with one subscription key."""

    api_key: str = field(repr=False)
    session: aiohttp.ClientSession
    base_url: str = DEFAULT_BASE_URL
    request_timeout: float = DEFAULT_TIMEOUT

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """Send one request; return the parsed JSON body (None when empty)."""
        url = f"{self.base_url.rstrip('/')}/1/{path}"
        headers = {
            AUTH_HEADER: self.api_key,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        try:
            async with asyncio.timeout(self.request_timeout):
                response = await self.session.request(
                    method, url, params=params, json=body, headers=headers
                )
                async with response:
                    text = await response.text()
        except TimeoutError as err:
            msg = f"Timeout talking to the OSO Energy API ({_describe(method, path)})"
            raise OSOEnergyTimeoutError(msg) from err
        except aiohttp.ClientError as err:
            msg = f"Error talking to the OSO Energy API: {err.__class__.__name__}"
            raise OSOEnergyConnectionError(msg) from err
        self._raise_for_status(response, text, method, path)
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError as err:
            where = _describe(method, path)
            msg = f"The OSO Energy API sent a body that is not JSON ({where})"
            raise OSOEnergyResponseError(msg, response.status) from err

    @staticmethod
    def _raise_for_status(
        response: aiohttp.ClientResponse, text: str, method: str, path: str
    ) -> None:
        status = response.status
        if 200 <= status < 300:  # noqa: PLR2004
            return
        where = f"{_describe(method, path)}: HTTP {status}"
        if status in (HTTP_UNAUTHORIZED, HTTP_FORBIDDEN):
            if _is_api_refusal(text):
                msg = f"The subscription key was refused ({where})"
                raise OSOEnergyAuthenticationError(msg, status)
            msg = f"Refused by a proxy or gateway, not by the API ({where})"
            raise OSOEnergyResponseError(msg, status)
        if status == HTTP_TOO_MANY_REQUESTS:
            raise OSOEnergyRateLimitError(
                f"Rate limited ({where})",
                status,
                _retry_after(response.headers.get("Retry-After")),
            )
        if status == HTTP_NOT_FOUND:
            raise OSOEnergyNotFoundError(f"Not found ({where})", status)
        if status >= HTTP_SERVER_ERROR:
            raise OSOEnergyServerError(f"Server error ({where})", status)
        raise OSOEnergyResponseError(f"Unexpected response ({where})", status)

    async def get_user_details(self) -> UserDetails:
        """Return the account the key belongs to (`GET /1/User/Details`)."""
        data = await self._request("GET", "User/Details")
        details = UserDetails.from_dict(data) if isinstance(data, dict) else None
        if details is None:
            msg = "The user details name no account"
            raise OSOEnergyAuthenticationError(msg)
        return details

    async def get_devices(self) -> list[Device]:
        """Return every water heater of the account (`GET /1/Device/All`)."""
        data = await self._request("GET", "Device/All")
        if not isinstance(data, list):
            msg = "The device list is not a list"
            raise OSOEnergyResponseError(msg)
        devices = (Device.from_dict(item) for item in data if isinstance(item, dict))
        return [device for device in devices if device is not None]

    async def turn_on(self, device_id: str, *, full_utilization: bool) -> None:
        """Heat now: until the upper limit (full) or for one hour."""
        await self._request(
            "POST",
            f"Device/{device_id}/TurnOn",
            params={"fullUtilizationParam": str(full_utilization)},
        )

    async def turn_off(self, device_id: str, *, full_utilization: bool) -> None:
        """Stop heating: until the lower limit (full) or for one hour."""
        await self._request(
            "POST",
            f"Device/{device_id}/TurnOff",
            params={"fullUtilizationParam": str(full_utilization)},
        )

    async def set_profile(self, device_id: str, hours: Sequence[float]) -> None:
        """Replace the 24-hour target-temperature schedule (index = UTC hour)."""
        if len(hours) != PROFILE_HOURS:
            msg = f"A profile has {PROFILE_HOURS} hours, not {len(hours)}"
            raise ValueError(msg)
        await self._request(
            "PUT", f"Device/{device_id}/Profile", body={"hours": list(hours)}
        )

    async def set_v40_min(self, device_id: str, v40_min: float) -> None:
        """Set the minimum litres of 40 °C mixed water the heater keeps."""
        await self._request("PUT", f"Device/{device_id}/V40Min/{float(v40_min)}")

    async def set_optimization_mode(
        self, device_id: str, option: int, sub_option: int
    ) -> None:
        """Choose who optimises heating (codes are not publicly documented)."""
        await self._request(
            "PUT",
            f"Device/{device_id}/OptimizationMode",
            body={"optimizationOptions": option, "optimizationSubOptions": sub_option},
        )

    async def enable_holiday_mode(
        self, device_id: str, start: datetime, end: datetime
    ) -> None:
        """Put the heater in holiday (away) mode from `start` to `end`."""
        if end <= start:
            msg = "A holiday must end after it starts"
            raise ValueError(msg)
        await self._request(
            "POST",
            f"Device/{device_id}/HolidayMode/{_holiday_time(start)}/{_holiday_time(end)}",
        )

    async def disable_holiday_mode(self, device_id: str) -> None:
        """End holiday (away) mode now."""
        await self._request("DELETE", f"Device/{device_id}/HolidayMode")
