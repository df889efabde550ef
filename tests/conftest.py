"""Fixtures shared by the tests of both integrations."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
import inspect
from types import SimpleNamespace
from typing import Any

import aiohttp
from aioresponses import aioresponses
import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from yarl import URL

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


_NEEDS_STREAM_WRITER = (
    "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters
)


class MockResponse(aiohttp.ClientResponse):
    """A response aioresponses 0.7.9 can build on aiohttp 3.14 too.

    aiohttp 3.14 made `stream_writer` a required argument, which aioresponses 0.7.9
    does not pass; a sent request only needs its `output_size`.
    """

    def __init__(self, method: str, url: URL, **kwargs: Any) -> None:
        """Add the missing `stream_writer` when aiohttp needs one."""
        if _NEEDS_STREAM_WRITER:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


class Responses(aioresponses):
    """aioresponses answering with `MockResponse`."""

    def add(self, *args: Any, **kwargs: Any) -> None:
        """Register an answer built with `MockResponse`."""
        kwargs.setdefault("response_class", MockResponse)
        super().add(*args, **kwargs)


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """A real aiohttp session for the HA-free API clients, closed after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def mock_http() -> Generator[aioresponses]:
    """Intercept every request of any aiohttp session (for the API client tests)."""
    with Responses() as mocked:
        yield mocked
