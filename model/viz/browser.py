"""Serve the app in a child process and drive it with headless Chromium (tests, screenshot).

The browser is the system's Chromium (Debian's `chromium`, installed by `.ci/install-browser`),
never one downloaded by Playwright: these machines are offline. It runs with a fresh profile
and without any of Chromium's own network traffic (updates, sync, QUIC), so the only requests
are to the app on the loopback interface.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from .cli import server_command, server_env

CHROMIUM_ENV = "PRESSURE_CHROMIUM"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1500, "height": 1050}


def find_chromium() -> str | None:
    """`$PRESSURE_CHROMIUM`, else the first system Chromium found."""
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if Path(explicit).exists() else None
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`pressure viz`'s server on 127.0.0.1 and a free port, its output kept in a log file."""

    def __init__(self, scenario: str | None = None, port: int | None = None,
                 log_dir: Path | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self._dir = tempfile.TemporaryDirectory(prefix="pressure-viz-") if log_dir is None \
            else None
        self.log_path = Path(log_dir or self._dir.name) / "server.log"
        self.scenario = scenario
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> AppServer:
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(server_command("127.0.0.1", self.port),
                                     env=server_env(self.scenario), stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app server exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the app server did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._dir is not None:
            self._dir.cleanup()


def open_browser(playwright, profile_dir: str, executable: str | None = None):
    """A headless Chromium context with a fresh profile in `profile_dir`."""
    executable = executable or find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: run .ci/install-browser (or set "
                           f"{CHROMIUM_ENV}=/path/to/chromium)")
    return playwright.chromium.launch_persistent_context(
        profile_dir, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport=VIEWPORT)
