"""Driving the built site in headless Chromium: launch flags, a problem watcher, a local web server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, Request, Response

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# How long a page may take to do what a test waits for: a bound for a stuck page, not a speed goal.
TIMEOUT_MS = 60_000


@dataclass
class Watch:
    """Everything that went wrong while a page was open: console errors, script errors, failed loads."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _failed(self, request: Request) -> None:
        # A load cancelled, as one still under way is when the test goes on to the next page, is the
        # browser's doing: a file that is missing or refused fails with a reason of its own.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@contextmanager
def serve_under_subpath(site: Path, www: Path) -> Iterator[str]:
    """``site`` copied into ``www`` and served by http.server under /archive/sub/; yields that URL."""
    shutil.copytree(site, www / "archive" / "sub")
    with static_host(www) as root:
        yield root + "archive/sub/"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_host(www: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """``www`` served by http.server on a free port of the loopback, each request by ``handler``; yields
    the root address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=60)


@contextmanager
def both_ways(site: Path, www: Path) -> Iterator[tuple[str, str]]:
    """The site's root address from disk (file://) and served under a sub-path, as readers reach it."""
    with serve_under_subpath(site, www) as served:
        yield site.as_uri() + "/", served


def open_page(tab: Page, url: str) -> None:
    response = tab.goto(url, wait_until="load")
    if url.startswith("http"):
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    tab.wait_for_load_state("networkidle")


def search(tab: Page, query: str, filters: dict | None = None) -> list[dict[str, str]]:
    """The results the search page's own engine gives for ``query``, as the page lists them."""
    return tab.evaluate("([q, f]) => gongkai.search(q, f)", [query, filters or {}])
