"""The stored-poll coordinator base: what it stores and what it refuses to restore."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_energy.const import DOMAIN
from custom_components.octopus_energy.features.octoplus.coordinator import (
    Points,
    PointsCoordinator,
)

from .builders import make_client
from .conftest import ACCOUNT


@pytest.fixture
async def points(hass: HomeAssistant) -> PointsCoordinator:
    """A points coordinator of an entry that is not set up."""
    entry = MockConfigEntry(domain=DOMAIN, version=9)
    entry.add_to_hass(hass)
    return PointsCoordinator(hass, entry, make_client(hass), ACCOUNT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"retrieved": "2026-12-05T10:00:00+00:00"},
        {"retrieved": 5, "data": {"balance": 8}},
        {"retrieved": "2026-12-05T10:00:00+00:00", "data": {}},
        {"retrieved": "2026-12-05T10:00:00+00:00", "data": {"balance": "x"}},
        {"retrieved": "not a time", "data": {"balance": 8}},
    ],
)
async def test_bad_documents_are_not_restored(
    points: PointsCoordinator, stored: dict[str, Any]
) -> None:
    """A document that does not fit is ignored (the data is asked again)."""
    assert points._from_stored(stored) is None
    assert points.retrieved is None


async def test_round_trip(points: PointsCoordinator) -> None:
    """Nothing is stored before a retrieval; then data and time are."""
    assert points._to_stored(Points(balance=16)) is None
    document = {"retrieved": "2026-12-05T10:00:00+00:00", "data": {"balance": 16}}
    restored = points._from_stored(document)
    assert restored == Points(balance=16)
    assert points._to_stored(restored) == document
