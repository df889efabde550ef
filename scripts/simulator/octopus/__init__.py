"""The Octopus Energy half of the simulator: REST and GraphQL on both hosts' roles.

    /octopus/v1/...               api.octopus.energy (REST and GraphQL)
    /octopus-backend/v1/graphql/  api.backend.octopus.energy (GraphQL)

State lives in `sim.state["octopus"]`, built from `scenarios/<name>/octopus.json`.
"""

from __future__ import annotations

from aiohttp import web

from ..core import Simulator
from . import graphql, rest
from .state import VENDOR, load


def setup(app: web.Application, sim: Simulator) -> None:
    """Load the scenario and register every Octopus route."""
    sim.register(VENDOR, load)
    rest.add_routes(app)
    graphql.add_routes(app)
