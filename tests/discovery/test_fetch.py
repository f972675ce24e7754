"""The HTTP helper against a loopback server: statuses, content types, sizes, redirects."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wizard.discovery.fetch import MAX_BODY, FetchError, fetch
from wizard.discovery.net import NetError, tls_context
from wizard.discovery.scope import Scope

XML = b'<?xml version="1.0"?><clientConfig/>'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, kind: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/ok": lambda: self.reply(200, "text/xml; charset=utf-8", XML),
            "/app-xml": lambda: self.reply(200, "application/xml", XML),
            "/html": lambda: self.reply(200, "text/html", b"<html>It works</html>"),
            "/missing": lambda: self.reply(404, "text/html", b"nope"),
            "/broken": lambda: self.reply(500, "text/html", b"oops"),
            "/big": lambda: self.reply(200, "text/xml", b" " * (MAX_BODY + 10)),
            "/gzip": lambda: self.reply(200, "text/xml", XML, Content_Encoding="gzip"),
            "/redirect": lambda: self.reply(302, "text/html", b"", Location="/ok"),
            "/loop": lambda: self.reply(302, "text/html", b"", Location="/loop"),
            "/to-other": lambda: self.reply(
                301, "text/html", b"", Location=f"http://localhost:{port}/ok"),
        }
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(100):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)
            return
        routes.get(self.path, lambda: self.reply(404, "text/plain", b""))()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def get(url: str, timeout: float = 3.0) -> object:
    def loopback(_scope: Scope, host: str) -> list[str]:
        assert host == "localhost"
        return ["127.0.0.1"]
    return fetch(Scope(timeout), url, resolve=loopback, context=tls_context())


@pytest.mark.parametrize("path", ["/ok", "/app-xml"])
def test_xml_is_accepted(base: str, path: str):
    response = get(base + path)
    assert response.body == XML and not response.redirected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "outcome", "text"), [
    ("/html", "invalid", "not XML: text/html"),
    ("/missing", "not-found", "HTTP 404"),
    ("/broken", "error", "HTTP 500"),
    ("/big", "invalid", "too large"),
    ("/gzip", "invalid", "compressed"),
    ("/loop", "invalid", "too many redirects"),
])
def test_unusable_answers(base: str, path: str, outcome: str, text: str):
    with pytest.raises(FetchError) as info:
        get(base + path)
    assert info.value.outcome == outcome
    assert text in info.value.detail


def test_redirects_are_followed_and_recorded(base: str):
    response = get(base + "/redirect")
    assert response.hops == (base + "/redirect", base + "/ok")  # type: ignore[attr-defined]
    assert response.redirected and response.plain_http  # type: ignore[attr-defined]
    other = get(base + "/to-other")
    assert other.hosts() == ("127.0.0.1", "localhost")  # type: ignore[attr-defined]


def test_refused_connection_is_not_found():
    with pytest.raises(NetError) as info:
        get("http://127.0.0.1:9/x")
    assert info.value.outcome == "not-found"


def test_a_trickle_ends_at_the_time_out(base: str):
    # A byte every 50 ms would restart a socket time-out forever; the fetch's own
    # deadline stops it, and the caller's scope goes on.
    scope = Scope(5)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(scope, base + "/trickle", resolve=lambda s, h: [h], context=tls_context(),
              timeout=0.5)
    assert info.value.outcome == "timeout"
    assert time.monotonic() - started < 1.0
    assert not scope.stopped
