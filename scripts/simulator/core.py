"""What every simulated cloud shares: the `Simulator` and its application key.

Vendor modules (`oso.py`, `octopus/`) import this module; it imports no vendor, so
the dependency goes one way: vendors -> core <- server (which assembles the app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from .clock import Clock
from .faults import Faults

SCENARIOS = Path(__file__).parent / "scenarios"


@dataclass
class Simulator:
    """Everything the simulated clouds share."""

    scenario: str = "default"
    clock: Clock = field(default_factory=Clock)
    faults: Faults = field(default_factory=Faults)
    state: dict[str, Any] = field(default_factory=dict)
    loaders: dict[str, Callable[[dict[str, Any]], Any]] = field(default_factory=dict)

    def load(self, vendor: str) -> dict[str, Any]:
        """Read `scenarios/<scenario>/<vendor>.json` (an empty dict if missing)."""
        path = SCENARIOS / self.scenario / f"{vendor}.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def register(self, vendor: str, loader: Callable[[dict[str, Any]], Any]) -> None:
        """Build a vendor's state from its scenario file now and on every reset."""
        self.loaders[vendor] = loader
        self.state[vendor] = loader(self.load(vendor))

    def reset(self) -> None:
        """Reload every vendor's scenario; clear faults and counts."""
        self.faults = Faults()
        for vendor, loader in self.loaders.items():
            self.state[vendor] = loader(self.load(vendor))

    async def enter(
        self,
        operation: str,
        request: web.Request,
        *,
        graphql: bool = False,
        target: str = "",
    ) -> web.StreamResponse | None:
        """Count a request; return the answer of an injected fault, if any."""
        self.faults.count(operation, self.clock.now(), target)
        return await self.faults.response_for(operation, request, graphql=graphql)


SIM_KEY: web.AppKey[Simulator] = web.AppKey("simulator", Simulator)
