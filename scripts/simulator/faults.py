"""Fault injection and request counting, per operation.

An operation is a short name such as `oso.devices` or `octopus.graphql.account`. A fault
applies to every operation whose name starts with its `operation` prefix ("" = all).
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime
import json
from typing import Any, NamedTuple

from aiohttp import web

FAULT_KINDS = (
    "server_error",  # HTTP 500 (or `status`)
    "html_403",  # an HTML 403 page, as a CDN/WAF sends
    "rate_limit",  # HTTP 429 with Retry-After (Octopus GraphQL: KT-CT-1199 in errors)
    "slow",  # answer after `delay` seconds
    "malformed",  # HTTP 200 with a body that is not JSON
    "refuse",  # drop the connection without an answer
    "auth",  # HTTP 401 (OSO) / KT-CT-1139 (Octopus GraphQL)
    "empty",  # HTTP 200 with an empty JSON list (OSO Device/All: "no heaters")
)


@dataclass
class Fault:
    """One injected fault."""

    kind: str
    operation: str = ""
    status: int | None = None
    delay: float = 0.0
    retry_after: int = 60
    remaining: int | None = None  # None: until cleared

    def matches(self, operation: str) -> bool:
        """Whether this fault applies to `operation`."""
        return operation.startswith(self.operation) and self.remaining != 0


class Logged(NamedTuple):
    """One request of the log: when, which operation, and what it asked for."""

    at: datetime
    operation: str
    target: str = ""
    """What the request was about when an operation covers several things (the
    Octopus rate endpoints: `standard-unit-rates/E-1R-AGILE-24-10-01-C`), else ""."""


@dataclass
class Faults:
    """The active faults and the request log."""

    active: list[Fault] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    log: deque[Logged] = field(default_factory=lambda: deque(maxlen=100_000))

    def add(self, fault: Fault) -> None:
        """Inject a fault."""
        if fault.kind not in FAULT_KINDS:
            msg = f"unknown fault kind {fault.kind!r}; one of {FAULT_KINDS}"
            raise ValueError(msg)
        self.active.append(fault)

    def clear(self) -> None:
        """Remove every fault."""
        self.active.clear()

    def count(self, operation: str, now: datetime, target: str = "") -> None:
        """Record one request."""
        self.counts[operation] += 1
        self.log.append(Logged(now, operation, target))

    def find(self, operation: str) -> Fault | None:
        """Return the first fault for `operation`, using up one of its repetitions."""
        for fault in self.active:
            if fault.matches(operation):
                if fault.remaining is not None:
                    fault.remaining -= 1
                return fault
        return None

    async def response_for(
        self, operation: str, request: web.Request, *, graphql: bool = False
    ) -> web.StreamResponse | None:
        """Return the faulty answer for this request, or None to answer normally."""
        fault = self.find(operation)
        if fault is None:
            return None
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind == "refuse":
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=499)
        return _faulty_response(fault, graphql=graphql)


HTML_403 = "<html><body><h1>403 Forbidden</h1></body></html>"
GRAPHQL_ERRORS = {
    "rate_limit": ("KT-CT-1199", "Too many requests."),
    "auth": ("KT-CT-1139", "Authentication failed."),
}
REST_ERRORS = {
    "rate_limit": (429, {"detail": "Too many requests"}),
    "auth": (401, {"statusCode": 401, "message": "Access denied"}),
}


def _faulty_response(fault: Fault, *, graphql: bool) -> web.Response:
    headers = {"Retry-After": str(fault.retry_after)}
    if fault.kind == "html_403":
        return web.Response(status=403, text=HTML_403, content_type="text/html")
    if fault.kind == "malformed":
        return web.Response(text="{not json", content_type="application/json")
    if fault.kind == "empty":
        return web.json_response([])
    if graphql and fault.kind in GRAPHQL_ERRORS:
        code, message = GRAPHQL_ERRORS[fault.kind]
        return _graphql_error(code, message, headers, 200)
    if fault.kind in REST_ERRORS:
        status, body = REST_ERRORS[fault.kind]
        return web.json_response(body, status=status, headers=headers)
    return web.json_response({"detail": "Server error"}, status=fault.status or 500)


def _graphql_error(
    code: str, message: str, headers: dict[str, str], status: int
) -> web.Response:
    body: dict[str, Any] = {
        "data": None,
        "errors": [{"message": message, "extensions": {"errorCode": code}}],
    }
    return web.Response(
        status=status,
        text=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
