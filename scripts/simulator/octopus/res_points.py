"""Resolvers of Octoplus points: the ledger and redeeming for credit (main host)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .errors import kraken_error
from .schedules import saving_sessions, session_reward
from .timeutil import parse_datetime
from .tokens import Info, require_account, require_user

POINTS_PER_POUND = 8
REWARD_DELAY = timedelta(days=1)


def _session_rewards(config: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Ledger entries for the rewards of joined saving sessions."""
    joined = set(config.get("joined", []))
    entries = []
    for event in saving_sessions(config, now):
        reward = session_reward(config, event, now) if event.code in joined else None
        if reward:
            entries.append(
                {
                    "postedAt": (event.end + REWARD_DELAY).isoformat(),
                    "value": reward,
                    "ledgerType": "OCTOPUS_POINTS",
                    "reasonCode": "SAVING_SESSION_REWARD",
                }
            )
    return entries


def _entries(account: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Every ledger entry, oldest first: scenario, session rewards, redemptions."""
    octoplus = account.get("octoplus", {})
    entries = [dict(e) for e in octoplus.get("ledger", [])]
    if config := account.get("saving_sessions"):
        entries.extend(_session_rewards(config, now))
    entries.extend(dict(e) for e in octoplus.get("redemptions", []))
    entries.sort(key=lambda e: parse_datetime(e["postedAt"]))
    return entries


def balance(account: dict[str, Any], now: datetime) -> int:
    """The points in the wallet now."""
    return sum(int(e["value"]) for e in _entries(account, now))


def loyalty_point_ledgers(info: Info, **_args: Any) -> list[dict[str, Any]]:
    """`loyaltyPointLedgers`: newest first, with running balances."""
    require_user(info)
    account = info.context.state["account"]
    rows, running = [], 0
    for index, entry in enumerate(_entries(account, info.context.now), 1):
        brought, running = running, running + int(entry["value"])
        rows.append(
            {
                "id": str(index),
                "value": str(entry["value"]),
                "balanceBroughtForward": str(brought),
                "balanceCarriedForward": str(running),
                "ledgerType": entry["ledgerType"],
                "postedAt": entry["postedAt"],
                "reasonCode": entry["reasonCode"],
                "accountNumber": account["number"],
            }
        )
    return rows[::-1]


def redeem(info: Info, **args: Any) -> dict[str, Any]:
    """`redeemLoyaltyPointsForAccountCredit(input: {accountNumber, points})`."""
    data = args["input"]
    account = require_account(info, data["accountNumber"])
    points, now = data["points"], info.context.now
    if points <= 0 or points % POINTS_PER_POUND:
        raise kraken_error(
            "KT-CT-9201",
            "Invalid data.",
            description=f"Points must be a positive multiple of {POINTS_PER_POUND}.",
        )
    if points > balance(account, now):
        raise kraken_error(
            "KT-CT-9202", "Invalid data.", description="Not enough points."
        )
    account.setdefault("octoplus", {}).setdefault("redemptions", []).append(
        {
            "postedAt": now.isoformat(),
            "value": -points,
            "ledgerType": "OCTOPUS_POINTS",
            "reasonCode": "REDEEMED_FOR_ACCOUNT_CREDIT",
        }
    )
    return {"pointsRedeemed": points}


ROOT: dict[str, Callable[..., Any]] = {
    "loyaltyPointLedgers": loyalty_point_ledgers,
    "redeemLoyaltyPointsForAccountCredit": redeem,
}
