"""Drive a running Home Assistant over its REST and websocket APIs.

Used by `scripts/develop` and the end-to-end tests: wait until it answers, complete
onboarding (or log in when it is done), set integrations up through their real config
flows, read states and call services. The REST part needs only the standard library;
the websocket part uses aiohttp (always installed next to Home Assistant).

Command line (what `scripts/develop` runs):

    python -m scripts.ha_client --url http://127.0.0.1:8123 setup \
        --username demo --password demo1234 \
        --flow 'osoenergy={"api_key": "sim-oso-demo-key"}'

`--flow HANDLER=JSON` starts the handler's config flow and submits the JSON object (or
each object of a JSON list, one per step); it is skipped when the handler already has
a config entry, so running it again changes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
import json
import sys
import time
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import aiohttp

ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")


class HAError(Exception):
    """Home Assistant answered with an error (or not at all)."""

    def __init__(
        self, message: str, status: int | None = None, detail: Any = None
    ) -> None:
        """Keep the HTTP status (or the websocket error object) with the message."""
        super().__init__(message)
        self.status = status
        self.detail = detail


@dataclass
class HomeAssistantClient:
    """A REST client of one Home Assistant instance."""

    url: str
    token: str | None = None
    timeout: float = 30.0

    @property
    def client_id(self) -> str:
        """The OAuth client id Home Assistant's own frontend would use."""
        return self.url.rstrip("/") + "/"

    # --- plumbing ----------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        form: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """Send one request; return the decoded JSON answer (None when empty)."""
        headers = {"Accept": "application/json"}
        data: bytes | None = None
        if form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = self.url.rstrip("/") + path
        request = Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                text = response.read().decode()
        except HTTPError as err:
            detail = err.read().decode(errors="replace")[:500]
            msg = f"{method} {path}: HTTP {err.code} {detail}"
            raise HAError(msg, err.code) from err
        except (URLError, OSError) as err:
            msg = f"{method} {path}: {err}"
            raise HAError(msg) from err
        return json.loads(text) if text.strip() else None

    def is_up(self) -> bool:
        """Whether the HTTP server answers.

        It asks for the frontend's `/manifest.json`, which needs no login: a request
        to an API that wants one (such as `/api/`) without a token counts as a failed
        login and leaves a "Login attempt failed" notification. Home Assistant starts
        its HTTP server once the frontend (and with it onboarding and auth) is set up,
        so any answer means the login and onboarding views are there.
        """
        try:
            self.request("GET", "/manifest.json", auth=False)
        except HAError as err:
            return err.status is not None
        return True

    def wait_until_up(
        self, timeout: float = 120.0, alive: Callable[[], bool] | None = None
    ) -> None:
        """Wait until the HTTP server answers; fail early if `alive()` turns False."""
        deadline = time.monotonic() + timeout
        while not self.is_up():
            if alive is not None and not alive():
                msg = "Home Assistant exited while starting"
                raise HAError(msg)
            if time.monotonic() > deadline:
                msg = f"Home Assistant did not answer at {self.url} in {timeout:.0f} s"
                raise HAError(msg)
            time.sleep(0.25)

    def wait_until_running(self, timeout: float = 120.0) -> None:
        """Wait until start-up has finished (integrations set up); needs a token."""
        deadline = time.monotonic() + timeout
        while self.request("GET", "/api/config").get("state") != "RUNNING":
            if time.monotonic() > deadline:
                msg = f"Home Assistant did not finish starting in {timeout:.0f} s"
                raise HAError(msg)
            time.sleep(0.25)

    # --- onboarding and login ----------------------------------------------------

    def onboarding_done(self) -> set[str]:
        """The onboarding steps already done (all of them once onboarding ended)."""
        try:
            steps = self.request("GET", "/api/onboarding", auth=False)
        except HAError as err:
            if err.status == 404:  # noqa: PLR2004  (the views go once it is done)
                return set(ONBOARDING_STEPS)
            raise
        return {step["step"] for step in steps if step["done"]}

    def _token_from_code(self, code: str) -> str:
        answer = self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
            auth=False,
        )
        self.token = str(answer["access_token"])
        return self.token

    def onboard(self, username: str, password: str, name: str = "Demo") -> str:
        """Complete every onboarding step as a new owner; return an access token."""
        done = self.onboarding_done()
        if "user" in done:
            self.login(username, password)
        else:
            answer = self.request(
                "POST",
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": name,
                    "username": username,
                    "password": password,
                    "language": "en",
                },
                auth=False,
            )
            self._token_from_code(answer["auth_code"])
        self._finish_onboarding(done)
        assert self.token is not None  # noqa: S101
        return self.token

    def _finish_onboarding(self, done: set[str]) -> None:
        if "core_config" not in done:
            self.request("POST", "/api/onboarding/core_config", {})
        if "analytics" not in done:
            self.request("POST", "/api/onboarding/analytics", {})
        if "integration" not in done:
            self.request(
                "POST",
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": self.client_id},
            )

    def login(self, username: str, password: str) -> str:
        """Log in with Home Assistant's own user store; return an access token."""
        return self._token_from_code(self.login_code(username, password))

    def login_code(self, username: str, password: str) -> str:
        """Run the login flow; return its one-time authorization code.

        The frontend takes such a code too (`?auth_callback=1&code=…`), which is how
        `scripts/screenshots.py` opens pages behind the login.
        """
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
            auth=False,
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": self.client_id,
                "username": username,
                "password": password,
            },
            auth=False,
        )
        if result.get("type") != "create_entry":
            msg = f"Login as {username} failed: {result.get('errors')}"
            raise HAError(msg)
        return str(result["result"])

    # --- config entries and flows ------------------------------------------------

    def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """The config entries of one integration."""
        entries: list[dict[str, Any]] = self.request(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )
        return entries

    def config_flow(self, handler: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
        """Run an integration's config flow, submitting one input per form step."""
        result: dict[str, Any] = self.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": handler, "show_advanced_options": False},
        )
        for user_input in steps:
            if result.get("type") != "form":
                break
            result = self.request(
                "POST",
                f"/api/config/config_entries/flow/{result['flow_id']}",
                user_input,
            )
        if result.get("type") != "create_entry":
            msg = f"The {handler} config flow did not create an entry: {result}"
            raise HAError(msg)
        return result

    def reload_entry(self, entry_id: str) -> None:
        """Reload one config entry."""
        self.request("POST", f"/api/config/config_entries/entry/{entry_id}/reload")

    # --- states and services -----------------------------------------------------

    def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state, by entity id."""
        return {
            state["entity_id"]: state for state in self.request("GET", "/api/states")
        }

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """One entity's state (None if it has none)."""
        try:
            state: dict[str, Any] = self.request("GET", f"/api/states/{entity_id}")
        except HAError as err:
            if err.status == 404:  # noqa: PLR2004
                return None
            raise
        return state

    def call_service(
        self,
        domain: str,
        service: str,
        data: dict[str, Any] | None = None,
        *,
        return_response: bool = False,
    ) -> Any:
        """Call a service (action); with return_response, return its response."""
        path = f"/api/services/{domain}/{service}"
        if return_response:
            path += "?return_response"
        return self.request("POST", path, data or {})

    # --- websocket ---------------------------------------------------------------

    def ws(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result (in a helper thread)."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self.async_ws(message)).result()

    async def async_ws(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result."""
        url = self.url.rstrip("/") + "/api/websocket"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json())["type"] != "auth_ok":
                msg = "The websocket API refused the token"
                raise HAError(msg)
            await ws.send_json({"id": 1, **message})
            answer = await ws.receive_json()
        if not answer.get("success"):
            msg = f"{message['type']}: {answer.get('error')}"
            raise HAError(msg, detail=answer.get("error"))
        return answer.get("result")

    def entity_ids(self, platform: str) -> dict[tuple[str, str], str]:
        """Map (entity domain, unique id) of an integration's entities to entity ids."""
        entries = self.ws({"type": "config/entity_registry/list"})
        return {
            (entry["entity_id"].partition(".")[0], entry["unique_id"]): entry[
                "entity_id"
            ]
            for entry in entries
            if entry["platform"] == platform
        }


def _parse_flow(spec: str) -> tuple[str, list[dict[str, Any]]]:
    handler, _, payload = spec.partition("=")
    steps = json.loads(payload) if payload else [{}]
    return handler, steps if isinstance(steps, list) else [steps]


def setup(
    client: HomeAssistantClient,
    username: str,
    password: str,
    flows: list[str],
    wait: float,
) -> int:
    """Wait for Home Assistant, onboard or log in, then add missing integrations.

    Return how many integrations could not be set up.
    """
    client.wait_until_up(timeout=wait)
    client.onboard(username, password)
    client.wait_until_running(timeout=wait)
    failed = 0
    for spec in flows:
        handler, steps = _parse_flow(spec)
        if client.config_entries(handler):
            print(f"{handler}: already set up")
            continue
        try:
            result = client.config_flow(handler, steps)
        except HAError as err:
            print(f"{handler}: could not be set up: {err}")
            failed += 1
        else:
            print(f"{handler}: set up as {result.get('title')!r}")
    return failed


def main() -> None:
    """Command line: `setup` (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    commands = parser.add_subparsers(dest="command", required=True)
    setup_parser = commands.add_parser("setup", help="onboard and add integrations")
    setup_parser.add_argument("--username", default="demo")
    setup_parser.add_argument("--password", default="demo1234")
    setup_parser.add_argument("--flow", action="append", default=[])
    setup_parser.add_argument("--wait", type=float, default=180.0)
    args = parser.parse_args()
    client = HomeAssistantClient(args.url)
    if setup(client, args.username, args.password, args.flow, args.wait):
        sys.exit(1)


if __name__ == "__main__":
    main()
