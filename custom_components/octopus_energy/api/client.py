"""The Octopus Energy client: one object per account and API key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp

from .auth import KeyRefusals, TokenManager
from .const import (
    DEFAULT_BACKEND_URL,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
)
from .counter import RequestCounter, utcnow
from .graphql import AccountMixin
from .heat_pump import HeatPumpMixin
from .intelligent import IntelligentMixin
from .octoplus import OctoplusMixin
from .rest import RestMixin
from .transport import Transport


@dataclass(kw_only=True)
class OctopusEnergyClient(
    RestMixin, AccountMixin, IntelligentMixin, OctoplusMixin, HeatPumpMixin
):
    """Talk to the Octopus Energy REST and GraphQL APIs with one API key.

    The session is injected (Home Assistant's shared session) and never closed
    here. `clock` (aware UTC) drives token expiry and the request counter.
    """

    api_key: str = field(repr=False)
    session: aiohttp.ClientSession = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    backend_url: str = DEFAULT_BACKEND_URL
    request_timeout: float = DEFAULT_TIMEOUT
    user_agent: str = DEFAULT_USER_AGENT
    clock: Callable[[], datetime] = field(default=utcnow, repr=False)
    key_refusals: KeyRefusals = field(default_factory=KeyRefusals, repr=False)
    """Refused token requests with the key; pass the entry's own to keep the count
    across clients."""
    request_counter: RequestCounter = field(init=False, repr=False)
    _transport: Transport = field(init=False, repr=False)
    _tokens: TokenManager = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Wire the counter, the transport and the token manager."""
        self.request_counter = RequestCounter(self.clock)
        self._transport = Transport(
            session=self.session,
            counter=self.request_counter,
            request_timeout=self.request_timeout,
            user_agent=self.user_agent,
        )
        self._tokens = TokenManager(
            api_key=self.api_key,
            fetch=self._fetch_token,
            clock=self.clock,
            refusals=self.key_refusals,
        )

    @property
    def tokens(self) -> TokenManager:
        """The token manager (expiry and attempt counts for diagnostics)."""
        return self._tokens
