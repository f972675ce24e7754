"""Passwords in the system keyring: the one place the wizard talks to ``keyring``.

Where a password is stored
    Every entry has the service name ``MailWizard`` and one of these user names:

    ``alice@example.com``
        the account's password, used for every server of the account;
    ``imap://alice@example.com@imap.example.com:993``
        the password for one server of the account (``imap``, ``pop3`` or ``smtp``; the host
        in lower-case ASCII form, IPv6 in brackets), for when e.g. the SMTP password differs.
        :func:`password_for` tries it first, then the account's entry;
    ``mailwizard-index``
        not a password but the JSON list of the user names above. Only Secret Service and
        KWallet can be searched, and ``keyring`` exposes no search at all, so this index, kept
        in the keyring itself, is what makes :func:`entries` work on every backend. Two
        programs saving at the same instant may lose one index line; the password itself is
        still stored, and :func:`entries` checks each indexed entry still exists.

Which keyrings are used
    Only stores that keep secrets encrypted under the person's login: Secret Service (GNOME
    Keyring, KeePassXC…, through SecretStorage or libsecret), KWallet, the macOS Keychain and
    the Windows Credential Manager, recognised by their class, never by ``keyring``'s priority.
    A backend chosen with ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg`` is used when it is
    one of these and refused (:class:`UnsafeKeyring`) when it is not; otherwise the best
    available one of these is taken, so an installed ``keyrings.alt`` (plaintext or weakly
    encrypted files) is never used. There is no fallback: without an acceptable keyring the
    password is not saved anywhere, and the caller learns why from a :class:`KeystoreError`.

Use
    :func:`save`, :func:`replace`, :func:`read`, :func:`delete`, :func:`entries`,
    :func:`password_for` (for probe and export) and :func:`backend_name`. Each failure is a
    :class:`KeystoreError` whose ``title`` and ``message`` a person can act on; after a failed
    save, ``saving`` is true and the message offers to continue without saving. The calls
    block on D-Bus and maybe on an unlock prompt: a GUI runs them off its thread.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import idna
import keyring.core
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from wizard.address import Address, AddressError, parse_address
from wizard.i18n import _
from wizard.model import PROTOCOLS, Protocol, Server

SERVICE = "MailWizard"
INDEX_USER = "mailwizard-index"

# (module, class) of each backend that really protects secrets -> the name people know it by.
ACCEPTED_BACKENDS: dict[tuple[str, str], str] = {
    ("keyring.backends.SecretService", "Keyring"): "Secret Service",
    ("keyring.backends.libsecret", "Keyring"): "Secret Service (libsecret)",
    ("keyring.backends.kwallet", "DBusKeyring"): "KWallet",
    ("keyring.backends.kwallet", "DBusKeyringKWallet4"): "KWallet 4",
    ("keyring.backends.macOS", "Keyring"): "macOS Keychain",
    ("keyring.backends.Windows", "WinVaultKeyring"): "Windows Credential Manager",
}
_LOCKED: tuple[type[BaseException], ...] = (keyring.errors.KeyringLocked,)
_ABSENT: tuple[type[BaseException], ...] = (keyring.errors.NoKeyringError,)
_CONNECTIONS: tuple[type, ...] = ()
try:  # SecretStorage exists where Secret Service does; its errors say "locked" more precisely
    from jeepney.io.blocking import DBusConnection
    from secretstorage import exceptions as secretstorage_errors
except ImportError:  # pragma: no cover - macOS, Windows
    pass
else:
    _LOCKED += (secretstorage_errors.PromptDismissedException,
                secretstorage_errors.LockedException)
    _ABSENT += (secretstorage_errors.SecretServiceNotAvailableException,)
    _CONNECTIONS = (DBusConnection,)


# --- errors: a title and a message a person can act on ------------------------------------


class KeystoreError(Exception):
    """The keyring could not do what was asked; ``title`` and ``message`` say why."""

    code = "keyring-failed"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail  # technical, untranslated: for logs and bug reports
        self.saving = False  # set by the operation: the message then says nothing was saved

    @property
    def title(self) -> str:
        return _("Keyring error")

    @property
    def message(self) -> str:
        return _("The keyring did not carry out the request: {detail}. Try again.",
                 detail=self.detail)

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


class KeyringUnavailable(KeystoreError):
    """No keyring that protects passwords is available."""

    code = "no-keyring"

    @property
    def title(self) -> str:
        return _("No keyring found")

    @property
    def message(self) -> str:
        if self.saving:
            return _("No system keyring (GNOME Keyring or another Secret Service, KWallet, "
                     "macOS Keychain, Windows Credential Manager) is available, so the "
                     "password will not be saved. Start or install one and try again, or "
                     "continue without saving the password.")
        return _("No system keyring (GNOME Keyring or another Secret Service, KWallet, "
                 "macOS Keychain, Windows Credential Manager) is available, so no stored "
                 "password can be read. Start your keyring and try again.")


class UnsafeKeyring(KeyringUnavailable):
    """The keyring configured for ``keyring`` keeps passwords in a file anyone can read."""

    code = "unsafe-keyring"

    def __init__(self, backend: str) -> None:
        super().__init__(backend)
        self.backend = backend

    @property
    def title(self) -> str:
        return _("Unsafe keyring not used")

    @property
    def message(self) -> str:
        text = _("The keyring chosen with PYTHON_KEYRING_BACKEND or keyringrc.cfg ({backend}) "
                 "does not protect passwords, so MailWizard does not use it.",
                 backend=self.backend)
        if self.saving:
            return text + " " + _("The password will not be saved. Remove that setting to "
                                  "use the system keyring, or continue without saving the "
                                  "password.")
        return text + " " + _("Remove that setting to use the system keyring.")


class KeyringLocked(KeystoreError):
    """The keyring is locked and was not unlocked (the prompt was dismissed)."""

    code = "keyring-locked"

    @property
    def title(self) -> str:
        return _("Keyring locked")

    @property
    def message(self) -> str:
        text = _("The keyring is locked, or the request to unlock it was dismissed. Unlock "
                 "your keyring (for example in the “Passwords and Keys” application, or by "
                 "logging in again) and try again.")
        if self.saving:
            return text + " " + _("Or continue without saving the password.")
        return text


class KeyringFailure(KeystoreError):
    """The keyring refused the request or failed in another way."""

    def __init__(self, backend: str, detail: str) -> None:
        super().__init__(detail)
        self.backend = backend

    @property
    def message(self) -> str:
        text = _("The keyring ({backend}) did not carry out the request: {detail}. Try again.",
                 backend=self.backend, detail=self.detail)
        if self.saving:
            return text + " " + _("Or continue without saving the password.")
        return text


class PasswordNotFound(KeystoreError):
    """No password is stored for this account (and server)."""

    code = "not-found"

    def __init__(self, entry: Entry) -> None:
        super().__init__(entry.user)
        self.entry = entry

    @property
    def title(self) -> str:
        return _("No password stored")

    @property
    def message(self) -> str:
        return _("No password for {what} is stored in the keyring.",
                 what=self.entry.describe())


# --- entry names ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerKey:
    """What names a server in a keyring entry: protocol, ASCII host and port."""

    protocol: Protocol
    host: str
    port: int

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ValueError(_("“{protocol}” is not imap, pop3 or smtp", protocol=self.protocol))
        if not 0 < self.port < 65536:
            raise ValueError(_("the port must be a number from 1 to 65535"))
        object.__setattr__(self, "host", normalize_host(self.host))

    @classmethod
    def of(cls, server: Server | ServerKey) -> ServerKey:
        """The key of a settings ``Server`` (or the key itself)."""
        if isinstance(server, ServerKey):
            return server
        return cls(server.protocol, server.host, server.port)

    @classmethod
    def parse(cls, text: str) -> ServerKey:
        """Read ``PROTOCOL:HOST:PORT`` (``imap:imap.example.com:993``, IPv6 in brackets)."""
        protocol, _sep, rest = text.strip().partition(":")
        host, _sep, port = rest.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(_("“{value}” is not PROTOCOL:HOST:PORT, e.g. "
                               "imap:imap.example.com:993", value=text))
        return cls(cast(Protocol, protocol.lower()), host, int(port))

    def __str__(self) -> str:
        return f"{self.protocol}:{self.host}:{self.port}"


def normalize_host(host: str) -> str:
    """A host name in the one form used in entry names: lower-case ASCII, IPv6 bracketed."""
    text = host.strip().rstrip(".")
    try:
        ip = ipaddress.ip_address(text.removeprefix("[").removesuffix("]"))
    except ValueError:
        pass
    else:
        return f"[{ip}]" if ip.version == 6 else str(ip)
    try:
        return idna.encode(text, uts46=True).decode("ascii").lower()
    except idna.IDNAError:
        raise ValueError(_("“{host}” is not a valid host name", host=host)) from None


@dataclass(frozen=True)
class Entry:
    """One stored password: an account's, or one of its servers' when ``server`` is set."""

    email: str
    server: ServerKey | None = None

    @property
    def user(self) -> str:
        """The user name of this entry under the service ``MailWizard``."""
        if self.server is None:
            return self.email
        return f"{self.server.protocol}://{self.email}@{self.server.host}:{self.server.port}"

    @classmethod
    def parse(cls, user: str) -> Entry | None:
        """The entry a user name stands for; None for names the wizard does not write."""
        protocol, sep, rest = user.partition("://")
        try:
            if not sep:
                return cls(user) if parse_address(user).email == user else None
            email, _at, hostport = rest.rpartition("@")
            host, _colon, port = hostport.rpartition(":")
            entry = cls(email, ServerKey(cast(Protocol, protocol), host, int(port)))
            ok = parse_address(email).email == email and entry.user == user
        except (AddressError, ValueError):
            return None
        return entry if ok else None

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The entry in words, for messages."""
        if self.server is None:
            return self.email
        return _("{email} on the {protocol} server {host}:{port}", email=self.email,
                 protocol=self.server.protocol.upper(), host=self.server.host,
                 port=self.server.port)


def entry_for(address: Address | str, server: Server | ServerKey | None = None) -> Entry:
    """The entry that holds the password of ``address`` (on ``server``, if given).

    A ``str`` address is parsed first (an :class:`AddressError` if it is not one).
    """
    if isinstance(address, str):
        address = parse_address(address)
    return Entry(address.email, None if server is None else ServerKey.of(server))


# --- choosing the backend ------------------------------------------------------------------


def backend_label(backend: KeyringBackend) -> str:
    """The name people know a backend by (its class path when it is not an accepted one)."""
    cls = type(backend)
    return ACCEPTED_BACKENDS.get((cls.__module__, cls.__qualname__),
                                 f"{cls.__module__}.{cls.__qualname__}")


def _accepted(backend: KeyringBackend) -> bool:
    cls = type(backend)
    return (cls.__module__, cls.__qualname__) in ACCEPTED_BACKENDS


def _best_available() -> KeyringBackend:
    found: list[tuple[float, type[KeyringBackend]]] = []
    reasons: list[str] = []
    for (module, name), label in ACCEPTED_BACKENDS.items():
        try:
            cls: type[KeyringBackend] = getattr(importlib.import_module(module), name)
            priority = float(cls.priority)
        except Exception as exc:  # not on this system: ImportError, RuntimeError, D-Bus errors
            reasons.append(f"{label}: {exc}")
            continue
        if priority > 0:
            found.append((priority, cls))
    if not found:
        raise KeyringUnavailable("; ".join(reasons))
    return max(found, key=lambda pair: pair[0])[1]()


def current_backend() -> KeyringBackend:
    """The keyring the wizard uses now; raises :class:`KeystoreError` when there is none.

    Looked up afresh on each call, so a keyring started or unlocked meanwhile is found.
    """
    try:
        configured = keyring.core.load_env() or keyring.core.load_config()
    except Exception as exc:  # a configured backend that cannot load or is not viable here
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if configured is None:
        return _best_available()
    candidates: list[KeyringBackend]
    if isinstance(configured, chainer.ChainerBackend):
        candidates = list(configured.backends)
    else:
        candidates = [configured]
    for candidate in candidates:
        if _accepted(candidate):
            return candidate
    if isinstance(configured, fail.Keyring | null.Keyring | chainer.ChainerBackend):
        raise KeyringUnavailable(backend_label(configured))
    raise UnsafeKeyring(backend_label(configured))


def backend_name() -> str:
    """The name of the keyring in use, e.g. "Secret Service"; raises like the operations."""
    return _run(backend_label)


T = TypeVar("T")


def _run(job: Callable[[KeyringBackend], T], *, saving: bool = False) -> T:
    try:
        backend = current_backend()
        try:
            return job(backend)
        except KeystoreError:
            raise
        except Exception as exc:  # every backend failure must reach the person as words
            _close_connections(exc)
            raise _translate(exc, backend_label(backend)) from exc
    except KeystoreError as exc:
        exc.saving = saving
        raise


def _close_connections(exc: BaseException) -> None:
    # keyring's Secret Service backend opens a D-Bus connection per call and leaves it open
    # when the collection is locked; in a long-running GUI each retry would leak a socket.
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        tb = cause.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, _CONNECTIONS):
                    cast(Any, value).close()
            tb = tb.tb_next
        cause = cause.__cause__ or cause.__context__


def _translate(exc: Exception, label: str) -> KeystoreError:
    cause: BaseException | None = exc
    for _depth in range(20):  # a chain of causes, never a cycle
        if cause is None:
            break
        if isinstance(cause, _LOCKED):
            return KeyringLocked(str(cause))
        if isinstance(cause, _ABSENT):
            return KeyringUnavailable(str(cause))
        cause = cause.__cause__ or cause.__context__
    return KeyringFailure(label, str(exc) or type(exc).__name__)


# --- the index -------------------------------------------------------------------------------


def _index(backend: KeyringBackend) -> set[str]:
    raw = backend.get_password(SERVICE, INDEX_USER)
    try:
        users = json.loads(raw)["entries"] if raw else []
    except (ValueError, KeyError, TypeError):
        return set()  # damaged: start again; the passwords themselves are untouched
    return {user for user in users if isinstance(user, str)} if isinstance(users, list) \
        else set()


def _write_index(backend: KeyringBackend, users: set[str]) -> None:
    if users:
        data = json.dumps({"version": 1, "entries": sorted(users)}, ensure_ascii=False)
        backend.set_password(SERVICE, INDEX_USER, data)
    elif backend.get_password(SERVICE, INDEX_USER) is not None:
        backend.delete_password(SERVICE, INDEX_USER)


# --- operations ----------------------------------------------------------------------------


def _check(password: str) -> None:
    if not isinstance(password, str) or not password:
        raise ValueError("the password must be a non-empty string")


def save(address: Address | str, password: str,
         server: Server | ServerKey | None = None) -> Entry:
    """Store (or overwrite) the password of ``address``, for one server if given."""
    _check(password)
    entry = entry_for(address, server)

    def job(backend: KeyringBackend) -> None:
        backend.set_password(SERVICE, entry.user, password)
        users = _index(backend)
        if entry.user not in users:
            _write_index(backend, users | {entry.user})

    _run(job, saving=True)
    return entry


def replace(address: Address | str, password: str,
            server: Server | ServerKey | None = None) -> Entry:
    """Change a stored password; :class:`PasswordNotFound` if there is none yet."""
    _check(password)
    entry = entry_for(address, server)

    def job(backend: KeyringBackend) -> None:
        if backend.get_password(SERVICE, entry.user) is None:
            raise PasswordNotFound(entry)
        backend.set_password(SERVICE, entry.user, password)

    _run(job, saving=True)
    return entry


def read(address: Address | str, server: Server | ServerKey | None = None, *,
         fallback: bool = False) -> str:
    """The stored password; with ``fallback``, the account's when the server has none."""
    wanted = entry_for(address, server)
    tries = [wanted] + ([entry_for(address)] if fallback and server is not None else [])

    def job(backend: KeyringBackend) -> str:
        for entry in tries:
            password = backend.get_password(SERVICE, entry.user)
            if password is not None:
                return password
        raise PasswordNotFound(wanted)

    return _run(job)


def password_for(address: Address | str, server: Server | ServerKey | None = None) -> str | None:
    """The password to log in to ``server``: its own entry, else the account's, else None.

    Raises :class:`KeystoreError` when the keyring is missing or locked, so that "no
    password stored" is never confused with "keyring unavailable".
    """
    try:
        return read(address, server, fallback=True)
    except PasswordNotFound:
        return None


def delete(address: Address | str, server: Server | ServerKey | None = None) -> Entry:
    """Remove one stored password; :class:`PasswordNotFound` if there is none."""
    entry = entry_for(address, server)

    def job(backend: KeyringBackend) -> None:
        exists = backend.get_password(SERVICE, entry.user) is not None
        if exists:
            backend.delete_password(SERVICE, entry.user)
        users = _index(backend)
        if entry.user in users:
            _write_index(backend, users - {entry.user})
        if not exists:
            raise PasswordNotFound(entry)

    _run(job)
    return entry


def entries(address: Address | str | None = None) -> list[Entry]:
    """What the wizard stored (all accounts, or one), without the secrets, sorted."""
    email = None if address is None else entry_for(address).email

    def job(backend: KeyringBackend) -> list[Entry]:
        found = []
        for user in _index(backend):
            entry = Entry.parse(user)
            if entry is None or (email is not None and entry.email != email):
                continue
            if backend.get_password(SERVICE, user) is not None:  # removed by another program?
                found.append(entry)
        return sorted(found, key=_sort_key)

    return _run(job)


def _sort_key(entry: Entry) -> tuple[str, str, str, int]:
    if entry.server is None:
        return (entry.email, "", "", 0)
    return (entry.email, entry.server.protocol, entry.server.host, entry.server.port)
