"""What a simulated web server answers at one path: a file, a redirect or a Python handler."""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .guard import NetSimError

_SAFE_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,=:@%/-]*")
_SAFE_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")


@dataclass(frozen=True)
class File:
    """A static body nginx serves for GET and HEAD (other methods get 405, as from real servers)."""

    body: bytes
    content_type: str = "application/octet-stream"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Redirect:
    """An HTTP redirect to an absolute URL (same host or another one)."""

    location: str
    status: int = 302


@dataclass(frozen=True)
class Request:
    """One request that reached an Endpoint, as the Python backend saw it."""

    method: str
    scheme: str
    host: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Response:
    """What an Endpoint handler answers."""

    status: int = 200
    content_type: str = "text/plain"
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


class Endpoint:
    """A path nginx forwards (any method, with its body) to a Python handler; records requests.

    ``Endpoint(response)`` always answers the same; ``Endpoint(handler)`` calls
    ``handler(request) -> Response``. Use it for POST (Exchange Autodiscover).
    """

    def __init__(self, answer: Response | Handler) -> None:
        self._answer = answer
        self._lock = threading.Lock()
        self._requests: list[Request] = []

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def handle(self, request: Request) -> Response:
        with self._lock:
            self._requests.append(request)
        if isinstance(self._answer, Response):
            return self._answer
        return self._answer(request)


Resource = File | Redirect | Endpoint
ResourceSpec = Resource | bytes | str | tuple[str, bytes | str]


def to_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def make_resource(path: str, spec: ResourceSpec) -> Resource:
    """Turn the shorthand of a scenario (body, or (content type, body)) into a Resource."""
    check_path(path)
    if isinstance(spec, File | Redirect | Endpoint):
        return spec
    if isinstance(spec, tuple):
        content_type, body = spec
        return File(to_bytes(body), content_type)
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return File(to_bytes(spec), guessed)


def check_path(path: str) -> None:
    """Paths go into nginx's configuration: allow only plain URL path characters."""
    if not _SAFE_PATH.fullmatch(path) and path != "*":
        raise NetSimError(f"unsupported URL path {path!r}: use /plain/url/characters or '*'")


def check_header(name: str, value: str) -> None:
    if not _SAFE_HEADER_NAME.fullmatch(name) or any(c in value for c in '"\\\r\n;{}'):
        raise NetSimError(f"unsupported header for nginx: {name}: {value!r}")
