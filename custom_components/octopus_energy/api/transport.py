"""One HTTP request: timeout, headers, status and GraphQL error mapping.

Every request is counted, bounded by `asyncio.timeout`, and turned into parsed JSON
or one of the exceptions of `exceptions`. Bodies that are not JSON (an HTML error
page from CloudFront, for example) become a response error, never a crash. Error
messages name the operation and the codes only: never the key, a token or an
account or meter identifier.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
from typing import Any, Final

import aiohttp

from .const import AUTH_ERROR_CODES, NOT_VISIBLE_ERROR_CODES, RATE_LIMIT_ERROR_CODES
from .counter import RequestCounter
from .exceptions import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyBoostRefusedError,
    OctopusEnergyConnectionError,
    OctopusEnergyNotFoundError,
    OctopusEnergyNotVisibleError,
    OctopusEnergyRateLimitError,
    OctopusEnergyResponseError,
    OctopusEnergyServerError,
    OctopusEnergyTimeoutError,
)

_LOGGER = logging.getLogger(__name__)

HTTP_UNAUTHORIZED: Final = 401
HTTP_FORBIDDEN: Final = 403
HTTP_NOT_FOUND: Final = 404
HTTP_TOO_MANY_REQUESTS: Final = 429
HTTP_SERVER_ERROR: Final = 500
_NOT_JSON: Final = object()
CONTEXT_HEADER: Final = "Ha-Integration-Context"
"""Names the operation of each request, so Octopus can attribute the traffic."""


def retry_after_seconds(value: str | None) -> float | None:
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
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _decode(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return _NOT_JSON


def _is_block(text: str) -> bool:
    """Tell whether a 403 is a CloudFront block (rate or IP), not a refused key.

    A block is CloudFront's "Request blocked" page (OE#1731); every response passes
    CloudFront, so the headers do not tell.
    """
    return "request blocked" in text.lower()


def error_codes(body: Any) -> list[str]:
    """Return the `errors[].extensions.errorCode` values of a GraphQL body."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return []
    codes = []
    for error in body["errors"]:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("errorCode") if isinstance(extensions, dict) else None
        codes.append(code if isinstance(code, str) else "UNKNOWN")
    return codes


def _refusal_reasons(body: dict[str, Any]) -> list[str]:
    reasons: list[str] = []
    for error in body.get("errors") or []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        found = (
            extensions.get("boostChargeRefusalReasons")
            if isinstance(extensions, dict)
            else None
        )
        if isinstance(found, list):
            reasons.extend(str(reason) for reason in found)
    return reasons


def raise_for_graphql_errors(
    body: dict[str, Any], operation: str, accepted: Collection[str] = ()
) -> None:
    """Raise the exception matching the GraphQL `errors`, if any.

    Errors whose codes are all in `accepted` (for example KT-CT-4340, "no
    dispatch data") are not errors.
    """
    codes = error_codes(body)
    if not codes or all(code in accepted for code in codes):
        return
    listed = ", ".join(codes)
    if AUTH_ERROR_CODES.intersection(codes):
        msg = f"Octopus Energy refused the credentials ({operation}: {listed})"
        raise OctopusEnergyAuthenticationError(msg, codes=codes)
    if RATE_LIMIT_ERROR_CODES.intersection(codes):
        msg = f"Octopus Energy rate limit reached ({operation}: {listed})"
        raise OctopusEnergyRateLimitError(msg, codes=codes)
    if NOT_VISIBLE_ERROR_CODES.intersection(codes):
        msg = f"The API key may not see this account ({operation}: {listed})"
        raise OctopusEnergyNotVisibleError(msg, codes=codes)
    if reasons := _refusal_reasons(body):
        msg = f"Boost charge refused ({', '.join(reasons)})"
        raise OctopusEnergyBoostRefusedError(msg, reasons, codes=codes)
    msg = f"Octopus Energy GraphQL error ({operation}: {listed})"
    raise OctopusEnergyResponseError(msg, codes=codes)


def raise_for_status(
    response: aiohttp.ClientResponse, text: str, body: Any, operation: str
) -> None:
    """Raise the exception matching an unsuccessful HTTP status."""
    status = response.status
    if 200 <= status < 300:  # noqa: PLR2004
        return
    where = f"{operation}: HTTP {status}"
    codes = error_codes(body)
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if status == HTTP_TOO_MANY_REQUESTS or (
        status == HTTP_FORBIDDEN and _is_block(text)
    ):
        msg = f"Octopus Energy is limiting or blocking requests ({where})"
        raise OctopusEnergyRateLimitError(msg, status, codes, retry_after)
    if status == HTTP_FORBIDDEN and body is _NOT_JSON:
        # A gateway's or proxy's error page, not the API's answer: temporary.
        msg = f"A gateway answered instead of Octopus Energy ({where})"
        raise OctopusEnergyServerError(msg, status, codes)
    if status in (HTTP_UNAUTHORIZED, HTTP_FORBIDDEN):
        msg = f"Octopus Energy refused the credentials ({where})"
        raise OctopusEnergyAuthenticationError(msg, status, codes)
    if status == HTTP_NOT_FOUND:
        raise OctopusEnergyNotFoundError(f"Not found ({where})", status, codes)
    if status >= HTTP_SERVER_ERROR:
        raise OctopusEnergyServerError(f"Server error ({where})", status, codes)
    if isinstance(body, dict) and codes:
        raise_for_graphql_errors(body, where)
    raise OctopusEnergyResponseError(f"Unexpected response ({where})", status, codes)


@dataclass(kw_only=True)
class Transport:
    """Send requests through an injected session and count them."""

    session: aiohttp.ClientSession
    counter: RequestCounter
    request_timeout: float
    user_agent: str

    async def request(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one request and return its parsed JSON body (None when empty)."""
        all_headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json",
            CONTEXT_HEADER: operation,
        }
        all_headers.update(headers or {})
        self.counter.record(operation)
        _LOGGER.debug("Octopus Energy request: %s", operation)
        try:
            async with asyncio.timeout(self.request_timeout):
                response = await self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=all_headers,
                )
                async with response:
                    raw = await response.read()
            text = raw.decode("utf-8", errors="replace")
        except TimeoutError as err:
            msg = f"Timeout talking to the Octopus Energy API ({operation})"
            raise OctopusEnergyTimeoutError(msg) from err
        except aiohttp.ClientError as err:
            msg = (
                f"Error talking to the Octopus Energy API ({operation}): "
                f"{type(err).__name__}"
            )
            raise OctopusEnergyConnectionError(msg) from err
        body = _decode(text)
        raise_for_status(response, text, body, operation)
        if body is _NOT_JSON:
            msg = f"The Octopus Energy API sent a body that is not JSON ({operation})"
            raise OctopusEnergyResponseError(msg, response.status)
        return body

    async def graphql(
        self,
        url: str,
        query: str,
        variables: Mapping[str, Any],
        *,
        operation: str,
        token: str | None,
        accepted: Collection[str] = (),
    ) -> dict[str, Any]:
        """Run a GraphQL document and return its `data` (errors raised)."""
        headers = {"Authorization": token} if token else {}
        body = await self.request(
            "POST",
            url,
            operation=operation,
            json_body={"query": query, "variables": dict(variables)},
            headers=headers,
        )
        if not isinstance(body, dict):
            msg = f"The GraphQL answer is not an object ({operation})"
            raise OctopusEnergyResponseError(msg)
        raise_for_graphql_errors(body, operation, accepted)
        data = body.get("data")
        if data is None and error_codes(body):
            return {}  # only accepted "no data" errors, and no data at all
        if not isinstance(data, dict):
            msg = f"The GraphQL answer has no data ({operation})"
            raise OctopusEnergyResponseError(msg)
        return data
