"""Kraken token management: single-flight, expiry-aware and strictly bounded.

- One token request at a time: concurrent callers share the request in flight.
- The access token's expiry is read from the JWT (`exp`); the token is used for
  its whole life and renewed once it has lapsed (`TOKEN_REFRESH_MARGIN` is zero),
  or when the API refuses it (`invalidate`; the GraphQL call is then retried once
  with the new token). With a positive margin, a token still valid is kept when
  an early renewal fails.
- The refresh token is used while it is valid (`refreshExpiresIn`, an epoch time);
  when it is refused or has expired, the API key is used.
- At most `TOKEN_MAX_ATTEMPTS` token requests per `TOKEN_ATTEMPT_WINDOW`, whatever
  the errors; beyond that the last failure is raised again as an authentication
  error (the key was refused) or a rate-limit error with `retry_after`.
- Refused for good: `key_refused_for_good` is true once at least
  `KEY_REFUSALS_FOR_REAUTH` consecutive token requests with the API key were
  refused over at least `KEY_REFUSAL_PERIOD`; any granted token starts over. Until
  then a refusal is a temporary failure for the caller (Octopus has refused good
  keys with KT-CT-1139 for an hour at a time).

Tokens and the key are never logged or put into exception messages.
"""

from __future__ import annotations

import asyncio
import base64
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import json
import logging
from typing import Any

from .const import (
    KEY_REFUSAL_PERIOD,
    KEY_REFUSALS_FOR_REAUTH,
    TOKEN_ATTEMPT_WINDOW,
    TOKEN_LIFETIME,
    TOKEN_MAX_ATTEMPTS,
    TOKEN_REFRESH_MARGIN,
)
from .exceptions import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyError,
    OctopusEnergyRateLimitError,
    OctopusEnergyResponseError,
)
from .models._parse import as_dict, as_float, as_str

_LOGGER = logging.getLogger(__name__)

type TokenFetcher = Callable[[Mapping[str, str]], Awaitable[dict[str, Any]]]
"""Sends `obtainKrakenToken` with the given input and returns the GraphQL data."""

_EPOCH_THRESHOLD = 1_000_000_000
"""`refreshExpiresIn` above this is an epoch time, below it a number of seconds."""


def token_expiry(token: str) -> datetime | None:
    """Read the `exp` claim of a JWT (the signature is not checked)."""
    parts = token.split(".")
    if len(parts) != 3:  # noqa: PLR2004
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return None
    exp = as_float(claims.get("exp")) if isinstance(claims, dict) else None
    return None if exp is None else datetime.fromtimestamp(exp, UTC)


@dataclass(frozen=True, kw_only=True)
class KrakenToken:
    """An access token with its expiry and the refresh token that came with it."""

    token: str
    expires_at: datetime
    refresh_token: str | None
    refresh_expires_at: datetime | None

    def __repr__(self) -> str:
        """Show the expiry times only."""
        return (
            f"KrakenToken(expires_at={self.expires_at.isoformat()}, "
            f"refresh_expires_at={self.refresh_expires_at})"
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], now: datetime) -> KrakenToken:
        """Parse `obtainKrakenToken`; a response without a token is an error."""
        result = as_dict(data.get("obtainKrakenToken"))
        token = as_str(result.get("token"))
        if token is None:
            msg = "The token response carries no token"
            raise OctopusEnergyResponseError(msg)
        refresh_at = as_float(result.get("refreshExpiresIn"))
        refresh_expires_at = None
        if refresh_at is not None:
            refresh_expires_at = (
                datetime.fromtimestamp(refresh_at, UTC)
                if refresh_at > _EPOCH_THRESHOLD
                else now + timedelta(seconds=refresh_at)
            )
        return cls(
            token=token,
            expires_at=token_expiry(token) or now + TOKEN_LIFETIME,
            refresh_token=as_str(result.get("refreshToken")),
            refresh_expires_at=refresh_expires_at,
        )


@dataclass(kw_only=True)
class KeyRefusals:
    """Consecutive refused token requests with the API key, and when they began.

    Kept by the caller across clients (a retried setup builds a new client), so a
    key refused for hours is recognised even while the entry keeps retrying.
    """

    count: int = 0
    since: datetime | None = None

    def refused(self, now: datetime) -> None:
        """One more refusal."""
        self.count += 1
        self.since = self.since or now

    def reset(self) -> None:
        """A token was granted."""
        self.count = 0
        self.since = None

    def for_good(self, now: datetime) -> bool:
        """At least `KEY_REFUSALS_FOR_REAUTH` refusals over `KEY_REFUSAL_PERIOD`."""
        return (
            self.since is not None
            and self.count >= KEY_REFUSALS_FOR_REAUTH
            and now - self.since >= KEY_REFUSAL_PERIOD
        )


class TokenManager:
    """Hand out a valid Kraken token, requesting one only when needed."""

    def __init__(
        self,
        *,
        api_key: str,
        fetch: TokenFetcher,
        clock: Callable[[], datetime],
        refusals: KeyRefusals | None = None,
    ) -> None:
        """Use `fetch` to send `obtainKrakenToken` and `clock` for the time."""
        self._api_key = api_key
        self._fetch = fetch
        self._clock = clock
        self._token: KrakenToken | None = None
        self._pending: asyncio.Task[str] | None = None
        self._attempts: deque[datetime] = deque()
        self._last_error: OctopusEnergyError | None = None
        self.refusals = refusals if refusals is not None else KeyRefusals()

    @property
    def key_refused_for_good(self) -> bool:
        """Whether the API key has been refused for a sustained period."""
        return self.refusals.for_good(self._clock())

    @property
    def key_refusals(self) -> int:
        """Consecutive refused token requests with the API key (diagnostics)."""
        return self.refusals.count

    @property
    def token(self) -> KrakenToken | None:
        """The current token (for diagnostics: expiry times only in its repr)."""
        return self._token

    @property
    def attempts_in_window(self) -> int:
        """Token requests sent within the attempt window."""
        self._prune()
        return len(self._attempts)

    def _is_fresh(self) -> bool:
        token = self._token
        return token is not None and self._clock() < (
            token.expires_at - TOKEN_REFRESH_MARGIN
        )

    async def async_get_token(self) -> str:
        """Return a valid access token, requesting one if needed (single-flight)."""
        if self._is_fresh() and self._token is not None:
            return self._token.token
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().create_task(self._renew())
        return await asyncio.shield(self._pending)

    def invalidate(self, token: str) -> None:
        """Forget `token` after the API refused it (the refresh token is kept)."""
        current = self._token
        if current is not None and current.token == token:
            self._token = replace(current, expires_at=self._clock())

    async def _renew(self) -> str:
        try:
            return await self._obtain()
        except OctopusEnergyError:
            current = self._token
            if current is not None and self._clock() < current.expires_at:
                _LOGGER.debug("Token renewal failed; the current token is still valid")
                return current.token
            raise

    async def _obtain(self) -> str:
        current = self._token
        if (
            current is not None
            and current.refresh_token is not None
            and current.refresh_expires_at is not None
            and self._clock() < current.refresh_expires_at
        ):
            try:
                return await self._attempt({"refreshToken": current.refresh_token})
            except OctopusEnergyAuthenticationError:
                _LOGGER.debug("The refresh token was refused; using the API key")
        return await self._attempt({"APIKey": self._api_key})

    def _prune(self) -> None:
        horizon = self._clock() - TOKEN_ATTEMPT_WINDOW
        while self._attempts and self._attempts[0] <= horizon:
            self._attempts.popleft()

    def _check_budget(self) -> None:
        self._prune()
        if len(self._attempts) < TOKEN_MAX_ATTEMPTS:
            return
        wait = (
            self._attempts[0] + TOKEN_ATTEMPT_WINDOW - self._clock()
        ).total_seconds()
        codes = (
            self._last_error.codes
            if isinstance(self._last_error, OctopusEnergyResponseError)
            else ()
        )
        if isinstance(self._last_error, OctopusEnergyAuthenticationError):
            msg = "Octopus Energy keeps refusing the API key; not retrying for now"
            raise OctopusEnergyAuthenticationError(msg, codes=codes)
        msg = (
            f"{TOKEN_MAX_ATTEMPTS} token requests within "
            f"{int(TOKEN_ATTEMPT_WINDOW.total_seconds() // 60)} minutes already; "
            f"retry in {int(wait)} s"
        )
        raise OctopusEnergyRateLimitError(msg, codes=codes, retry_after=wait)

    async def _attempt(self, token_input: Mapping[str, str]) -> str:
        self._check_budget()
        self._attempts.append(self._clock())
        try:
            data = await self._fetch(token_input)
            token = KrakenToken.from_dict(data, self._clock())
        except OctopusEnergyError as err:
            self._last_error = err
            if "APIKey" in token_input and isinstance(
                err, OctopusEnergyAuthenticationError
            ):
                self.refusals.refused(self._clock())
            raise
        if "refreshToken" in token_input and token.refresh_token is None:
            token = replace(
                token,
                refresh_token=token_input["refreshToken"],
                refresh_expires_at=self._token.refresh_expires_at
                if self._token
                else None,
            )
        self._token = token
        self._last_error = None
        self.refusals.reset()
        return token.token
