"""GraphQL execution, plus the account and smart-meter telemetry operations.

Execution picks the host, adds the token and retries once after a refused token.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from . import queries
from .auth import TokenManager
from .const import GRAPHQL_PATH, NOT_VISIBLE_ERROR_CODES
from .exceptions import OctopusEnergyAuthenticationError, OctopusEnergyNotVisibleError
from .models import Account, TelemetryReading, parse_telemetry
from .transport import Transport


def iso_utc(moment: datetime) -> str:
    """Format an aware datetime as UTC ISO 8601 with `Z` (naive is refused)."""
    if moment.tzinfo is None:
        msg = "Times sent to Octopus Energy must be timezone-aware"
        raise ValueError(msg)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_account_number(account_number: str) -> str:
    """An account number as Kraken spells it: trimmed, upper case (A-AAAA1111)."""
    return account_number.strip().upper()


class GraphQLBase:
    """Run GraphQL documents on the main or the backend host."""

    base_url: str
    backend_url: str
    _transport: Transport
    _tokens: TokenManager

    def _graphql_url(self, *, backend: bool) -> str:
        return (self.backend_url if backend else self.base_url).rstrip(
            "/"
        ) + GRAPHQL_PATH

    async def _fetch_token(self, token_input: Mapping[str, str]) -> dict[str, Any]:
        """Send `obtainKrakenToken` (no Authorization header)."""
        return await self._transport.graphql(
            self._graphql_url(backend=False),
            queries.AUTHENTICATE,
            {"input": dict(token_input)},
            operation="obtain_token",
            token=None,
        )

    async def _graphql(
        self,
        query: str,
        variables: Mapping[str, Any],
        *,
        operation: str,
        backend: bool = False,
        accepted: Collection[str] = (),
    ) -> dict[str, Any]:
        """Run a document with a valid token; retry once if the token is refused."""
        url = self._graphql_url(backend=backend)
        token = await self._tokens.async_get_token()
        try:
            return await self._transport.graphql(
                url,
                query,
                variables,
                operation=operation,
                token=token,
                accepted=accepted,
            )
        except OctopusEnergyAuthenticationError:
            self._tokens.invalidate(token)
            fresh = await self._tokens.async_get_token()
            if fresh == token:
                raise
        return await self._transport.graphql(
            url, query, variables, operation=operation, token=fresh, accepted=accepted
        )


class AccountMixin(GraphQLBase):
    """Account and Home Mini operations."""

    async def get_account(self, account_number: str) -> Account:
        """Return the account: properties, meter points, meters, agreements, Octoplus.

        The number is sent trimmed and upper-cased (Kraken's spelling). Raises
        `OctopusEnergyNotVisibleError` (a not-found error) when the API returns no
        account: it does not exist or the key may not see it (KT-CT-1111). A
        KT-CT-1111 on `octoplusAccountInfo` alone (an account Octoplus does not let
        the key see, OE#885) only means "not enrolled".
        """
        data = await self._graphql(
            queries.ACCOUNT,
            {"accountNumber": normalize_account_number(account_number)},
            operation="get_account",
            accepted=NOT_VISIBLE_ERROR_CODES,
        )
        account = Account.from_dict(account_number, data)
        if account is None:
            msg = "The account was not found, or the API key may not see it"
            raise OctopusEnergyNotVisibleError(msg)
        return account

    async def get_smart_meter_telemetry(
        self, device_ids: Sequence[str], period_from: datetime, period_to: datetime
    ) -> dict[str, list[TelemetryReading]]:
        """Return half-hourly Home Mini readings for one or several devices.

        One request covers every device; the result maps each device id to its
        readings sorted by time (kWh and W, see `TelemetryReading`).
        """
        if not device_ids:
            return {}
        variables: dict[str, Any] = {
            f"deviceId{index}": device_id for index, device_id in enumerate(device_ids)
        }
        variables.update(start=iso_utc(period_from), end=iso_utc(period_to))
        data = await self._graphql(
            queries.telemetry_query(len(device_ids)),
            variables,
            operation="get_smart_meter_telemetry",
        )
        return {
            device_id: parse_telemetry(data.get(f"d{index}"))
            for index, device_id in enumerate(device_ids)
        }
