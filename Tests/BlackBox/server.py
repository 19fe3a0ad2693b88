"""A real `auction serve` process on loopback, SQLite in a temporary folder. It binds
port 0 and writes the port it got to a file (a free port chosen here could be taken
by another process before the server bound it)."""

import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The debug build that scripts/test makes; AUCTION_BINARY names another.
BINARY = Path(os.environ.get("AUCTION_BINARY", ROOT / ".build" / "debug" / "auction"))


class Server:
    def __init__(self, environment: dict[str, str] | None = None) -> None:
        if not BINARY.is_file():
            raise RuntimeError(f"{BINARY} is missing: build it first (scripts/test does)")
        self.folder = tempfile.TemporaryDirectory(prefix="auction-blackbox-")
        self.port_file = Path(self.folder.name) / "port"
        self.log_path = Path(self.folder.name) / "server.log"
        environment = {
            **os.environ,
            "APP_SETTINGS": "dev",
            "CONFIG_DIR": str(ROOT / "config"),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": "0",
            "STORAGE_SQLITE_PATH": str(Path(self.folder.name) / "auction.sqlite"),
            "LOG_LEVEL": "warning",
            # The suites sign up many users from one address and fuzz the
            # routes; the limits have their own tests (Tests/ServerTests).
            "LIMITS_ENABLED": "false",
            **(environment or {}),
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(BINARY), "serve", "--port-file", str(self.port_file)], env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_healthy(seconds=60)

    def _wait_until_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()}")
            if not self.port_file.is_file():
                time.sleep(0.1)
                continue
            self.port = int(self.port_file.read_text())
            self.base = f"http://127.0.0.1:{self.port}"
            self.ws_base = f"ws://127.0.0.1:{self.port}"
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /healthz within {seconds} s:\n{self.log()}")

    @property
    def database(self) -> Path:
        return Path(self.folder.name) / "auction.sqlite"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.folder.cleanup()
