"""Fixtures of the end-to-end tests: the simulator and a real Home Assistant process.

Each test gets a fresh simulator and a fresh `hass` process (a temporary configuration
directory prepared by `scripts.ha_config.prepare`, as `scripts/develop` prepares its
own: custom_components/osoenergy and octopus_energy link to this repository, the
blueprints are copied; the recorder is on, as octopus_energy needs it), onboarded with
a demo user and with OSO Energy set up through its real config flow. Both run as
subprocesses on free 127.0.0.1 ports and are stopped when the test ends, also when it
fails. Home Assistant runs with --skip-pip: the tests need nothing from the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time as dt_time, timedelta
import importlib.util
import json
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import Any
from urllib.error import URLError
from urllib.request import Request, urlopen

import pytest

from scripts.ha_client import HomeAssistantClient
from scripts.ha_config import prepare

ROOT = Path(__file__).resolve().parents[2]
OSO_KEY = "sim-oso-demo-key"
USERNAME = "demo"
PASSWORD = "demo1234"  # noqa: S105  (the simulator's demo login)
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


def frozen_at() -> datetime:
    """The simulator's clock in every test: 00:30 UTC tomorrow.

    Quiet hours (the heaters hold their target), and later than Home Assistant's
    real clock, so a holiday Home Assistant starts "now" has begun for the simulator.
    """
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, dt_time(0, 30), tzinfo=UTC)


CONFIGURATION = """\
homeassistant:
  name: End-to-end
  time_zone: UTC
  country: GB
  currency: GBP
  unit_system: metric
  latitude: 51.5
  longitude: -0.12
  elevation: 10
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
websocket_api:
onboarding:
config:
recorder:
blueprint:
automation: !include automations.yaml
logger:
  default: warning
  logs:
    custom_components.osoenergy: debug
"""


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process Home Assistant here (overrides the root conftest's fixture)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process, without pytest-cov's coverage switches.

    The processes under test are not measured: their coverage would not be the unit
    tests' coverage, and measuring them slows Home Assistant down.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COV_CORE_", "COVERAGE_"))
    }
    return {**env, **extra}


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process (and its children) politely, then for sure."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@dataclass
class SimulatorProcess:
    """`python -m scripts.simulator` on its own port."""

    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The simulator's root URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the simulator and wait until its control API answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "scripts.simulator", "--port", str(self.port)],
                cwd=ROOT,
                env=child_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.control("GET", "/_sim/requests")
            except (URLError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
            else:
                return

    def stop(self) -> None:
        """Stop the simulator."""
        if self.process is not None:
            _stop(self.process)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the simulator's control API (or the simulated OSO API)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "Ocp-Apim-Subscription-Key": OSO_KEY,
        }
        request = Request(self.url + path, data=data, headers=headers, method=method)  # noqa: S310
        with urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def oso_state(self, device_id: str) -> dict[str, Any]:
        """The simulator's stored state of one OSO device."""
        state: dict[str, Any] = self.control("GET", "/_sim/state")["oso"]["devices"]
        return state[device_id]

    def oso_device(self, device_id: str) -> dict[str, Any]:
        """The device object the simulated OSO API answers right now."""
        devices = self.control("GET", "/oso/water-heater-api/1/Device/All")
        return next(device for device in devices if device["deviceId"] == device_id)


@dataclass
class HomeAssistantProcess:
    """A real `hass` process with its own configuration directory."""

    config_dir: Path
    port: int
    api_url: str
    simulator_url: str = ""
    process: subprocess.Popen[bytes] | None = None
    client: HomeAssistantClient = field(init=False)

    def __post_init__(self) -> None:
        """Write the configuration."""
        self.client = HomeAssistantClient(f"http://127.0.0.1:{self.port}")
        self.config_dir.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "configuration.yaml").write_text(
            CONFIGURATION.format(port=self.port)
        )

    @property
    def log(self) -> Path:
        """Home Assistant's own log file."""
        return self.config_dir / "home-assistant.log"

    def start(self) -> None:
        """Prepare the directory, start `hass` and wait until its HTTP server answers.

        Like each start of `scripts/develop`, this links the integrations and syncs the
        blueprints again.
        """
        prepare(self.config_dir)
        env = child_env(
            OSOENERGY_DEV_API_URL=self.api_url,
            OCTOPUS_ENERGY_DEV_API_URL=f"{self.simulator_url}/octopus",
            OCTOPUS_ENERGY_DEV_BACKEND_URL=f"{self.simulator_url}/octopus-backend",
        )
        with (self.config_dir / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "homeassistant",
                    "--config",
                    str(self.config_dir),
                    "--skip-pip",
                ],
                cwd=self.config_dir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = self.process
        self.client.wait_until_up(START_TIMEOUT, alive=lambda: process.poll() is None)
        if self.client.token is not None:
            self.client.wait_until_running(START_TIMEOUT)

    def stop(self) -> None:
        """Stop `hass` the way a user's service manager would (SIGTERM)."""
        if self.process is not None:
            _stop(self.process)

    def restart(self) -> None:
        """Stop and start again with the same configuration directory."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 60) -> str:
        """The end of Home Assistant's log, for failure messages."""
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def simulator(tmp_path: Path, socket_enabled: None) -> Iterator[SimulatorProcess]:
    """A fresh simulator with its clock frozen (see `frozen_at`)."""
    sim = SimulatorProcess(free_port(), tmp_path / "simulator.log")
    try:
        sim.start()
        sim.control(
            "POST", "/_sim/clock", {"now": frozen_at().isoformat(), "freeze": True}
        )
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def home_assistant(
    tmp_path: Path, simulator: SimulatorProcess
) -> Iterator[HomeAssistantProcess]:
    """A running, onboarded Home Assistant with OSO Energy set up via its flow."""
    if importlib.util.find_spec("hass_frontend") is None:
        pytest.fail(
            "home-assistant-frontend is not installed: Home Assistant would start in "
            "recovery mode. Run scripts/setup (or scripts/develop once)."
        )
    ha = HomeAssistantProcess(
        tmp_path / "config",
        free_port(),
        f"{simulator.url}/oso/water-heater-api",
        simulator.url,
    )
    try:
        ha.start()
        ha.client.onboard(USERNAME, PASSWORD)
        ha.client.wait_until_running(START_TIMEOUT)
        ha.client.config_flow("osoenergy", [{"api_key": OSO_KEY}])
        yield ha
    finally:
        ha.stop()
        print(ha.log_tail())  # noqa: T201  (pytest shows it when the test fails)
