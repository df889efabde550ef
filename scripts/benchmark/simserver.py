"""The API simulator in its own thread, with an adjustable latency per request.

The simulator runs on its own event loop in a separate thread, so its work (JSON,
GraphQL validation) is not counted in Home Assistant's main-thread CPU time. Its loop
keeps real time (`CLOCK_MONOTONIC`, which freezegun does not patch), so the latency
sleeps are real while Home Assistant's clock is frozen; the simulated values follow
the frozen clock because freezegun patches `datetime` in every thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Self

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from scripts.simulator import Simulator, create_app

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


def real_monotonic() -> float:
    """Real monotonic seconds, also while freezegun freezes `time.monotonic`."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


class RealTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose timers run on real time whatever freezegun does."""

    def time(self) -> float:
        """Real monotonic time."""
        return real_monotonic()


class SimulatorThread:
    """The simulator served on 127.0.0.1 from a background thread."""

    def __init__(self, sim: Simulator | None = None, port: int = 0) -> None:
        """Prepare (not start) the server; port 0 = any free port."""
        self.sim = sim or Simulator()
        self.latency = 0.0
        """Seconds every request waits before it is handled (changeable any time)."""
        self.port = port
        self._loop = RealTimeLoop()
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._serve, name="bench-simulator", daemon=True
        )

    @property
    def url(self) -> str:
        """The simulator's root URL."""
        return f"http://127.0.0.1:{self.port}"

    def agile_products(self) -> list[str]:
        """The Octopus product codes whose electricity unit rates are Agile's."""
        products = self.sim.state.get("octopus", {}).get("products", {})
        return sorted(
            code
            for code, product in products.items()
            if any(
                plan.get("pricing") == "agile"
                for plan in product.get("electricity", {}).values()
            )
        )

    def start(self) -> Self:
        """Start serving; return when the port is open."""
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT) or self._error is not None:
            msg = "the simulator thread did not start"
            raise RuntimeError(msg) from self._error
        return self

    def stop(self) -> None:
        """Stop serving and end the thread."""
        if not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start_site())
        except BaseException as err:  # noqa: BLE001  (reported by start())
            self._error = err
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            if self._runner is not None:
                self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

    async def _start_site(self) -> None:
        app = create_app(self.sim)
        app.middlewares.append(self._latency_middleware())
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    def _latency_middleware(self) -> Middleware:
        @web.middleware
        async def latency(request: web.Request, handler: Handler) -> web.StreamResponse:
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            return await handler(request)

        return latency
