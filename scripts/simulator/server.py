"""The simulator's aiohttp application: the control API and every vendor.

Module layout (imports go one way, from the top down):

    __main__.py      the command line
    server.py        `create_app`: assembles the control API and the vendors
    control.py       the control API under `/_sim/`
    oso.py, octopus/ the vendors: `setup(app, sim)` registers their routes under their
                     prefix and keeps their state in `sim.state[<vendor>]`
    core.py          `Simulator` (clock, faults, state) and `SIM_KEY`
    clock.py, faults.py

Every vendor handler calls `await sim.enter(operation, request)`, which counts the
request and returns a faulty answer to send instead when a fault applies.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from . import control, octopus, oso
from .core import SIM_KEY, Simulator

__all__ = ["SIM_KEY", "VENDORS", "Simulator", "create_app"]

VENDORS: tuple[Callable[[web.Application, Simulator], None], ...] = (
    oso.setup,
    octopus.setup,
)
"""Each vendor's `setup(app, sim)`, in the order they are registered."""


def create_app(sim: Simulator | None = None) -> web.Application:
    """Build the simulator application with every vendor registered."""
    sim = sim or Simulator()
    app = web.Application()
    app[SIM_KEY] = sim
    control.add_routes(app)
    for setup in VENDORS:
        setup(app, sim)
    return app
