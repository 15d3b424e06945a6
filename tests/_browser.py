"""Headless Chromium for the tests that look at a page as a reader would: the HTML report and
the documentation site.

`.ci/run` installs Debian's ``chromium``. Without it the browser tests are skipped on a
contributor's machine, and fail where ``IMBALANCE_CI=1`` (CI must not pass by skipping them).
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True where a missing tool is a failure rather than a reason to skip."""
    return os.environ.get("IMBALANCE_CI") == "1"


def missing(what: str) -> NoReturn:
    """Skip the test for lack of ``what``; in CI (``IMBALANCE_CI=1``) fail it instead."""
    if in_ci():
        pytest.fail(f"{what} is missing, and IMBALANCE_CI=1 says this run must have it")
    pytest.skip(f"needs {what}")


def chromium() -> str:
    """Path of the chromium executable (skips, or fails in CI, when there is none)."""
    path = shutil.which("chromium")
    if path is None:
        missing("Debian's chromium (.ci/run installs it)")
    return path


@dataclass
class Page:
    """What a page became once its scripts ran: the DOM, its text and the console."""

    dom: str
    console: list[str]

    @property
    def text(self) -> str:
        """The visible text, tags removed and entities decoded."""
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", self.dom, flags=re.S | re.I)
        return html.unescape(re.sub(r"<[^>]+>", "", body))


def load(url: str, profile: Path, *, budget_ms: int = 3000) -> Page:
    """Open ``url`` in headless Chromium, let its scripts run for ``budget_ms`` of virtual time,
    and return the DOM and every console message (errors, failed loads, logs)."""
    out = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    console = [line for line in out.stderr.splitlines() if "CONSOLE" in line]
    return Page(dom=out.stdout, console=console)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1 for the duration; yields the base URL.

    Pages that run scripts (workers, fetches) need an http origin: file:// refuses them.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
