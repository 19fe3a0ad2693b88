"""Headless Chromium driven over the DevTools protocol with the `websockets` client (no Selenium)."""

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import websockets


class Chromium:
    """One headless browser with one page; `async with Chromium.start() as page`."""

    def __init__(self) -> None:
        binary = shutil.which("chromium")
        # A failure, not a skip: scripts/test installs Debian's chromium.
        assert binary, "chromium is not on the PATH (scripts/test installs Debian's chromium package)"
        self.profile = tempfile.TemporaryDirectory(prefix="auction-chromium-")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile.name}", "--window-size=1100,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Its own process group: its helpers (zygote, renderers, crashpad) are stopped with it.
            start_new_session=True,
        )
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.socket = None
        self.session = None

    @classmethod
    def start(cls) -> "Chromium":
        return cls()

    async def __aenter__(self) -> "Chromium":
        # Chromium writes the port it chose, then the browser's socket path, to this file.
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            assert self.process.poll() is None, f"chromium exited with {self.process.returncode}"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port within 60 s"
            await asyncio.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self.socket = await websockets.connect(f"ws://127.0.0.1:{port}{path}", max_size=None)
        self.reader = asyncio.create_task(self._read())
        target = await self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = await self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True)
        self.session = attached["sessionId"]
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        return self

    async def __aexit__(self, *_) -> None:
        self.reader.cancel()
        await self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # Helpers that outlive the browser still write to the profile (a CI run once
        # failed removing it: "Directory not empty: 'Default'").
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.profile.cleanup()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)

    async def _read(self) -> None:
        async for message in self.socket:
            reply = json.loads(message)
            future = self.pending.pop(reply.get("id"), None)
            if future and not future.done():
                if "error" in reply:
                    future.set_exception(RuntimeError(f"CDP error: {reply['error']}"))
                else:
                    future.set_result(reply.get("result", {}))

    async def send(self, method: str, params: dict | None = None, browser: bool = False) -> dict:
        number = next(self.ids)
        message = {"id": number, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self.session
        future = asyncio.get_running_loop().create_future()
        self.pending[number] = future
        await self.socket.send(json.dumps(message))
        async with asyncio.timeout(30):
            return await future

    async def evaluate(self, expression: str):
        reply = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        assert "exceptionDetails" not in reply, f"{expression}: {reply['exceptionDetails']}"
        return reply["result"].get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})
        await self.wait_for("document.readyState === 'complete' && location.href === " + json.dumps(url))

    async def wait_for(self, expression: str, seconds: float = 20):
        """Polls until the expression is truthy; fails with its last value after `seconds`."""
        deadline = time.monotonic() + seconds
        value = None
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"not true within {seconds} s: {expression} (last value {value!r})")

    async def text(self, selector: str) -> str:
        return await self.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")

    async def screenshot(self, path: Path) -> None:
        reply = await self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(reply["data"]))
