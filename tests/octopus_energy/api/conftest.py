"""Fixtures for the HTTP-level tests of the Octopus Energy client."""

from __future__ import annotations

import asyncio
import base64
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import re
from typing import Any

import aiohttp
from aioresponses import CallbackResult, aioresponses
import pytest

from custom_components.octopus_energy.api import OctopusEnergyClient
from tests.conftest import MockResponse

API_KEY = "sk_live_SECRETKEY1234567890"
ACCOUNT = "A-AAAA1111"
GRAPHQL_URL = "https://api.octopus.energy/v1/graphql/"
BACKEND_URL = "https://api.backend.octopus.energy/v1/graphql/"
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


def load_json(name: str) -> Any:
    """Load a fixture file."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def make_jwt(expires: datetime | None, marker: str = "1") -> str:
    """Build an unsigned JWT whose payload carries `exp` (and a marker)."""

    def part(data: dict[str, Any]) -> str:
        raw = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        return raw.rstrip("=")

    claims: dict[str, Any] = {"marker": marker}
    if expires is not None:
        claims["exp"] = int(expires.timestamp())
    return f"{part({'alg': 'HS256'})}.{part(claims)}.signature{marker}"


class Clock:
    """A controllable clock for the client."""

    def __init__(self, now: datetime = START) -> None:
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Return the current fake time."""
        return self.now

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**kwargs)


@dataclass
class Call:
    """One GraphQL request the router saw."""

    url: str
    operation: str
    query: str
    variables: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Reply:
    """A queued answer."""

    result: CallbackResult
    repeat: bool = False


@dataclass
class GraphQLRouter:
    """Answer GraphQL requests per operation name, on both hosts."""

    calls: list[Call] = field(default_factory=list)
    replies: dict[str, list[Reply]] = field(default_factory=lambda: defaultdict(list))
    delay: int = 0

    def add(
        self,
        operation: str,
        data: Any = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        status: int = 200,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        repeat: bool = False,
    ) -> None:
        """Queue an answer for `operation`."""
        if body is None:
            payload: dict[str, Any] = {"data": data}
            if errors is not None:
                payload["errors"] = errors
            body = json.dumps(payload)
        result = CallbackResult(
            status=status, body=body, headers=headers, response_class=MockResponse
        )
        self.replies[operation].append(Reply(result, repeat))

    def token(
        self, expires: datetime, *, marker: str = "1", refresh_in: Any = None
    ) -> str:
        """Queue a successful token answer; return the token."""
        token = make_jwt(expires, marker)
        self.add(
            "ObtainKrakenToken",
            {
                "obtainKrakenToken": {
                    "token": token,
                    "refreshToken": f"refresh-{marker}",
                    "refreshExpiresIn": refresh_in
                    if refresh_in is not None
                    else int((expires + timedelta(days=7)).timestamp()),
                }
            },
        )
        return token

    async def handle(self, url: Any, **kwargs: Any) -> CallbackResult:
        """Record the request and return the queued answer."""
        for _ in range(self.delay):
            await asyncio.sleep(0)
        body = kwargs["json"]
        query = body["query"]
        match = re.search(r"(?:query|mutation) (\w+)", query)
        assert match is not None
        variables = body.get("variables") or {}
        for value in _strings(variables):
            # Values travel as variables, never inside the document.
            assert value not in query
        self.calls.append(
            Call(str(url), match.group(1), query, variables, dict(kwargs["headers"]))
        )
        queue = self.replies[match.group(1)]
        assert queue, f"no answer queued for {match.group(1)}"
        reply = queue[0]
        if not reply.repeat:
            queue.pop(0)
        return reply.result

    def operations(self) -> list[str]:
        """Return the operation names seen, in order."""
        return [call.operation for call in self.calls]

    def last(self, operation: str) -> Call:
        """Return the last call of `operation`."""
        return [call for call in self.calls if call.operation == operation][-1]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if len(value) > 3 else []
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.fixture
def clock() -> Clock:
    """Return the fake clock."""
    return Clock()


@pytest.fixture
def router(mock_http: aioresponses) -> GraphQLRouter:
    """Route GraphQL requests of both hosts."""
    graphql = GraphQLRouter()
    mock_http.post(GRAPHQL_URL, callback=graphql.handle, repeat=True)
    mock_http.post(BACKEND_URL, callback=graphql.handle, repeat=True)
    return graphql


@pytest.fixture
def client(session: aiohttp.ClientSession, clock: Clock) -> OctopusEnergyClient:
    """Return the client under test, on the real hosts, with the fake clock."""
    return OctopusEnergyClient(api_key=API_KEY, session=session, clock=clock)


@pytest.fixture
def authed(router: GraphQLRouter, clock: Clock) -> GraphQLRouter:
    """Return the router with one valid token queued."""
    router.token(clock() + timedelta(hours=1))
    return router
