"""Fixtures shared by the tests of both integrations."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Load the integrations from custom_components/ in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store snapshots in `snapshots/` next to the tests, in HA's format."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
