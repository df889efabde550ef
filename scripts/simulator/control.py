"""The simulator's control API under `/_sim/` (JSON), for tests and by hand.

GET    /_sim/requests            {"counts": {operation: n}, "total": n}
DELETE /_sim/requests            reset the counts
POST   /_sim/faults              {"kind": ..., "operation": ..., "status", "delay",
"retry_after", "remaining"} -> inject one fault
DELETE /_sim/faults              clear every fault
POST   /_sim/clock               {"now": ISO-8601 or null, "freeze": bool}
GET    /_sim/state               every vendor's current state (for assertions)
POST   /_sim/reset               reload the scenario, clear faults and counts
"""

from __future__ import annotations

from datetime import datetime
import json
from typing import Any

from aiohttp import web

from .core import SIM_KEY
from .faults import Fault


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


def add_routes(app: web.Application) -> None:
    """Register the control API under `/_sim/`."""
    app.router.add_route("*", "/_sim/requests", _requests)
    app.router.add_route("*", "/_sim/faults", _faults)
    app.router.add_post("/_sim/clock", _clock)
    app.router.add_get("/_sim/state", _state)
    app.router.add_post("/_sim/reset", _reset)
