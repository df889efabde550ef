"""Run the simulator: `python -m scripts.simulator [--port 8765] [--scenario default]`.

Faults can be injected at start (`--fault server_error:oso.devices`) or at any time
through the control API (see control.py), e.g.

    curl -X POST localhost:8765/_sim/faults \
        -d '{"kind": "rate_limit", "operation": "oso"}'
"""

from __future__ import annotations

import argparse

from aiohttp import web

from .core import Simulator
from .faults import FAULT_KINDS, Fault
from .server import create_app


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scenario", default="default")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[:OPERATION]",
        help=f"inject a fault from the start; KIND is one of {', '.join(FAULT_KINDS)}",
    )
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the simulator listens on the loopback interface only")
    sim = Simulator(scenario=args.scenario)
    app = create_app(sim)
    for spec in args.fault:
        kind, _, operation = spec.partition(":")
        sim.faults.add(Fault(kind=kind, operation=operation))
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
