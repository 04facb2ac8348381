"""`gongkai serve`: build, serve the site on loopback, rebuild on every edit, reload open tabs.

The site is served from the output folder exactly as built; only the responses to browsers carry a
small script that waits for the next rebuild and reloads the page, or shows the problems of a failed
one over the last good page. Nothing of it is ever written into the site. Only requests addressed to
this computer by name or address are answered, and no request, however odd, stops the server or
prints more than a line.
"""

from __future__ import annotations

import ctypes
import gc
import ipaddress
import json
import posixpath
import re
import socket
import sys
import threading
import time
import webbrowser
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from generator.core.config import Config, load_config
from generator.core.markdown import convert
from generator.core.problems import ProblemsFound
from generator.core.processes import no_cycle_collection
from generator.pipeline import BuildResult, Superseded, build_site, edited_pages
from generator.serve.problems import problem_view
from generator.serve.watch import Rebuilder, Watcher

LIVE = "/__gongkai/"
LONG_POLL_SECONDS = 20.0
# The longest an edited page waits for the open tabs to reload before the whole site is built.
RELOAD_SECONDS = 1.0
_TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + _TEXT,
    ".js": "text/javascript" + _TEXT,
    ".css": "text/css" + _TEXT,
    ".json": "application/json" + _TEXT,
    ".xml": "application/xml" + _TEXT,
    ".txt": "text/plain" + _TEXT,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}
# The build a page was served from goes with the script, so that a build finishing before the script
# first asks still reloads the page.
_SCRIPT_TAG = f'<script src="{LIVE}live.js" data-version="{{version}}"></script>'
_NOT_FOUND = b"<!DOCTYPE html><title>404</title><p>Not found.</p>"


@dataclass(frozen=True)
class Outcome:
    """What the last build attempt left: a number that grows with every attempt, and its problems as
    the overlay shows them (problem_view)."""

    version: int
    problems: tuple[dict[str, Any], ...]


class BuildState:
    """The last outcome, and a way to wait for the next one; and the pages that show edited reports
    before the build of the whole site lands, by output path."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.outcome = Outcome(0, ())
        self.pages: Mapping[str, bytes] = {}
        # Open tabs waiting for the next build, by the build they have.
        self._waiting: Counter[int] = Counter()

    def record(self, problems: tuple[dict[str, Any], ...]) -> None:
        """A build landed (or failed): the site on disk is what to show."""
        self._next(problems, {})

    def show(self, pages: Mapping[str, bytes]) -> Callable[[float], None]:
        """Show ``pages`` instead of the site's files at their paths until the next build lands; what
        waits, at most the seconds it is given, until every tab open now has reloaded: a build started
        meanwhile would hold the interpreter that answers them. (A tab closed while it waited is not
        known to be gone, and is waited for until the time is up.)"""
        with self._condition:
            tabs = self._waiting.total()
            self._next(self.outcome.problems, pages)
            shown = self.outcome.version

        def reloaded(timeout: float) -> None:
            with self._condition:
                self._condition.wait_for(lambda: self._waiting[shown] >= tabs, timeout=timeout)

        return reloaded

    def _next(self, problems: tuple[dict[str, Any], ...], pages: Mapping[str, bytes]) -> None:
        with self._condition:
            self.pages = pages
            self.outcome = Outcome(self.outcome.version + 1, problems)
            self._condition.notify_all()

    def next_after(self, version: int, timeout: float) -> Outcome:
        with self._condition:
            self._waiting[version] += 1
            self._condition.notify_all()
            try:
                self._condition.wait_for(lambda: self.outcome.version != version, timeout=timeout)
            finally:
                self._waiting[version] -= 1
                if not self._waiting[version]:
                    del self._waiting[version]
            return self.outcome


class CannotListen(Exception):
    """The address or port to serve on cannot be used."""


def serve(root: Path, host: str, port: int, open_browser: bool, poll: bool) -> None:
    """Build, then serve and rebuild until interrupted (Ctrl+C)."""
    config = load_config(root)
    preview = Preview(root, config.output_dir)
    # Listening before the first build tells of a port in use at once, not after minutes of building.
    server = make_server(config.output_dir, preview.state, host, port)
    watcher = Watcher(root, poll)
    rebuilder = Rebuilder(lambda files: preview.rebuild(watcher.follow, files, rebuilder.pending))
    stop = threading.Event()
    try:
        # Watching from before the first build: a file saved while it runs is built by the next one. The
        # rebuilder starts after it, so the edits made meanwhile are one rebuild, never one alongside it.
        watcher.start(rebuilder, _watched(root, config))
        preview.rebuild(watcher.follow)
        threading.Thread(target=rebuilder.run, args=(stop,), daemon=True).start()
        url = f"http://{_bracketed(host)}:{server.server_address[1]}/"
        _say(f"Serving {url} — watching content, layouts and config.yaml (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.stop()
        server.server_close()


def _say(message: str) -> None:
    print(message, flush=True)


def counted(n: int, noun: str) -> str:
    """``1 page``, ``3 pages``: a count as English says it."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _watched(root: Path, config: Config) -> tuple[Path, ...]:
    return config.content_dir, root / "layouts"


class Preview:
    """The builds of one serve session: each reuses what the last one made from unchanged data."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.state = BuildState()
        self.last: BuildResult | None = None

    def rebuild(
        self,
        follow: Callable[[tuple[Path, ...]], None] = lambda folders: None,
        files: frozenset[Path] = frozenset(),
        superseded: Callable[[], bool] = lambda: False,
    ) -> None:
        """Show the edited reports' pages at once when they can be made on their own, then build the
        site and tell open tabs; a build superseded by newer edits is given up for the next. On problems
        the previous site stays served."""
        started = time.perf_counter()
        self._show_edited(files, started)
        try:
            self._build(follow, superseded, started)
        finally:
            _let_go()

    def _build(
        self, follow: Callable[[tuple[Path, ...]], None], superseded: Callable[[], bool], started: float
    ) -> None:
        try:
            config = load_config(self.root)
            follow(_watched(self.root, config))
            with no_cycle_collection():
                result = build_site(
                    self.root,
                    self.out,
                    earlier=self.last and self.last.earlier,
                    cache=True,
                    superseded=superseded,
                )
        except Superseded:
            _say("Edited again: building anew")
            return
        except ProblemsFound as found:
            problems = found.problems
            told = "\n".join(map(str, problems))
            # Told once the tabs can know it: what the terminal says, a tab asking next is answered.
            self.state.record(tuple(problem_view(problem, self.root) for problem in problems))
            _say(f"error: {counted(len(problems), 'problem')}; still serving the last good site.\n{told}")
            return
        self.last = result
        stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.stages)
        self.state.record(())
        _say(f"Built the site ({counted(result.pages, 'page')}) in {time.perf_counter() - started:.2f} s: {stages}")

    def _show_edited(self, files: frozenset[Path], started: float) -> None:
        with no_cycle_collection():
            pages = edited_pages(self.last, files) if self.last and files else {}
        if pages:
            reloaded = self.state.show(pages)
            shown = ", ".join(pages)
            _say(f"Showed {shown} in {time.perf_counter() - started:.2f} s; building the rest of the site")
            reloaded(RELOAD_SECONDS)


def _let_go() -> None:
    """What a build leaves that the next one does not need: the reference cycles it made without the
    collector, and the Markdown conversions of every report's text (some hundreds of megabytes at
    10,000 reports), which the next build needs only for the reports edited since (an edit of the
    report page's template then parses every text again); and the memory all that held, which the C
    library keeps for the process unless asked to give it back (at 10,000 reports, half a gigabyte
    after each build, on top of the next one's)."""
    convert.cache_clear()
    gc.collect()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the GNU C library's; elsewhere nothing
    if trim is not None:
        trim(0)


def make_server(site: Path, state: BuildState, host: str, port: int) -> ThreadingHTTPServer:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        server = _Server((host.strip("[]"), port), _Handler, family)
    except OSError as error:
        raise CannotListen(f"cannot listen on {_bracketed(host)}:{port}: {error.strerror or error}") from None
    server.site, server.state = site, state
    server.hosts = HostCheck(host, server.server_address[0])
    return server


class HostCheck:
    """Which Host headers the preview answers. A page of another site can reach this server through a
    name of its own made to resolve to this computer (DNS rebinding); its requests carry that name."""

    def __init__(self, host: str, address: str) -> None:
        """``host`` is what serve was asked to listen on, ``address`` what it listens on."""
        self.names = {"localhost", host.strip("[]").lower(), address.lower()}
        # Listening on every interface is asked for to be reached from elsewhere, by this computer's
        # address; no name is looked up for a numeric one, so it cannot be rebound.
        listening = _address(host.strip("[]"))
        self.any_address = listening is not None and listening.is_unspecified

    def __call__(self, header: str) -> bool:
        found = _HOST.fullmatch(header)
        if found is None:
            return False
        name = (found["name"] or found["ip6"]).lower()
        address = _address(name)
        if found["ip6"] and (address is None or address.version != 6):
            return False
        return name in self.names or (address is not None and (address.is_loopback or self.any_address))


# A Host header: a name or IPv4 address, or an IPv6 address in brackets; then perhaps a port.
_HOST = re.compile(r"(?:(?P<name>[a-z0-9_.-]+)|\[(?P<ip6>[0-9a-f:.]+)\])(?::[0-9]{1,5})?", re.ASCII | re.IGNORECASE)
# ``since`` is a build number the page has seen, or -1 for none yet.
_SINCE = re.compile(r"-1|[0-9]{1,9}", re.ASCII)


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Path
    state: BuildState
    hosts: HostCheck

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], family: int) -> None:
        self.address_family = family
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that goes away mid-request is no news; anything else is told in one line, not a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            print(f"error: answering {client_address}: {error!r}", file=sys.stderr, flush=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # A client that sends nothing, or reads nothing, lets go of its thread after this long.
    timeout = 120
    # The build a page being answered comes from (-1: not known).
    version = -1

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the build messages

    def _answer(self, send_body: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self.server.hosts(hosts[0]):
            self._plain(
                HTTPStatus.FORBIDDEN, "Forbidden: the preview answers only to localhost and the --host name.", send_body
            )
            return
        if not self.path.startswith("/"):
            self._plain(HTTPStatus.BAD_REQUEST, "Bad request: the target must be a path.", send_body)
            return
        path, _, query = self.path.partition("#")[0].partition("?")
        if path == LIVE + "live.js":
            self._send(HTTPStatus.OK, ".js", LIVE_SCRIPT.encode(), send_body)
        elif path == LIVE + "state":
            self._state(query, send_body)
        else:
            self._file(path, send_body)

    def _state(self, query: str, send_body: bool) -> None:
        since = parse_qs(query, keep_blank_values=True).get("since", ["-1"])
        if len(since) != 1 or not _SINCE.fullmatch(since[0]):
            self._plain(HTTPStatus.BAD_REQUEST, "Bad request: since must be -1 or a build number.", send_body)
            return
        outcome = self.server.state.next_after(int(since[0]), LONG_POLL_SECONDS)
        body = json.dumps({"version": outcome.version, "problems": outcome.problems}, ensure_ascii=False)
        self._send(HTTPStatus.OK, ".json", body.encode(), send_body)

    def _file(self, url_path: str, send_body: bool) -> None:
        # Read before the file: a build that lands in between then costs a reload, never a missed one.
        state = self.server.state
        self.version = state.outcome.version
        edited = _shown(state.pages, url_path)
        if edited is not None:
            self._send(HTTPStatus.OK, ".html", edited, send_body)
            return
        found = site_file(self.server.site, url_path)
        body = _read(found)
        if found and body is not None:
            self._send(HTTPStatus.OK, found.suffix, body, send_body)
            return
        page = _read(site_file(self.server.site, "/404.html"))
        self._send(HTTPStatus.NOT_FOUND, ".html", _NOT_FOUND if page is None else page, send_body)

    def _plain(self, status: HTTPStatus, message: str, send_body: bool) -> None:
        self._send(status, ".txt", (message + "\n").encode(), send_body)

    def _send(self, status: HTTPStatus, suffix: str, body: bytes, send_body: bool) -> None:
        if suffix == ".html":
            body = _with_live_script(body, self.version)
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def site_path(url_path: str) -> str | None:
    """The output path a URL path names (``""`` for the site's root), or None if it names none."""
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None  # escapes that are not UTF-8 name no file of the site
    if "\x00" in path or "\\" in path:
        return None
    return posixpath.normpath("/" + path).lstrip("/")


def _shown(pages: Mapping[str, bytes], url_path: str) -> bytes | None:
    """The page shown from memory at a URL path, a folder's by its index.html, or None."""
    relative = site_path(url_path)
    if relative is None:
        return None
    found = pages.get(relative)
    return pages.get(posixpath.join(relative, "index.html")) if found is None else found


def site_file(site: Path, url_path: str) -> Path | None:
    """The file of the site a URL path names, or None: never a folder listing, never a file outside it."""
    relative = site_path(url_path)
    if relative is None:
        return None
    target = site.joinpath(*relative.split("/")) if relative and relative != "." else site
    try:
        if target.is_dir():
            target = target / "index.html"
        real, root = target.resolve(), site.resolve()
        return target if real.is_relative_to(root) and real.is_file() else None
    except (OSError, RuntimeError):
        return None  # a name too long, a link loop: no file either


def _read(path: Path | None) -> bytes | None:
    """The bytes of ``path``, or None: a rebuild may have removed it since it was found."""
    try:
        return path.read_bytes() if path else None
    except OSError:
        return None


def _with_live_script(page: bytes, version: int) -> bytes:
    tag = _SCRIPT_TAG.format(version=version).encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


# Waits for the next build; reloads after a good one, or shows a failed one's problems over the page.
LIVE_SCRIPT = Path(__file__).with_name("live.js").read_text(encoding="utf-8")
