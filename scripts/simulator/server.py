"""The simulator's aiohttp application and its control API.

Control API (JSON), for tests and the command line:

    GET    /_sim/requests            {"counts": {operation: n}, "total": n}
    DELETE /_sim/requests            reset the counts
    POST   /_sim/faults              {"kind": ..., "operation": ..., "status", "delay",
                                      "retry_after", "remaining"} -> inject one fault
    DELETE /_sim/faults              clear every fault
    POST   /_sim/clock               {"now": ISO-8601 or null, "freeze": bool}
    GET    /_sim/state               every vendor's current state (for assertions)
    POST   /_sim/reset               reload the scenario, clear faults and counts

Vendor modules (`oso.py`, `octopus/`) expose `setup(app, sim)`, register their routes
under their prefix and keep their state in `sim.state[<vendor>]`. Every vendor handler
calls `await sim.enter(operation, request)`, which counts the request and returns a
faulty answer to send instead when a fault applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from .clock import Clock
from .faults import Fault, Faults

SCENARIOS = Path(__file__).parent / "scenarios"
SIM_KEY: web.AppKey[Simulator] = web.AppKey("simulator")


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
        self, operation: str, request: web.Request, *, graphql: bool = False
    ) -> web.StreamResponse | None:
        """Count a request; return the answer of an injected fault, if any."""
        self.faults.count(operation, self.clock.now())
        return await self.faults.response_for(operation, request, graphql=graphql)


async def _requests(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    if request.method == "DELETE":
        sim.faults.counts.clear()
        sim.faults.log.clear()
    counts = dict(sim.faults.counts)
    return web.json_response({"counts": counts, "total": sum(counts.values())})


async def _faults(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    if request.method == "DELETE":
        sim.faults.clear()
        return web.json_response({"faults": []})
    try:
        sim.faults.add(Fault(**await request.json()))
    except (TypeError, ValueError) as err:
        return web.json_response({"error": str(err)}, status=400)
    return web.json_response({"faults": [vars(fault) for fault in sim.faults.active]})


async def _clock(request: web.Request) -> web.Response:
    sim = request.app[SIM_KEY]
    body = await request.json()
    moment = datetime.fromisoformat(body["now"]) if body.get("now") else None
    sim.clock.set(moment, freeze=bool(body.get("freeze")))
    return web.json_response({"now": sim.clock.now().isoformat()})


async def _state(request: web.Request) -> web.Response:
    return web.json_response(request.app[SIM_KEY].state, dumps=_dumps)


async def _reset(request: web.Request) -> web.Response:
    request.app[SIM_KEY].reset()
    return web.json_response({"reset": True})


def _dumps(data: Any) -> str:
    return json.dumps(data, default=str)


def create_app(sim: Simulator | None = None) -> web.Application:
    """Build the simulator application with every vendor registered."""
    from . import oso  # noqa: PLC0415  (vendor modules import this module)

    sim = sim or Simulator()
    app = web.Application()
    app[SIM_KEY] = sim
    app.router.add_route("*", "/_sim/requests", _requests)
    app.router.add_route("*", "/_sim/faults", _faults)
    app.router.add_post("/_sim/clock", _clock)
    app.router.add_get("/_sim/state", _state)
    app.router.add_post("/_sim/reset", _reset)
    oso.setup(app, sim)
    _setup_octopus(app, sim)
    return app


def _setup_octopus(app: web.Application, sim: Simulator) -> None:
    """Register the Octopus simulator when it is present."""
    try:
        from . import octopus  # noqa: PLC0415
    except ImportError:
        return
    octopus.setup(app, sim)
