"""Resolvers of the backend host: saving sessions, wheel of fortune, greener nights.

Saving sessions carry Power Down (points per kWh) and Power Up (0 points, free
electricity) sessions, some for another region (see `schedules`). Power Ups are
opted into in the app (the scenario's `joined` codes), never through
`joinSavingSessionsEvent`, which refuses them as Octopus does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from .errors import kraken_error
from .schedules import Event, saving_sessions, session_reward
from .timeutil import local_date
from .tokens import Info, require_account, require_user
from .values import greenness

FORECAST_DAYS = 7
GREENER_NIGHT = 70


def _event(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "code": event.code,
        "rewardPerKwhInOctoPoints": event.reward_per_kwh,
        "startAt": event.start,
        "endAt": event.end,
        "devEvent": False,
        "targetRegion": {"regionId": event.region} if event.region else None,
    }


def _sessions_account(info: Info, **args: Any) -> dict[str, Any]:
    account = require_account(info, args["accountNumber"])
    config, now = account["saving_sessions"], info.context.now
    joined = set(config["joined"])
    events = [e for e in saving_sessions(config, now) if e.code in joined]
    return {
        "signedUpMeterPoint": {"regionId": config["region_id"]},
        "hasJoinedCampaign": config["has_joined_campaign"],
        "joinedEvents": [
            {
                "eventId": e.id,
                "startAt": e.start,
                "endAt": e.end,
                "rewardGivenInOctoPoints": session_reward(config, e, now),
            }
            for e in events
        ],
    }


def saving_sessions_root(info: Info, **_args: Any) -> dict[str, Any]:
    """`savingSessions { events(includeDev) account(accountNumber) }`."""
    require_user(info)
    config = info.context.state["account"]["saving_sessions"]

    def events(_info: Info, **_event_args: Any) -> list[dict[str, Any]]:
        return [_event(e) for e in saving_sessions(config, info.context.now)]

    return {"events": events, "account": _sessions_account}


def join_saving_sessions_event(info: Info, **args: Any) -> dict[str, Any]:
    """`joinSavingSessionsEvent(input: {accountNumber, eventCode})`."""
    data = args["input"]
    account = require_account(info, data["accountNumber"])
    config, now = account["saving_sessions"], info.context.now
    event = next(
        (e for e in saving_sessions(config, now) if e.code == data["eventCode"]), None
    )
    if event is None or event.start <= now or event.series == "power_up":
        raise kraken_error(
            "OE-1305", "Saving Sessions event not found or not joinable."
        )
    if event.region not in (None, config["region_id"]):
        raise kraken_error("OE-1306", "Account ineligible for this event.")
    if event.code not in config["joined"]:
        config["joined"].append(event.code)
    config["has_joined_campaign"] = True
    return {"joinedEventCodes": list(config["joined"])}


def wheel_spins(info: Info, **args: Any) -> dict[str, Any]:
    """`wheelOfFortuneSpinsAllowed(accountNumber, fuelType)`."""
    account = require_account(info, args["accountNumber"])
    return {
        "spinsAllowed": account["wheel_of_fortune"]["spins"].get(args["fuelType"], 0)
    }


def spin_wheel(info: Info, **args: Any) -> dict[str, Any]:
    """`spinWheelOfFortune(input: {accountNumber, fuelType})`: uses up one spin."""
    data = args["input"]
    wheel = require_account(info, data["accountNumber"])["wheel_of_fortune"]
    if wheel["spins"].get(data["fuelType"], 0) <= 0:
        raise kraken_error("SIM-NO-SPINS", "No spins remaining.")
    wheel["spins"][data["fuelType"]] -= 1
    prize = wheel["prizes"][wheel["spun"] % len(wheel["prizes"])]
    wheel["spun"] += 1
    return {"prize": {"value": prize}}


def greener_nights(info: Info, **_args: Any) -> list[dict[str, Any]]:
    """`greenerNightsForecast`: the coming week."""
    today = local_date(info.context.now)
    rows = []
    for offset in range(FORECAST_DAYS):
        day = today + timedelta(days=offset)
        score = greenness(day)
        index = (
            "HIGH"
            if score >= GREENER_NIGHT
            else "MEDIUM"
            if score >= GREENER_NIGHT // 2
            else "LOW"
        )
        rows.append(
            {
                "date": day,
                "isGreenerNight": score >= GREENER_NIGHT,
                "greennessScore": score,
                "greennessIndex": index,
            }
        )
    return rows


ROOT: dict[str, Callable[..., Any]] = {
    "savingSessions": saving_sessions_root,
    "joinSavingSessionsEvent": join_saving_sessions_event,
    "wheelOfFortuneSpinsAllowed": wheel_spins,
    "spinWheelOfFortune": spin_wheel,
    "greenerNightsForecast": greener_nights,
}
