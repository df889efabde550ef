"""Fixtures shared by the tests of both integrations."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Import this repository's `custom_components` package before HA does: HA imports
# `custom_components` from its configuration directory, which in tests is the plugin's
# own testing_config, unless the package is already loaded.
import custom_components  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Load the integrations from custom_components/ in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store snapshots in `snapshots/` next to the tests, in HA's format."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
