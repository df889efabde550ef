"""A local simulator of the Octopus Energy and OSO Energy cloud APIs (127.0.0.1 only).

Used by `scripts/develop`, the end-to-end tests and the benchmark. One aiohttp server
serves every vendor under its own path prefix:

    /oso/water-heater-api/1/...     the OSO Energy API
    /octopus/...                    the Octopus Energy REST and GraphQL API (main host)
    /octopus-backend/...            the Octopus backend GraphQL host
    /_sim/...                       control: faults, request counts, clock, state

See `server.py` for the layout, `control.py` for the control API and `__main__.py`
for the command line.
"""

from .core import Simulator
from .server import create_app

__all__ = ["Simulator", "create_app"]
