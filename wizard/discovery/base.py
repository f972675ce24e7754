"""What every source shares: the lookup context, attempt recording, settings from XML.

A source is a function ``lookup(ctx, scope) -> Settings | None``. It records each URL or
DNS name it asks through :meth:`Context.attempt`, which also turns failures into attempt
outcomes; a source returns None when it found nothing usable.
"""

from __future__ import annotations

import contextlib
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from wizard.address import Address
from wizard.configxml import ClientConfig, ConfigXMLError, parse_config_xml
from wizard.discovery import dnsquery
from wizard.discovery.fetch import HTTP_TIMEOUT, Response, fetch
from wizard.discovery.net import NetError
from wizard.discovery.scope import Cancelled, Scope
from wizard.model import Attempt, Note, Outcome, ProviderRef, Settings, Source

DEFAULT_ISPDB_URL = "https://autoconfig.thunderbird.net/v1.1/"


@dataclass
class _Record:
    source: Source
    target: str
    started: float
    outcome: Outcome | None = None
    detail: str | None = None
    ended: float | None = None

    def attempt(self) -> Attempt:
        end = self.ended if self.ended is not None else time.monotonic()
        return Attempt(self.source, self.target, self.outcome or "skipped",
                       int((end - self.started) * 1000), self.detail)


class Handle:
    """The running attempt: a source may set its outcome before the block ends."""

    def __init__(self, record: _Record) -> None:
        self._record = record

    def set(self, outcome: Outcome, detail: str | None = None) -> None:
        self._record.outcome = outcome
        self._record.detail = detail


class Recorder:
    """Collects every attempt in the order started; reports each as it ends."""

    def __init__(self, emit: Callable[[Attempt], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._records: list[_Record] = []
        self._emit = emit

    def add(self, source: Source, target: str, outcome: Outcome, detail: str | None = None,
            started: float | None = None) -> None:  # fmt: skip
        """Record a lookup that ended (or was skipped) without a block."""
        now = time.monotonic()
        record = _Record(source, target, started or now, outcome, detail, now)
        with self._lock:
            self._records.append(record)
        if self._emit:
            self._emit(record.attempt())

    @contextlib.contextmanager
    def attempt(self, scope: Scope, source: Source, target: str) -> Iterator[Handle]:
        """Record one lookup around a block: failures become outcomes, not exceptions.

        :class:`NetError` (and ConfigXMLError) end the block quietly with their outcome;
        :class:`Cancelled` is recorded as ``skipped`` or ``timeout`` and re-raised.
        """
        record = _Record(source, target, time.monotonic())
        with self._lock:
            self._records.append(record)
        try:
            yield Handle(record)
            if record.outcome is None:
                record.outcome = "ok"
        except Cancelled as exc:
            _finish(record, *_stopped(exc.reason))
            raise
        except NetError as exc:
            if scope.reason is not None:
                _finish(record, *_stopped(scope.reason))
                raise Cancelled(scope.reason) from None
            _finish(record, exc.outcome, exc.detail)
        except ConfigXMLError as exc:
            _finish(record, "invalid", str(exc))
        except Exception as exc:
            _finish(record, "error", f"internal error: {type(exc).__name__}")
            raise
        finally:
            if record.ended is None:
                record.ended = time.monotonic()
            if self._emit:
                self._emit(record.attempt())

    def attempts(self) -> tuple[Attempt, ...]:
        with self._lock:
            return tuple(r.attempt() for r in self._records)

    def outcomes(self, source: Source) -> list[Outcome]:
        with self._lock:
            return [r.outcome or "skipped" for r in self._records if r.source == source]


def _stopped(reason: str) -> tuple[Outcome, str]:
    if reason == "timeout":
        return "timeout", "the time for this lookup ran out"
    return "skipped", "not needed any more"


def _finish(record: _Record, outcome: Outcome, detail: str | None) -> None:
    record.outcome = outcome
    record.detail = detail
    record.ended = time.monotonic()


@dataclass
class Context:
    """Everything a source needs besides its scope."""

    address: Address
    recorder: Recorder
    tls: ssl.SSLContext
    ispdb_url: str = DEFAULT_ISPDB_URL
    http_timeout: float = HTTP_TIMEOUT
    dns_timeout: float = dnsquery.DNS_TIMEOUT
    probe_timeout: float = 5.0

    @property
    def domain(self) -> str:
        return self.address.domain_ascii

    def attempt(self, scope: Scope, source: Source, target: str) -> Any:
        return self.recorder.attempt(scope, source, target)

    def resolve_host(self, scope: Scope, host: str) -> list[str]:
        return dnsquery.addresses(scope, host)

    def dns(self, scope: Scope, questions: list[tuple[str, str]]) -> list[Any]:
        """Ask DNS questions together, at most :attr:`dns_timeout` seconds."""
        sub = scope.child(self.dns_timeout)
        try:
            return dnsquery.resolve_many(sub, questions)
        except Cancelled:
            scope.check()
            raise dnsquery.DNSFailure("timeout", "no answer from the DNS server") from None
        finally:
            sub.close()

    def fetch(self, scope: Scope, url: str, **kwargs: Any) -> Response:
        """One HTTP request of at most :attr:`http_timeout` seconds."""
        return fetch(scope, url, resolve=self.resolve_host, context=self.tls,
                     timeout=self.http_timeout, **kwargs)


def fetch_config(ctx: Context, scope: Scope, source: Source, url: str
                 ) -> tuple[Response, ClientConfig] | None:  # fmt: skip
    """GET ``url`` as a config-v1.1 document, recorded as one attempt of ``source``."""
    with ctx.attempt(scope, source, url) as handle:
        response = ctx.fetch(scope, url)
        config = parse_config_xml(response.body).for_domain(ctx.domain)
        if response.redirected:
            handle.set("ok", f"redirected to {response.url}")
        return response, config
    return None


def _note_code(instruction: str) -> str:
    return "app-password" if re.search(r"passw", instruction, re.IGNORECASE) else "enable-imap"


def settings_from_config(
    config: ClientConfig, address: Address, source: Source, url: str | None, secure: bool
) -> Settings:
    """The settings a config-v1.1 document gives ``address``."""
    notes: list[Note] = []
    if config.enable is not None:
        visit, instruction = config.enable
        from wizard.i18n import _

        text = instruction or _("Allow access by mail programs in the web settings first.")
        notes.append(Note(_note_code(text), text, visit))
    return Settings(
        address=address,
        found=True,
        provider=ProviderRef(config.id, config.display_name),
        source=source,
        source_url=url,
        secure=secure,
        # Document order is the provider's own order of preference.
        incoming=tuple(s.resolved(address) for s in config.incoming),
        outgoing=tuple(s.resolved(address) for s in config.outgoing),
        notes=tuple(notes),
    )
