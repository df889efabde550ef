"""Check that every translation key the code uses has English text.

Custom integrations must ship a complete translations/en.json (no strings.json build
step), so a missing key shows the raw key to users. For each integration under
custom_components/ this checks:
- entity translation keys (`translation_key="..."` in platform modules),
- exception translation keys (`translation_key="..."` next to an exception),
- every action and field in services.yaml, and icons.json naming only known keys.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys

import yaml

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r'translation_key\s*=\s*"([a-z0-9_]+)"')
PLATFORMS = (
    "binary_sensor",
    "button",
    "calendar",
    "climate",
    "event",
    "number",
    "select",
    "sensor",
    "switch",
    "water_heater",
)


def check(integration: Path) -> list[str]:
    """Return the problems found in one integration."""
    strings = json.loads((integration / "translations" / "en.json").read_text())
    entity = strings.get("entity", {})
    exceptions = strings.get("exceptions", {})
    known_entity = {key for platform in entity.values() for key in platform}
    problems = [
        f"{module.name}: translation_key {key!r} has no text"
        for module in integration.glob("*.py")
        for key in KEY.findall(module.read_text())
        if key not in known_entity and key not in exceptions
    ]
    problems += _check_services(integration, strings.get("services", {}))
    problems += _check_icons(integration, entity)
    return problems


def _check_services(
    integration: Path, texts: dict[str, dict[str, object]]
) -> list[str]:
    path = integration / "services.yaml"
    services = yaml.safe_load(path.read_text()) if path.exists() else {}
    problems = []
    for name, spec in (services or {}).items():
        text = texts.get(name)
        if not text or "name" not in text or "description" not in text:
            problems.append(f"services: {name} has no name or description")
            continue
        fields = text.get("fields", {})
        problems.extend(
            f"services: {name}.{field} has no text"
            for field in (spec or {}).get("fields", {}) or {}
            if field not in fields  # type: ignore[operator]
        )
    return problems


def _check_icons(integration: Path, entity: dict[str, dict[str, object]]) -> list[str]:
    path = integration / "icons.json"
    icons = json.loads(path.read_text()) if path.exists() else {}
    return [
        f"icons.json: {platform}.{key} is not a translated entity"
        for platform, keys in icons.get("entity", {}).items()
        for key in keys
        if key not in entity.get(platform, {})
    ]


def main() -> int:
    """Check every integration; print problems; exit 1 if any."""
    problems = [
        f"{integration.name}: {problem}"
        for integration in sorted((ROOT / "custom_components").iterdir())
        if (integration / "translations" / "en.json").exists()
        for problem in check(integration)
    ]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
