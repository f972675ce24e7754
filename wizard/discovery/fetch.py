"""HTTP(S) for discovery: one request, bounded in time and size, XML only.

Built on :mod:`http.client` over sockets from :mod:`wizard.discovery.net` (so certificates
are verified against the system's trust store, or ``SSL_CERT_FILE``, and a cancelled scope
shuts the connection down). Rules, as Thunderbird applies them and a little stricter:

* only 2xx answers count; 404, 410 and other 4xx are "not found", 5xx an error;
* only XML content types (``text/xml``, ``application/xml``, ``application/*+xml``);
* at most :data:`MAX_BODY` bytes, no content encodings;
* redirects are followed up to :data:`MAX_REDIRECTS` times, never from HTTPS down to plain
  HTTP; every URL visited is kept in :attr:`Response.hops`, so a source can tell whether a
  redirect left the domain it asked.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from wizard import __version__
from wizard.discovery.net import NetError, Resolve, connect, start_tls
from wizard.discovery.scope import Cancelled, Job, Scope, race

MAX_BODY = 1024 * 1024
MAX_REDIRECTS = 3
#: Per-request cap, as Thunderbird's; the caller's scope may be shorter.
HTTP_TIMEOUT = 5.0
XML_TYPES = ("text/xml", "application/xml")
USER_AGENT = f"MailWizard/{__version__} (mail settings discovery)"


@dataclass(frozen=True)
class Response:
    """A successful answer: its final URL, status, content type and body."""

    url: str
    status: int
    content_type: str
    body: bytes
    hops: tuple[str, ...]  # every URL requested, the first and the final one included

    @property
    def redirected(self) -> bool:
        return len(self.hops) > 1

    @property
    def plain_http(self) -> bool:
        """True if any hop went over plain HTTP."""
        return any(urlsplit(url).scheme == "http" for url in self.hops)

    def hosts(self) -> tuple[str, ...]:
        return tuple((urlsplit(url).hostname or "").lower() for url in self.hops)


class FetchError(NetError):
    """The request brought nothing usable; ``outcome`` and ``detail`` say why."""


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection whose socket comes from the scope-aware connector."""

    def __init__(
        self, scope: Scope, host: str, port: int, context: ssl.SSLContext | None,
        resolve: Resolve,
    ) -> None:  # fmt: skip
        super().__init__(host, port)
        self._scope = scope
        self._context = context
        self._resolve = resolve
        self.tracked: socket.socket | None = None

    def connect(self) -> None:
        sock: socket.socket = connect(self._scope, self.host, self.port, self._resolve)
        if self._context is not None:
            sock = start_tls(self._scope, sock, self._context, self.host)
        self.sock = sock  # from here on close() releases it
        # http.client "closes" the connection as soon as a response that ends with the
        # connection has begun, handing the socket to the response: it stays tracked by
        # the scope until the whole exchange is over (see _request).
        self.tracked = sock
        sock.setblocking(True)
        sock.settimeout(self._scope.remaining())


def is_xml(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in XML_TYPES or (kind.startswith("application/") and kind.endswith("+xml"))


def fetch(
    scope: Scope,
    url: str,
    *,
    resolve: Resolve,
    context: ssl.SSLContext,
    method: str = "GET",
    body: bytes | None = None,
    content_type: str | None = None,
    repost: bool = False,
    timeout: float = HTTP_TIMEOUT,
) -> Response:
    """Request ``url`` and return its XML answer, or raise :class:`FetchError`.

    With ``repost``, a POST is repeated (with its body) at the target of any redirect, as
    Exchange Autodiscover expects; otherwise 301/302/303 turn it into a GET. The whole
    exchange, redirects included, gets at most ``timeout`` seconds: it runs as a watched
    job, whose sockets are shut down at its deadline even while a server trickles bytes
    (which would restart a plain socket time-out with every byte).
    """

    def run(job: Scope) -> list[Response | BaseException]:
        try:
            return [_fetch(job, url, resolve, context, method, body, content_type, repost)]
        except (NetError, Cancelled) as exc:
            return [exc]

    won = race(scope, [Job(run, (0,), url, timeout)])
    scope.check()
    value = won[1][0] if won is not None else None
    if isinstance(value, Response):
        return value
    if isinstance(value, NetError):
        raise value
    raise FetchError("timeout", "the server did not answer in time")


def _fetch(
    scope: Scope,
    url: str,
    resolve: Resolve,
    context: ssl.SSLContext,
    method: str,
    body: bytes | None,
    content_type: str | None,
    repost: bool,
) -> Response:
    hops: list[str] = []
    current = url
    while True:
        hops.append(current)
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("invalid", f"unusable URL {current}")
        status, headers, data = _request(
            scope, parts.scheme, parts.hostname, parts.port, _target(current),
            method, body, content_type, resolve, context,
        )  # fmt: skip
        if status in (301, 302, 303, 307, 308):
            location = headers.get("location")
            if not location:
                raise FetchError("invalid", f"redirect ({status}) without a Location")
            if len(hops) > MAX_REDIRECTS:
                raise FetchError("invalid", "too many redirects")
            following = urljoin(current, location.strip())
            scheme = urlsplit(following).scheme
            if parts.scheme == "https" and scheme != "https":
                raise FetchError("invalid", f"refused a redirect from HTTPS to {following}")
            if status in (301, 302, 303) and not repost:
                method, body, content_type = "GET", None, None
            current = following
            continue
        if status in (404, 410):
            raise FetchError("not-found", f"HTTP {status}")
        if status == 401:
            raise FetchError("not-found", "HTTP 401: the server wants a login")
        if 400 <= status < 500:
            raise FetchError("not-found", f"HTTP {status}")
        if not 200 <= status < 300:
            raise FetchError("error", f"HTTP {status}")
        kind = headers.get("content-type", "")
        if not is_xml(kind):
            raise FetchError("invalid", f"not XML: {kind or 'no content type'}")
        if not data.strip():
            raise FetchError("invalid", "empty answer")
        return Response(current, status, kind, data, tuple(hops))


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _request(
    scope: Scope,
    scheme: str,
    host: str,
    port: int | None,
    target: str,
    method: str,
    body: bytes | None,
    content_type: str | None,
    resolve: Resolve,
    context: ssl.SSLContext,
) -> tuple[int, dict[str, str], bytes]:
    https = scheme == "https"
    conn = _Connection(scope, host, port or (443 if https else 80), context if https else None,
                       resolve)
    try:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/xml, application/xml",
            "Accept-Encoding": "identity",
            "Connection": "close",
        }
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            try:
                fields = {k.lower(): v for k, v in response.getheaders()}
                if 200 <= response.status < 300:
                    if fields.get("content-encoding", "identity").lower() != "identity":
                        raise FetchError("invalid", "compressed answer refused")
                    declared = fields.get("content-length", "")
                    if declared.isdigit() and int(declared) > MAX_BODY:
                        raise FetchError("invalid", f"answer too large ({declared} bytes)")
                    data = response.read(MAX_BODY + 1)
                    scope.check()  # a read cut short by the deadline is no answer
                    if len(data) > MAX_BODY:
                        raise FetchError("invalid", "answer too large")
                    if declared.isdigit() and len(data) < int(declared):
                        raise FetchError("error", "the answer was cut short")
                else:
                    data = b""
            finally:
                response.close()
        except (OSError, http.client.HTTPException) as exc:
            scope.check()
            if isinstance(exc, TimeoutError | socket.timeout):
                raise FetchError("timeout", "the server did not answer in time") from None
            raise FetchError("error", f"HTTP failed: {type(exc).__name__}") from None
        return response.status, fields, data
    finally:
        conn.close()
        if conn.tracked is not None:
            scope.untrack(conn.tracked)
            conn.tracked.close()
