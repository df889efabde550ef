"""Take the README's screenshots from a running `scripts/develop` instance.

    scripts/develop &                     # wait for its banner
    python -m scripts.screenshots         # writes docs/images/*.png

Needs Chromium (Debian: `apt-get install chromium`). Chromium runs headless and is
driven over its DevTools protocol: it signs in once with a login code through the
frontend's own `?auth_callback` sign-in (no token is stored anywhere), then opens each
page inside the app and saves it at 1280x900: the config flow of both integrations
(its first form), their integration pages, every device page and the blueprint list.
Re-run it after a change to what those pages show.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
import itertools
import json
from pathlib import Path
import re
import socket
import subprocess
import tempfile
import time
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import aiohttp

from scripts.ha_client import HomeAssistantClient

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ("osoenergy", "octopus_energy")
WIDTH, HEIGHT = 1280, 900
SETTLE = 6.0  # seconds a page gets to load its data and render
# Click a dialog button by its text, looking through every shadow root.
CLICK = """
(text) => {
  const all = (root) => [...root.querySelectorAll("*")].flatMap(
    (el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
  const button = all(document).find((el) =>
    /^(MWC-BUTTON|HA-BUTTON|BUTTON)$/.test(el.tagName) &&
    el.textContent.trim().toLowerCase() === text);
  if (button) button.click();
  return Boolean(button);
}
"""
NAVIGATE = """
(path) => {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", {detail: {replace: false}}));
}
"""


def slug(text: str) -> str:
    """A file-name part: lower case, words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def pages(client: HomeAssistantClient) -> dict[str, str]:
    """File name (without .png) -> frontend path of every page shot."""
    shots = {
        f"integration-{slug(domain)}": f"/config/integrations/integration/{domain}"
        for domain in DOMAINS
    }
    entries = {
        entry["entry_id"]: entry["domain"]
        for domain in DOMAINS
        for entry in client.config_entries(domain)
    }
    for device in client.ws({"type": "config/device_registry/list"}):
        domains = {entries[e] for e in device["config_entries"] if e in entries}
        if domains:
            name = device["name_by_user"] or device["name"]
            key = f"device-{slug(min(domains))}-{slug(name)}"
            shots[key] = f"/config/devices/device/{device['id']}"
    shots["blueprints"] = "/config/blueprint/dashboard"
    return shots


@dataclass
class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    ws: aiohttp.ClientWebSocketResponse
    ids: Iterator[int] = field(default_factory=itertools.count)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events are skipped)."""
        message_id = next(self.ids)
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        while True:
            answer = await self.ws.receive_json()
            if answer.get("id") == message_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result

    async def call(self, function: str, argument: str) -> Any:
        """Run a JavaScript function of one string argument in the page."""
        expression = f"({function})({json.dumps(argument)})"
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True
        )
        return result["result"].get("value")

    async def key(self, key: str) -> None:
        """Press and release one key (a DOM key name such as "Escape")."""
        for kind in ("keyDown", "keyUp"):
            await self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key)

    async def shot(self, target: Path) -> None:
        """Save what the page shows now."""
        await asyncio.sleep(SETTLE)
        data = await self.send("Page.captureScreenshot", format="png")
        await asyncio.to_thread(target.write_bytes, base64.b64decode(data["data"]))
        print(target.name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chromium(binary: str) -> Iterator[str]:
    """Start headless Chromium; yield the address of its DevTools endpoint."""
    port = free_port()
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        devtools = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urlopen(f"{devtools}/json/version", timeout=2).close()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.2)
            yield devtools
        finally:
            process.terminate()
            process.wait(timeout=30)


async def take(
    client: HomeAssistantClient, code: str, devtools: str, out: Path
) -> None:
    """Sign in, then shoot the config flows and every page of `pages`."""
    state = json.dumps({"hassUrl": client.url, "clientId": client.client_id})
    query = urlencode(
        {
            "auth_callback": "1",
            "code": code,
            "state": base64.b64encode(state.encode()).decode(),
        }
    )
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{devtools}/json/list") as answer:
            targets = await answer.json()
        page = next(t for t in targets if t["type"] == "page")
        async with session.ws_connect(
            page["webSocketDebuggerUrl"], max_msg_size=0
        ) as ws:
            browser = Browser(ws)
            await browser.send(
                "Emulation.setDeviceMetricsOverride",
                width=WIDTH,
                height=HEIGHT,
                deviceScaleFactor=1,
                mobile=False,
            )
            await browser.send("Page.navigate", url=f"{client.url}/config?{query}")
            await asyncio.sleep(SETTLE)
            for name, path in pages(client).items():
                await browser.call(NAVIGATE, path)
                await browser.shot(out / f"{name}.png")
            for domain in DOMAINS:
                add = "/config/integrations/dashboard/add?" + urlencode(
                    {"domain": domain}
                )
                await browser.call(NAVIGATE, add)
                await asyncio.sleep(SETTLE)
                await browser.call(CLICK, "ok")  # "Do you want to set up …?"
                await browser.shot(out / f"config-flow-{slug(domain)}.png")
                await browser.key("Escape")  # closes the dialog, aborting the flow


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    client = HomeAssistantClient(args.url)
    client.login(args.username, args.password)
    args.out.mkdir(parents=True, exist_ok=True)
    code = client.login_code(args.username, args.password)
    with chromium(args.chromium) as devtools:
        asyncio.run(take(client, code, devtools, args.out))


if __name__ == "__main__":
    main()
