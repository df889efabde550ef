"""Importing an integration afresh for a scenario, as a new Home Assistant process does.

Module-level caches filled by an earlier scenario in the same process must not save
requests; the modules imported before are put back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
import importlib
import pkgutil
import sys
from types import ModuleType
from typing import Any

from homeassistant.config_entries import HANDLERS


@dataclass
class _SavedModules:
    """What `fresh_import` replaced: modules and the config-flow registration."""

    domain: str
    modules: dict[str, ModuleType]
    handler: Any


def fresh_import(domain: str) -> _SavedModules:
    """Import the integration's modules again (blocking); return the old ones.

    Importing config_flow again registers its new class in HA's process-wide
    `config_entries.HANDLERS`; that registration is saved and restored too.
    """
    package = f"custom_components.{domain}"
    saved = _SavedModules(domain, _take_modules(package), HANDLERS.get(domain))
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, f"{package}."):
        importlib.import_module(info.name)
    return saved


def restore_modules(saved: _SavedModules) -> None:
    """Put back what `fresh_import` replaced (parent attribute included)."""
    package = f"custom_components.{saved.domain}"
    _take_modules(package)
    sys.modules.update(saved.modules)
    if package in saved.modules:
        setattr(sys.modules["custom_components"], saved.domain, saved.modules[package])
    if saved.handler is not None:
        HANDLERS[saved.domain] = saved.handler
    else:
        HANDLERS.pop(saved.domain, None)


def _take_modules(package: str) -> dict[str, ModuleType]:
    names = [n for n in sys.modules if n == package or n.startswith(f"{package}.")]
    return {name: sys.modules.pop(name) for name in names}
