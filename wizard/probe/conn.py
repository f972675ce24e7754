"""A bounded line connection: resolve, connect, TLS with certificate checks, read and write.

Every read is bounded in line length and in total bytes, every wait ends at the budget's
deadline, and a cancel wakes a blocked read by shutting the socket down.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import ssl
import threading
from dataclasses import dataclass

from wizard.probe import certinfo
from wizard.probe.budget import Budget
from wizard.probe.certinfo import Certificate
from wizard.probe.errors import Cancelled, ErrorCode, ProbeFailure
from wizard.probe.transcript import Transcript

MAX_LINE = 8192
MAX_BYTES = 4 << 20
SLICE = 0.2

# OpenSSL's X509_V_ERR_* codes we tell apart.
_NOT_YET_VALID, _EXPIRED, _HOSTNAME_MISMATCH, _IP_MISMATCH = 9, 10, 62, 64


@dataclass(frozen=True)
class TlsInfo:
    """The negotiated TLS version and the server's certificate."""

    version: str | None
    certificate: Certificate | None


class CertificateFailure(ProbeFailure):
    """The certificate check failed; ``tls`` holds what the certificate says, when known."""

    def __init__(self, code: ErrorCode, reason: str | None, detail: str,
                 verify_code: int) -> None:
        super().__init__(code, reason, detail=detail)
        self.verify_code = verify_code
        self.tls: TlsInfo | None = None


def resolve(host: str, port: int, budget: Budget) -> list[tuple[int, tuple[str, int]]]:
    """The addresses of ``host``; getaddrinfo has no timeout, so it runs in its own thread."""
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            box["error"] = exc
        done.set()

    threading.Thread(target=work, name=f"resolve {host}", daemon=True).start()
    while not done.wait(min(budget.remaining(), SLICE)):
        pass
    if "error" in box:
        raise ProbeFailure("dns-failed", detail=str(box["error"]))
    infos = box["result"]
    assert isinstance(infos, list)
    addresses = [(family, sockaddr[:2]) for family, _t, _p, _c, sockaddr in infos]
    if not addresses:
        raise ProbeFailure("dns-failed", detail="no addresses")
    return addresses


class Connection:
    """One TCP connection to a server, optionally upgraded to TLS."""

    def __init__(self, host: str, port: int, budget: Budget, transcript: Transcript) -> None:
        self.host = host
        self.port = port
        self.budget = budget
        self.transcript = transcript
        self.sock: socket.socket | None = None
        self.encrypted = False
        self._buffer = b""
        self._received = 0
        self._cancel_handle = 0

    # -- opening -------------------------------------------------------------------------

    def open(self, addresses: list[tuple[int, tuple[str, int]]]) -> None:
        """Connect to the first address that accepts (stage ``connect``)."""
        last: ProbeFailure = ProbeFailure("refused")
        for family, sockaddr in addresses:
            try:
                self._connect(family, sockaddr)
                self.transcript.note(f"connected to {sockaddr[0]} port {sockaddr[1]}")
                return
            except ProbeFailure as exc:
                last = exc
                if exc.code == "timeout":
                    break
        raise last

    def _connect(self, family: int, sockaddr: tuple[str, int]) -> None:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            err = sock.connect_ex(sockaddr)
            while err in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
                wait = min(self.budget.remaining(), SLICE)
                _r, writable, _x = select.select([], [sock], [], wait)
                if writable:
                    err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    break
            if err:
                raise ProbeFailure("refused", detail=f"{sockaddr[0]}: {_strerror(err)}")
            sock.setblocking(True)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        self._cancel_handle = self.budget.cancel.on_cancel(self._abort)

    def _abort(self) -> None:
        sock = self.sock
        if sock is not None:
            # The plain socket's shutdown, even on an SSLSocket: wakes a blocked read in
            # another thread without touching the TLS state that thread is using.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def start_tls(self) -> TlsInfo:
        """Upgrade to TLS, verifying the chain and the host name (stage ``tls``)."""
        context = ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            tls = self._handshake(context)
        except ssl.SSLCertVerificationError as exc:
            raise _certificate_failure(exc) from None
        self.encrypted = True
        der = tls.getpeercert(binary_form=True) or b""
        cert = certinfo.describe(der, self.host, trusted=True, hostname_match=True)
        info = TlsInfo(tls.version(), cert)
        self.transcript.note(f"TLS started: {info.version}, certificate verified "
                             f"(SHA-256 {cert.sha256})")
        return info

    def start_tls_pinned(self, trusted: frozenset[str]) -> tuple[bytes, str | None, bool]:
        """Upgrade to TLS accepting only a certificate whose SHA-256 is in ``trusted``.

        For a server whose certificate already failed verification (``start_tls``) on an
        earlier connection. Returns the peer's certificate (DER), the TLS version, and whether
        the certificate is one the person trusts. On a mismatch (always, when ``trusted`` is
        empty: the certificate is then only read to be shown) the connection is closed here,
        before the caller can send a single byte over it.
        """
        matched = False
        try:
            tls = self._handshake(_unverified_context())
            der = tls.getpeercert(binary_form=True) or b""
            matched = bool(der) and certinfo.sha256(der) in trusted
            self.encrypted = matched
            return der, tls.version(), matched
        finally:
            if not matched:
                self.close()

    def _handshake(self, context: ssl.SSLContext) -> ssl.SSLSocket:
        """The TLS handshake over the connected socket (a verification error passes up)."""
        sock = self._take_socket()
        try:
            tls = context.wrap_socket(sock, server_hostname=self.host,
                                      do_handshake_on_connect=False)
        except BaseException:
            sock.close()
            raise
        self._put_socket(tls)
        try:
            tls.settimeout(self.budget.remaining())
            tls.do_handshake()
        except ssl.SSLCertVerificationError:
            raise
        except TimeoutError:
            self.budget.remaining()
            raise ProbeFailure("timeout") from None
        except (ssl.SSLError, OSError) as exc:
            self._check_cancel()
            raise ProbeFailure("tls-failed", detail=_ssl_detail(exc)) from None
        return tls

    def _take_socket(self) -> socket.socket:
        if self.sock is None:
            raise ProbeFailure("protocol-error", detail="not connected")
        if self._buffer:
            # Bytes after a STARTTLS reply but before the handshake: a server (or a man in the
            # middle) injecting plain text into what must be the encrypted session.
            raise ProbeFailure("protocol-error", "injected", detail="data before TLS handshake")
        return self.sock

    def _put_socket(self, sock: socket.socket) -> None:
        self.sock = sock

    # -- reading and writing ---------------------------------------------------------------

    def read_line(self, max_line: int = MAX_LINE) -> str:
        """One line without its CRLF, recorded in the transcript."""
        raw = self.read_raw_line(max_line)
        text = raw.decode("utf-8", "replace")
        self.transcript.server(text)
        return text

    def read_raw_line(self, max_line: int = MAX_LINE) -> bytes:
        """One line as bytes, not recorded (for data the caller summarises)."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                if end > max_line:
                    raise ProbeFailure("protocol-error", "line-too-long",
                                       detail=f"a line longer than {max_line} bytes")
                line, self._buffer = self._buffer[:end], self._buffer[end + 1:]
                return line[:-1] if line.endswith(b"\r") else line
            if len(self._buffer) > max_line:
                raise ProbeFailure("protocol-error", "line-too-long",
                                   detail=f"a line longer than {max_line} bytes")
            self._fill()

    def read_exact(self, size: int) -> bytes:
        """``size`` bytes (an IMAP literal), not recorded."""
        while len(self._buffer) < size:
            self._fill()
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _fill(self) -> None:
        sock = self.sock
        if sock is None:
            raise ProbeFailure("protocol-error", "closed", detail="not connected")
        try:
            sock.settimeout(self.budget.remaining())
            chunk = sock.recv(16384)
        except TimeoutError:
            self.budget.remaining()
            raise ProbeFailure("timeout") from None
        except OSError as exc:
            self._check_cancel()
            raise ProbeFailure("protocol-error", "closed", detail=str(exc)) from None
        if not chunk:
            self._check_cancel()
            raise ProbeFailure("protocol-error", "closed",
                               detail="the server closed the connection")
        self._received += len(chunk)
        if self._received > MAX_BYTES:
            raise ProbeFailure("protocol-error", "too-much-data",
                               detail=f"more than {MAX_BYTES} bytes")
        self._buffer += chunk

    def send(self, data: bytes) -> None:
        """Send bytes (the caller records them)."""
        sock = self.sock
        if sock is None:
            raise ProbeFailure("protocol-error", "closed", detail="not connected")
        try:
            sock.settimeout(self.budget.remaining())
            sock.sendall(data)
        except TimeoutError:
            self.budget.remaining()
            raise ProbeFailure("timeout") from None
        except OSError as exc:
            self._check_cancel()
            raise ProbeFailure("protocol-error", "closed", detail=str(exc)) from None

    def send_command(self, line: str) -> None:
        """A command line, recorded through the transcript's allow-list."""
        self.transcript.command(line)
        self.send(line.encode("utf-8") + b"\r\n")

    def send_secret(self, line: str) -> None:
        """A line that is all secret (a SASL response): recorded as ``********``."""
        self.transcript.secret()
        self.send(line.encode("utf-8") + b"\r\n")

    def _check_cancel(self) -> None:
        if self.budget.cancel.cancelled:
            raise Cancelled()

    def close(self) -> None:
        self.budget.cancel.remove(self._cancel_handle)
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()


def _unverified_context() -> ssl.SSLContext:
    """The one TLS context in MailWizard that does not verify the peer.

    Only ``Connection.start_tls_pinned`` uses it: right after the handshake it compares the
    leaf certificate's SHA-256 with the fingerprints the person chose to trust and closes the
    connection unless they match, so nothing is ever sent over an unverified connection.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    # Unverified on purpose: the pinned fingerprint is the check (see the docstring).
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _certificate_failure(exc: ssl.SSLCertVerificationError) -> CertificateFailure:
    code = exc.verify_code
    detail = exc.verify_message or str(exc)
    if code in (_HOSTNAME_MISMATCH, _IP_MISMATCH):
        return CertificateFailure("cert-hostname-mismatch", None, detail, code)
    if code == _EXPIRED:
        return CertificateFailure("cert-expired", None, detail, code)
    if code == _NOT_YET_VALID:
        return CertificateFailure("cert-expired", "not-yet-valid", detail, code)
    return CertificateFailure("cert-untrusted", None, detail, code)


def _ssl_detail(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason)
    return str(exc) or type(exc).__name__


def _strerror(err: int) -> str:
    return os.strerror(err)
