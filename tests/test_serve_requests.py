"""What `gongkai serve` answers to requests no browser on this computer would send: other sites' names
in Host (DNS rebinding), malformed targets and parameters, odd methods, clients that go away."""

from __future__ import annotations

import http.client
import json
import re
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import make_project, report_text
from test_serve import PAGE, Served

from generator.serve.server import HostCheck

# Names another site could make resolve to this computer, and Host headers that are no name at all.
FORGED_HOSTS = (
    "evil.example",
    "evil.example:{port}",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "localhost.",
    "localhost:",
    "localhost:{port}:1",
    "localhost@evil.example",
    "evil.example#localhost",
    "",
    "::1",
    "[::1",
    "[127.0.0.1]",
    "0.0.0.0",
    "192.0.2.7",
    "127.0.0.1 evil.example",
)
LOOPBACK_HOSTS = (
    "localhost",
    "localhost:{port}",
    "LocalHost",
    "127.0.0.1",
    "127.0.0.1:{port}",
    "127.0.0.2",
    "[::1]",
    "[::1]:{port}",
    "[0:0:0:0:0:0:0:1]:{port}",
)
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


def _raw(served: Served, request: bytes) -> bytes:
    """All serve sends back to ``request``, sent as bytes, until it closes the connection."""
    with socket.create_connection(("127.0.0.1", _port(served)), timeout=60) as client:
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
        return answer


def _status(answer: bytes) -> int | None:
    # A request line that names no HTTP/1 version gets an answer in HTTP/0.9, with no status line.
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer) or re.search(rb"<p>Error code: (\d{3})</p>", answer)
    return int(found[1]) if found else None


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


def test_since_must_be_a_build_number(served: Served) -> None:
    for since in (
        "%C2%B2",
        "%D9%A1",
        "abc",
        "1e3",
        "0x1",
        "+1",
        "-2",
        "1.5",
        "%201",
        "1%00",
        "99999999999999999999",
        "",
        "1&since=2",
    ):
        status, kind, body = _ask(served, "/__gongkai/state?since=" + since, "localhost")
        assert (status, kind) == (400, "text/plain; charset=utf-8") and b"since" in body, since
    for query in ("?since=-1", "?since=0", "", "?other=1"):
        status, _, body = _ask(served, "/__gongkai/state" + query, "localhost")
        assert status == 200 and json.loads(body) == {"version": 1, "problems": []}, query
    _clean(served)


def test_every_request_gets_an_answer_and_no_traceback(served: Served) -> None:
    def get(target: bytes, host: bytes = b"localhost") -> bytes:
        return b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"

    not_found = [
        b"/%00",
        b"/%ff",
        b"/%c0%af",
        b"/%e4%b8",
        b"/%",
        b"/%zz",
        b"/%2e%2e%5cconfig.yaml",
        b"/..\\config.yaml",
        b"/reports\\2020",
        b"/\xff\xfe",
        b"/\x00",
        b"/\xe4\xb8\xad.html",
        b"/" + b"a" * 300,
        b"/a" * 3000,
        b"/" + b"a/" * 2000 + b"..",
        b"//evil.example/x",
    ]
    expected = {get(target): 404 for target in not_found}
    expected |= {
        get(b"/__gongkai/state?since=\xc2\xb2"): 400,
        get(b"/" + b"a" * 70_000): 414,
        get(b"*"): 400,
        get(b"http://evil.example/"): 400,
        get(b"/", b"\xe4\xb8\xad"): 403,
        b"GET / HTTP/2.0\r\n\r\n": 505,
        b"GET / FOO/1.1\r\n\r\n": 400,
        b"GARBAGE\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n": 431,
        b"GET / HTTP/1.1\r\nX: " + b"y" * 70_000 + b"\r\n\r\n": 431,
    }
    for method in (b"PUT", b"POST", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE", b"BREW", b"get", b"G\x00T"):
        expected[method + b" / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"] = 501
    answers = {request: _raw(served, request) for request in expected}
    wrong = [
        (request[:50], len(request), answer[:50])
        for request, answer in answers.items()
        if _status(answer) != expected[request]
    ]
    assert not wrong, wrong
    assert _raw(served, b"\r\n") == b""
    _head_is_get_without_body(served)
    _clean(served)


def _head_is_get_without_body(served: Served) -> None:
    for path in (b"/", b"/" + PAGE.encode(), b"/nope.html", b"/__gongkai/live.js", b"/%ff", b"/" + b"a" * 300):
        got = _raw(served, b"GET " + path + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        head = _raw(served, b"HEAD " + path + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        headers, _, body = got.partition(b"\r\n\r\n")
        assert b"Content-Length: %d\r\n" % len(body) in head, path
        assert _undated(head) == _undated(headers + b"\r\n\r\n"), path


def _undated(answer: bytes) -> list[bytes]:
    return [line for line in answer.split(b"\r\n") if not line.startswith(b"Date: ")]


def _hang_up(client: socket.socket) -> None:
    """Close as a crashed or impatient client does: at once, with a reset rather than a goodbye."""
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def test_clients_that_go_away_are_no_news(served: Served) -> None:
    port = _port(served)
    for _ in range(5):
        client = socket.create_connection(("127.0.0.1", port), timeout=60)
        client.sendall(b"GET /index.html HT")
        _hang_up(client)
    # A tab closed while it waits for the next build: the answer is written to a connection already gone.
    waiting = socket.create_connection(("127.0.0.1", port), timeout=60)
    waiting.sendall(b"GET /__gongkai/state?since=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
    _hang_up(waiting)
    page = served.root / "content/a.md"
    page.write_text(page.read_text(encoding="utf-8").replace("第一版正文", "第二版正文"), encoding="utf-8")
    served.said("Built the site", times=2)  # one long poll of serve's lasts less than a slow rebuild may take
    status, _, body = _ask(served, "/__gongkai/state?since=1", "localhost")
    # The edited page was shown (2), then the site built (3).
    assert status == 200 and json.loads(body)["version"] == 3
    assert "第二版正文".encode() in _ask(served, "/" + PAGE, "localhost")[2]
    _clean(served)


def test_a_tab_closed_mid_answer_is_no_news(tmp_path: Path) -> None:
    # A page far larger than a socket's buffers: the server is still writing it when the client goes.
    long_text = "## 一、总体情况\n\n" + "第一版正文，很长。" * 100_000 + "\n"
    served = Served(make_project(tmp_path, {"content/a.md": report_text(body=long_text)})).serving()
    port = _port(served)
    for hang_up in (_hang_up, socket.socket.close):
        client = socket.create_connection(("127.0.0.1", port), timeout=60)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.sendall(b"GET /" + PAGE.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert client.recv(12).startswith(b"HTTP/1.")
        hang_up(client)
    # The server goes on answering in full, and has said nothing about the clients that left.
    assert "第一版正文，很长。".encode() * 1000 in _ask(served, "/" + PAGE, "localhost")[2]
    _clean(served)
    assert "".join(served.errors) == ""
