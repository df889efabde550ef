"""The shipped blueprints are valid and name only actions that exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (`octopus_energy` depends on it)."""


BLUEPRINTS = sorted((Path(__file__).parent.parent / "blueprints").rglob("*.yaml"))


def _actions(node: object) -> set[str]:
    """Collect every `action:` named anywhere in a blueprint."""
    if isinstance(node, dict):
        found = {node["action"]} if isinstance(node.get("action"), str) else set()
        return found.union(*(_actions(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_actions(item) for item in node))
    return set()


def test_blueprints_exist() -> None:
    assert BLUEPRINTS


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda path: path.stem)
async def test_blueprint_is_valid(hass: HomeAssistant, path: Path) -> None:
    data = load_yaml(path)
    blueprint = models.Blueprint(
        data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert blueprint.inputs

    domain = path.parent.name
    assert await async_setup_component(hass, domain, {})
    for other in {action.split(".", 1)[0] for action in _actions(data)} - {domain}:
        assert await async_setup_component(hass, other, {})
    for action in _actions(data):
        service_domain, service = action.split(".", 1)
        assert hass.services.has_service(service_domain, service), action
