"""What `scripts/develop` gives a user: a clean start and every blueprint usable.

The configuration directory is prepared by the same function develop runs
(`scripts.ha_config.prepare`), and Home Assistant is onboarded and set up by the same
function develop's last step runs (`scripts.ha_client.setup`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import json
from pathlib import Path
import re
import time
from typing import Any

import pytest

from scripts.ha_client import HomeAssistantClient, setup
from scripts.ha_config import ROOT, link_integrations, sync_blueprints

from .conftest import (
    OSO_KEY,
    PASSWORD,
    START_TIMEOUT,
    USERNAME,
    HomeAssistantProcess,
    SimulatorProcess,
    free_port,
)

# The flows scripts/develop runs (its OSO_KEY and DEFAULT_OCTOPUS_FLOW).
OCTOPUS = {"account_id": "A-AAAA1111", "api_key": "sk_live_simulatorAAAA1111"}
FLOWS = [
    f"osoenergy={json.dumps({'api_key': OSO_KEY})}",
    f"octopus_energy={json.dumps(OCTOPUS)}",
]
AUTOMATION_BLUEPRINTS = ROOT / "blueprints" / "automation"
OURS = {"osoenergy", "octopus_energy"}
LOGIN_FAILED = "Login attempt failed"
WAIT = 30.0

pytestmark = pytest.mark.timeout(240)


# --- the configuration directory (no Home Assistant needed) -------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_sync_blueprints_mirrors_the_repository(tmp_path: Path) -> None:
    root, config = tmp_path / "repo", tmp_path / "config"
    _write(root / "blueprints/automation/ours/a.yaml", "a: 1\n")
    _write(root / "blueprints/automation/ours/b.yaml", "b: 1\n")
    _write(root / "blueprints/script/ours/s.yaml", "s: 1\n")
    own = _write(config / "blueprints/automation/homeassistant/own.yaml", "mine\n")
    # What an older scripts/develop left: a link Home Assistant does not follow.
    (config / "blueprints/automation/ours").symlink_to(root / "blueprints/script/ours")

    synced = sync_blueprints(config, root)

    target = config / "blueprints/automation/ours"
    assert not target.is_symlink()
    assert sorted(p.relative_to(config) for p in synced) == [
        Path("blueprints/automation/ours/a.yaml"),
        Path("blueprints/automation/ours/b.yaml"),
        Path("blueprints/script/ours/s.yaml"),
    ]
    assert (target / "a.yaml").read_text() == "a: 1\n"

    # An edit and a removal in the repository show up on the next start.
    _write(root / "blueprints/automation/ours/a.yaml", "a: 2\n")
    (root / "blueprints/automation/ours/b.yaml").unlink()
    sync_blueprints(config, root)

    assert (target / "a.yaml").read_text() == "a: 2\n"
    assert not (target / "b.yaml").exists()
    assert (root / "blueprints/script/ours/s.yaml").read_text() == "s: 1\n"
    assert own.read_text() == "mine\n"


def test_link_integrations_keeps_an_installed_copy(tmp_path: Path) -> None:
    root, config = tmp_path / "repo", tmp_path / "config"
    for name in ("one", "two"):
        _write(root / "custom_components" / name / "manifest.json", "{}")
    (root / "custom_components/__pycache__").mkdir()
    copy = _write(config / "custom_components/two/manifest.json", "{}").parent

    assert link_integrations(config, root) == [copy]
    assert link_integrations(config, root) == [copy]

    linked = config / "custom_components/one"
    assert linked.is_symlink()
    assert linked.resolve() == root / "custom_components/one"
    assert not copy.is_symlink()
    assert not (config / "custom_components/__pycache__").exists()


# --- a develop-style Home Assistant ------------------------------------------------


@pytest.fixture
def develop(
    tmp_path: Path, simulator: SimulatorProcess
) -> Iterator[HomeAssistantClient]:
    """Home Assistant prepared, onboarded and set up exactly as scripts/develop does."""
    ha = HomeAssistantProcess(
        tmp_path / "config",
        free_port(),
        f"{simulator.url}/oso/water-heater-api",
        simulator.url,
    )
    try:
        ha.start()
        assert setup(ha.client, USERNAME, PASSWORD, FLOWS, START_TIMEOUT) == 0
        yield ha.client
    finally:
        ha.stop()
        print(ha.log_tail())  # noqa: T201  (pytest shows it when the test fails)


def test_develop_start_leaves_no_failed_login(develop: HomeAssistantClient) -> None:
    notifications = develop.ws({"type": "persistent_notification/get"})

    assert LOGIN_FAILED not in [n.get("title") for n in notifications]


def wait_for[T](what: str, probe: Callable[[], T | None], timeout: float = WAIT) -> T:
    """Poll `probe` until it returns something other than None (or fail)."""
    deadline = time.monotonic() + timeout
    while (value := probe()) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)
    return value


def shipped_blueprints() -> list[str]:
    """The automation blueprints of this repository, as Home Assistant names them."""
    return sorted(
        path.relative_to(AUTOMATION_BLUEPRINTS).as_posix()
        for path in AUTOMATION_BLUEPRINTS.rglob("*.yaml")
    )


def test_every_blueprint_is_listed_and_makes_a_working_automation(
    develop: HomeAssistantClient, tmp_path: Path
) -> None:
    expected = shipped_blueprints()
    assert expected
    listed = develop.ws({"type": "blueprint/list", "domain": "automation"})
    assert set(expected) <= set(listed), sorted(listed)
    assert {path: listed[path].get("error") for path in expected} == dict.fromkeys(
        expected
    )

    samples = Samples(develop)
    created: dict[str, str] = {}
    for path in expected:
        automation_id = "e2e_" + re.sub(r"\W+", "_", path.removesuffix(".yaml"))
        config = {
            "alias": f"End-to-end {path}",
            "description": "",
            "use_blueprint": {
                "path": path,
                "input": samples.inputs(listed[path]["metadata"]["input"]),
            },
        }
        develop.request(
            "POST", f"/api/config/automation/config/{automation_id}", config
        )
        created[automation_id] = path

    for automation_id, path in created.items():
        state = wait_for(
            f"the automation of {path}",
            lambda automation_id=automation_id: _automation(develop, automation_id),
        )
        assert state["state"] == "on", (path, state)

    log = (tmp_path / "config" / "home-assistant.log").read_text(errors="replace")
    errors = [
        line
        for line in log.splitlines()
        if "ERROR" in line and re.search("blueprint|automation", line, re.IGNORECASE)
    ]
    assert errors == []


def _automation(
    client: HomeAssistantClient, automation_id: str
) -> dict[str, Any] | None:
    """The state of the automation with this id (once it is loaded)."""
    return next(
        (
            state
            for entity_id, state in client.states().items()
            if entity_id.startswith("automation.")
            and state["attributes"].get("id") == automation_id
        ),
        None,
    )


FIXED: dict[str, Any] = {
    "boolean": False,
    "text": "sample",
    "template": "{{ true }}",
    "time": "08:00:00",
    "date": "2026-01-01",
    "datetime": "2026-01-01 08:00:00",
    "duration": {"hours": 0, "minutes": 30, "seconds": 0},
    "action": [],
    "condition": [],
    "trigger": [],
    "object": {},
    "icon": "mdi:flash",
    "color_rgb": [255, 160, 0],
    "attribute": "friendly_name",
    "state": "on",
}


def _choice(option: str | dict[str, Any]) -> Any:
    """A select option's value (options are strings or label/value pairs)."""
    return option["value"] if isinstance(option, dict) else option


class Samples:
    """Valid sample values for blueprint inputs, from their selectors.

    Entities and devices are picked from the running Home Assistant, so a new
    blueprint is covered without editing this test.
    """

    def __init__(self, client: HomeAssistantClient) -> None:
        """Read what exists: states, the entity registry, areas, config entries."""
        platforms = {
            entry["entity_id"]: entry
            for entry in client.ws({"type": "config/entity_registry/list"})
        }
        self.entities = [
            {
                "entity_id": entity_id,
                "domain": entity_id.partition(".")[0],
                "integration": platforms.get(entity_id, {}).get("platform"),
                "device_id": platforms.get(entity_id, {}).get("device_id"),
                "device_class": state["attributes"].get("device_class"),
            }
            for entity_id, state in client.states().items()
        ]
        # This repository's entities first: the most plausible inputs.
        self.entities.sort(key=lambda entity: entity["integration"] not in OURS)
        self.areas = [
            a["area_id"] for a in client.ws({"type": "config/area_registry/list"})
        ]
        self.entries = client.request("GET", "/api/config/config_entries/entry")

    def inputs(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A value for every input (sections flattened, as Home Assistant wants)."""
        values: dict[str, Any] = {}
        for name, item in spec.items():
            if "input" in item:  # a section
                values.update(self.inputs(item["input"]))
            else:
                values[name] = self.value(name, item)
        return values

    def value(self, name: str, item: dict[str, Any]) -> Any:
        """The input's default, or a value its selector accepts."""
        if "default" in item:
            return item["default"]
        selector = item.get("selector") or {"text": {}}
        kind, options = next(iter(selector.items()))
        options = options or {}
        value = self._value(kind, options)
        if value is None:
            pytest.fail(f"No sample for input {name!r} (selector {kind}): add one here")
        return [value] if options.get("multiple") else value

    def _value(self, kind: str, options: dict[str, Any]) -> Any:
        if kind in FIXED:
            return FIXED[kind]
        derive: dict[str, Callable[[], Any]] = {
            "number": lambda: options.get("min", 0),
            "select": lambda: _choice(options["options"][0]),
            "constant": lambda: options.get("value"),
            "area": lambda: next(iter(self.areas), None),
            "config_entry": lambda: self._entry(options.get("integration")),
            "entity": lambda: self._entity(options),
            "target": lambda: {"entity_id": self._entity(options.get("entity"))},
            "device": lambda: self._device(options),
        }
        return derive[kind]() if kind in derive else None

    def _entry(self, domain: str | None) -> str | None:
        return next(
            (
                str(entry["entry_id"])
                for entry in self.entries
                if domain in {None, entry["domain"]}
            ),
            None,
        )

    def _matches(self, entity: dict[str, Any], filters: Any) -> bool:
        for flt in filters if isinstance(filters, list) else [filters]:
            checks = {
                key: [value] if isinstance(value, str) else value
                for key, value in flt.items()
                if key in {"domain", "integration", "device_class"}
            }
            if all(entity[key] in allowed for key, allowed in checks.items()):
                return True
        return False

    def _entity(self, options: dict[str, Any] | list[Any] | None) -> str:
        """An existing entity the filter accepts (or a plausible id of its domain)."""
        options = options or {}
        filters = (
            options.get("filter", options) if isinstance(options, dict) else options
        )
        for entity in self.entities:
            if self._matches(entity, filters):
                return str(entity["entity_id"])
        first = filters[0] if isinstance(filters, list) and filters else filters
        domain = first.get("domain", "sensor") if isinstance(first, dict) else "sensor"
        return f"{domain if isinstance(domain, str) else domain[0]}.e2e_sample"

    def _device(self, options: dict[str, Any]) -> str | None:
        """A device that has an entity the selector's filters accept."""
        filters = options.get("filter", {})
        entity_filters = options.get("entity", {})
        for entity in self.entities:
            if (
                entity["device_id"]
                and self._matches(entity, filters)
                and self._matches(entity, entity_filters)
            ):
                return str(entity["device_id"])
        return None
