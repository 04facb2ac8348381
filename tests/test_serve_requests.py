"""What `gongkai serve` answers to requests no browser on this computer would send: other sites' names
in Host (DNS rebinding)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import make_project, report_text
from test_serve import PAGE, Served

from generator.serve import HostCheck

# Names another site could make resolve to this computer, and Host headers that are no name at all.
FORGED_HOSTS = ("evil.example", "evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io", "localhost.",
                "localhost:", "localhost:{port}:1", "localhost@evil.example", "evil.example#localhost", "",
                "::1", "[::1", "[127.0.0.1]", "0.0.0.0", "192.0.2.7", "127.0.0.1 evil.example")
LOOPBACK_HOSTS = ("localhost", "localhost:{port}", "LocalHost", "127.0.0.1", "127.0.0.1:{port}", "127.0.0.2",
                  "[::1]", "[::1]:{port}", "[0:0:0:0:0:0:0:1]:{port}")
PATHS = ("/", "/" + PAGE, "/__gongkai/state?since=-1", "/__gongkai/live.js", "/nope.html")


def _project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"content/a.md": report_text(body="## 一、总体情况\n\n第一版正文。\n")})


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    process = Served(_project(tmp_path))
    try:
        yield process.serving()
    finally:
        process.stop()


def _port(served: Served) -> int:
    return int(served.url.rstrip("/").rsplit(":", 1)[1])


def _ask(served: Served, path: str, *hosts: str, method: str = "GET") -> tuple[int, str, bytes]:
    """Status, Content-Type and body of a request with exactly these Host headers (none, one or more)."""
    connection = http.client.HTTPConnection("127.0.0.1", _port(served), timeout=60)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for host in hosts:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers["Content-Type"], response.read()
    finally:
        connection.close()


def _clean(served: Served) -> None:
    """Stop serve and show that nothing it was sent gave a traceback."""
    errors = served.stop()
    assert "Traceback" not in errors and "Exception" not in errors, errors


def test_only_requests_addressed_to_this_computer_are_answered(served: Served) -> None:
    port = _port(served)
    for path in PATHS:
        for host in LOOPBACK_HOSTS:
            status, _, body = _ask(served, path, host.format(port=port))
            assert status == (404 if path == "/nope.html" else 200), (path, host)
        for hosts in [(host.format(port=port),) for host in FORGED_HOSTS] + [(), ("localhost", "evil.example")]:
            for method in ("GET", "HEAD"):
                status, kind, body = _ask(served, path, *hosts, method=method)
                assert (status, kind) == (403, "text/plain; charset=utf-8"), (path, hosts, method)
                assert body == b"" if method == "HEAD" else body.startswith(b"Forbidden"), (path, hosts, method)
    _clean(served)


def test_an_address_to_listen_on_is_answered_by_its_own_name(tmp_path: Path) -> None:
    served = Served(_project(tmp_path), "--host", "::1").serving()
    assert served.url.startswith("http://[::1]:")
    port = _port(served)
    for host in ("[::1]", f"[::1]:{port}", "localhost"):
        assert _ask6(port, host) == 200, host
    assert _ask6(port, "evil.example") == 403
    _clean(served)


def test_every_interface_answers_numeric_addresses_but_no_other_names(tmp_path: Path) -> None:
    served = Served(_project(tmp_path), "--host", "0.0.0.0").serving()
    port = _port(served)
    for host in ("0.0.0.0", f"0.0.0.0:{port}", "192.0.2.7", f"192.0.2.7:{port}", f"[2001:db8::7]:{port}", "localhost"):
        assert _ask(served, "/", host)[0] == 200, host
    for host in ("evil.example", f"evil.example:{port}", "mybox.lan", "[192.0.2.7]"):
        assert _ask(served, "/__gongkai/state", host)[0] == 403, host
    _clean(served)


def _ask6(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("::1", port, timeout=60)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_host_names_given_to_listen_on() -> None:
    named = HostCheck("mybox.lan", "192.168.1.5")
    for host in ("mybox.lan", "MyBox.lan:8000", "192.168.1.5", "192.168.1.5:8000", "localhost", "127.0.0.1"):
        assert named(host), host
    for host in ("evil.example", "192.168.1.6", "mybox.lan.evil.example", "[::ffff:192.168.1.6]"):
        assert not named(host), host
