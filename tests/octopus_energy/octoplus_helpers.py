"""Helpers of the Octoplus, wheel of fortune and greenness tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import ACCOUNT

A = "octopus_energy_a_aaaa1111"
SESSIONS = "octopus.graphql.SavingSessions"
POINTS = "octopus.graphql.LoyaltyPoints"
JOIN = "octopus.graphql.JoinSavingSessionsEvent"
REDEEM = "octopus.graphql.RedeemLoyaltyPoints"
SPINS = "octopus.graphql.WheelOfFortuneSpins"
SPIN = "octopus.graphql.SpinWheelOfFortune"
GREENER = "octopus.graphql.GreenerNightsForecast"
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
"""A Saturday: a Power Down on the 6th (announced), a Power Up today at 13:00."""


def plain(value: Any) -> Any:
    """JSON-like values (datetimes as ISO text) for snapshots."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def register_v18(hass: HomeAssistant) -> None:
    """Registry entries of the community integration's v18 Octoplus entities."""
    registry = er.async_get(hass)
    prefix = f"octopus_energy_{ACCOUNT}"
    for platform, suffix in (
        ("event", "_octoplus_saving_session_events"),
        ("event", "_octoplus_free_electricity_session_events"),
        ("calendar", "_octoplus_saving_sessions"),
        ("calendar", "_octoplus_free_electricity_session"),
    ):
        registry.async_get_or_create(
            platform,
            "octopus_energy",
            f"{prefix}{suffix}",
            suggested_object_id=f"{prefix}{suffix}".lower().replace("-", "_"),
        )
