"""Octoplus operations and the greener-nights forecast.

Octoplus covers points, saving sessions and the wheel of fortune.
"""

from __future__ import annotations

from . import queries
from .graphql import GraphQLBase
from .models import (
    Fuel,
    GreenerNight,
    SavingSessions,
    WheelOfFortuneSpins,
    parse_greener_nights,
)
from .models._parse import as_dict, as_dicts, as_int


class OctoplusMixin(GraphQLBase):
    """Octoplus and greener-nights operations (main and backend hosts)."""

    async def get_loyalty_points(self) -> int:
        """Return the Octopoints balance (the first ledger's balance; 0 if none)."""
        data = await self._graphql(
            queries.LOYALTY_POINTS, {}, operation="get_loyalty_points"
        )
        ledgers = as_dicts(data.get("loyaltyPointLedgers"))
        if not ledgers:
            return 0
        return as_int(ledgers[0].get("balanceCarriedForward")) or 0

    async def redeem_loyalty_points(self, account_number: str, points: int) -> int:
        """Turn `points` Octopoints into account credit; return the points redeemed."""
        data = await self._graphql(
            queries.REDEEM_LOYALTY_POINTS,
            {"accountNumber": account_number, "points": points},
            operation="redeem_loyalty_points",
        )
        result = as_dict(data.get("redeemLoyaltyPointsForAccountCredit"))
        return as_int(result.get("pointsRedeemed")) or 0

    async def get_saving_sessions(self, account_number: str) -> SavingSessions:
        """Return the saving-session events and the account's participation."""
        data = await self._graphql(
            queries.SAVING_SESSIONS,
            {"accountNumber": account_number},
            operation="get_saving_sessions",
            backend=True,
        )
        return SavingSessions.from_dict(data)

    async def join_saving_session(
        self, account_number: str, event_code: str
    ) -> list[str]:
        """Join a saving-session event; return the joined event codes."""
        data = await self._graphql(
            queries.JOIN_SAVING_SESSION,
            {"input": {"accountNumber": account_number, "eventCode": event_code}},
            operation="join_saving_session",
            backend=True,
        )
        codes = as_dict(data.get("joinSavingSessionsEvent")).get("joinedEventCodes")
        return [str(code) for code in codes] if isinstance(codes, list) else []

    async def get_wheel_of_fortune_spins(
        self, account_number: str
    ) -> WheelOfFortuneSpins:
        """Return the spins left this month for electricity and gas."""
        data = await self._graphql(
            queries.WHEEL_OF_FORTUNE_SPINS,
            {"accountNumber": account_number},
            operation="get_wheel_of_fortune_spins",
            backend=True,
        )
        return WheelOfFortuneSpins.from_dict(data)

    async def spin_wheel_of_fortune(self, account_number: str, fuel: Fuel) -> int:
        """Spin the wheel for a supply; return the prize in pence (0 if none)."""
        data = await self._graphql(
            queries.SPIN_WHEEL_OF_FORTUNE,
            {
                "input": {
                    "accountNumber": account_number,
                    "fuelType": fuel.value.upper(),
                }
            },
            operation="spin_wheel_of_fortune",
            backend=True,
        )
        prize = as_dict(as_dict(data.get("spinWheelOfFortune")).get("prize"))
        return as_int(prize.get("value")) or 0

    async def get_greener_nights_forecast(self) -> list[GreenerNight]:
        """Return the greener-nights forecast for the coming week."""
        data = await self._graphql(
            queries.GREENER_NIGHTS,
            {},
            operation="get_greener_nights_forecast",
            backend=True,
        )
        return parse_greener_nights(data)
