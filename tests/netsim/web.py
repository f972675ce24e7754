"""Web servers of the simulated internet: nginx for every site, Python behind it for Endpoints."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .certs import Certificate
from .guard import NetSimError, require_loopback
from .process import ServerProcess, find_program
from .resources import Endpoint, File, Redirect, Request, Resource, check_header

INTERNAL_ADDRESS = "127.0.0.2"  # services the scenario never names (backend, LMTP, SASL)

_LOG_FORMAT = (
    '{"host":"$host","address":"$server_addr","port":"$server_port","scheme":"$scheme",'
    '"sni":"$ssl_server_name","method":"$request_method","uri":"$request_uri","status":"$status"}'
)


@dataclass(frozen=True)
class Site:
    """One scheme of one simulated web host: what it serves at which path."""

    name: str
    address: str
    scheme: str  # "http" or "https"
    certificate: Certificate | None
    resources: dict[str, Resource]

    @property
    def port(self) -> int:
        return 443 if self.scheme == "https" else 80


@dataclass(frozen=True)
class WebRequest:
    """One line of nginx's access log."""

    host: str
    address: str
    port: int
    scheme: str
    sni: str
    method: str
    uri: str
    status: int


class EndpointBackend:
    """A threaded HTTP server on the internal address that runs Endpoint handlers."""

    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}
        backend = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                endpoint = backend.endpoints.get(self.headers.get("X-Netsim-Endpoint", ""))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if endpoint is None:
                    self.send_error(404)
                    return
                headers = {k: v for k, v in self.headers.items() if not k.startswith("X-Netsim")}
                request = Request(
                    method=self.command,
                    scheme=self.headers.get("X-Netsim-Scheme", ""),
                    host=self.headers.get("Host", ""),
                    path=self.path,
                    headers=headers,
                    body=body,
                )
                response = endpoint.handle(request)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_OPTIONS = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass  # nginx's access log already records every request

        self._server = ThreadingHTTPServer((require_loopback(INTERNAL_ADDRESS), 0), _Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _quote(text: str) -> str:
    if any(c in text for c in '"\\\r\n;{}$') or not text.isprintable():
        raise NetSimError(f"unsupported text for nginx configuration: {text!r}")
    return f'"{text}"'


class WebServer:
    """nginx serving every Site (HTTP on 80, HTTPS on 443, one address per host).

    nginx starts on the first site and is restarted when the configuration changes:
    a restart is as quick as a reload and leaves no old worker answering with old content.
    """

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.docroot = directory / "files"
        self.logs = directory / "logs"
        for sub in (self.docroot, self.logs, directory / "temp"):
            sub.mkdir(parents=True, exist_ok=True)
        self.config_file = directory / "nginx.conf"
        self.access_log = self.logs / "access.log"
        self.error_log = self.logs / "error.log"
        self._process = ServerProcess(
            "nginx",
            [
                find_program("nginx"),
                "-p",
                str(directory),
                "-c",
                str(self.config_file),
                "-e",
                str(self.error_log),
                "-g",
                "daemon off;",
            ],
            self.logs / "nginx.out",
            self.error_log,
        )
        self._backend: EndpointBackend | None = None
        self._applied: str | None = None

    def apply(self, sites: list[Site]) -> None:
        """Serve exactly these sites."""
        wanted = any(isinstance(r, Endpoint) for site in sites for r in site.resources.values())
        if wanted and self._backend is None:
            self._backend = EndpointBackend()
        endpoints: dict[str, Endpoint] = {}
        blocks = [self._server_block(site, endpoints) for site in sites]
        if self._backend is not None:
            self._backend.endpoints = endpoints
        config = self._render(blocks)
        if config == self._applied and (self._process.running or not sites):
            return
        self._process.stop()
        self._applied = config
        if not sites:
            return
        self.config_file.write_text(config)
        self._process.start([(site.address, site.port) for site in sites])

    def _render(self, blocks: list[str]) -> str:
        temp = self.dir / "temp"
        return "\n".join(
            [
                "# generated by tests/netsim",
                "user root root;",
                "worker_processes 1;",
                f"pid {self.dir / 'nginx.pid'};",
                f"error_log {self.error_log} info;",
                "events { worker_connections 256; }",
                "http {",
                "    types { }",
                "    default_type application/octet-stream;",
                f"    log_format netsim escape=json '{_LOG_FORMAT}';",
                f"    access_log {self.access_log} netsim;",
                f"    client_body_temp_path {temp}/body;",
                f"    proxy_temp_path {temp}/proxy;",
                f"    fastcgi_temp_path {temp}/fastcgi;",
                f"    uwsgi_temp_path {temp}/uwsgi;",
                f"    scgi_temp_path {temp}/scgi;",
                "    server_tokens off;",
                "    ssl_protocols TLSv1.2 TLSv1.3;",
                *blocks,
                "}",
                "",
            ]
        )

    def _server_block(self, site: Site, endpoints: dict[str, Endpoint]) -> str:
        require_loopback(site.address)
        lines = ["    server {"]
        if site.scheme == "https":
            if site.certificate is None:
                raise NetSimError(f"https site {site.name} has no certificate")
            lines += [
                f"        listen {site.address}:443 ssl;",
                f"        ssl_certificate {site.certificate.cert_file};",
                f"        ssl_certificate_key {site.certificate.key_file};",
            ]
        else:
            lines.append(f"        listen {site.address}:80;")
        lines.append(f"        server_name {site.name};")
        for path, resource in site.resources.items():
            location = "/" if path == "*" else f"= {path}"
            lines += self._location(location, resource, endpoints)
        lines.append("    }")
        return "\n".join(lines)

    def _location(
        self, location: str, resource: Resource, endpoints: dict[str, Endpoint]
    ) -> list[str]:
        if isinstance(resource, Redirect):
            target = _quote(resource.location)
            return [f"        location {location} {{ return {resource.status} {target}; }}"]
        if isinstance(resource, Endpoint):
            assert self._backend is not None
            key = str(len(endpoints) + 1)
            endpoints[key] = resource
            return [
                f"        location {location} {{",
                f"            proxy_pass http://{INTERNAL_ADDRESS}:{self._backend.port};",
                "            proxy_set_header Host $host;",
                "            proxy_set_header X-Netsim-Scheme $scheme;",
                f"            proxy_set_header X-Netsim-Endpoint {key};",
                "            client_max_body_size 10m;",
                "        }",
            ]
        return self._file_location(location, resource)

    def _file_location(self, location: str, resource: File) -> list[str]:
        # Named by content, so an unchanged scenario renders an unchanged configuration.
        digest = hashlib.sha256(resource.body).hexdigest()[:24]
        body_file = self.docroot / digest
        if not body_file.exists():
            body_file.write_bytes(resource.body)
        headers = []
        for name, value in resource.headers.items():
            check_header(name, value)
            headers.append(f"add_header {name} {_quote(value)} always;")
        content_type = f"default_type {_quote(resource.content_type)};"
        if resource.status == 200:
            body = [content_type, f"root {self.docroot};", f"try_files /{digest} =500;", *headers]
        elif resource.status >= 400:
            # error_page keeps the status and serves the file through a named location.
            name = "@r" + hashlib.sha256(location.encode()).hexdigest()[:16]
            return [
                f"        location {location} {{",
                f"            error_page {resource.status} {name};",
                f"            return {resource.status};",
                "        }",
                f"        location {name} {{",
                f"            {content_type}",
                *(f"            {h}" for h in headers),
                f"            root {self.docroot};",
                f"            try_files /{digest} =500;",
                "        }",
            ]
        elif resource.body:
            raise NetSimError(f"status {resource.status} with a body: use 200 or an error status")
        else:
            body = [*headers, f"return {resource.status};"]
        return [f"        location {location} {{", *(f"            {b}" for b in body), "        }"]

    def requests(self) -> list[WebRequest]:
        """Every request nginx has logged so far, oldest first."""
        try:
            text = self.access_log.read_text(errors="replace")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            item = json.loads(line)
            out.append(
                WebRequest(
                    host=item["host"],
                    address=item["address"],
                    port=int(item["port"]),
                    scheme=item["scheme"],
                    sni=item["sni"],
                    method=item["method"],
                    uri=item["uri"],
                    status=int(item["status"]),
                )
            )
        return out

    @property
    def pid(self) -> int | None:
        """PID of the running daemon, or None."""
        return self._process.pid

    def stop(self) -> None:
        self._process.stop()
        if self._backend is not None:
            self._backend.stop()
            self._backend = None
