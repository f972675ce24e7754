"""The scripts hostile servers follow, per behaviour and protocol."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .hostile import Behaviour, Peer

if TYPE_CHECKING:
    from .hostile import HostileServer

MAX_ENDLESS_BYTES = 64 * 1024 * 1024
SLOW_SECONDS_PER_BYTE = 1.0

XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<clientConfig version="1.1"><emailProvider id="&lol9;"/></clientConfig>
"""

PARKED_PAGE = b"""<!DOCTYPE html>
<html><head><title>This domain is for sale</title></head>
<body><h1>This domain may be for sale</h1><p>Related searches: email, mail, login</p></body>
</html>
"""

_LITERAL = re.compile(rb"\{(\d+)\+?\}\r?\n$")


def serve(server: HostileServer, peer: Peer) -> None:
    """Run the server's behaviour on one connection until it ends."""
    behaviour, protocol = server.behaviour, server.protocol
    if behaviour is Behaviour.BLACKHOLE:
        while peer.wait_or_listen(1.0):
            pass
    elif behaviour is Behaviour.SLOW:
        text = (
            _http_response(b"text/html", PARKED_PAGE) if protocol == "http" else _greeting(server)
        )
        for index in range(len(text)):
            if not peer.send(text[index : index + 1]) or not peer.wait_or_listen(
                SLOW_SECONDS_PER_BYTE
            ):
                return
    elif behaviour in (Behaviour.ENDLESS_LINES, Behaviour.LONG_LINE):
        _endless(server, peer)
    elif protocol == "http":
        _http(server, peer)
    else:
        {"imap": _imap, "pop3": _pop3, "smtp": _smtp}[protocol](server, peer)


def _greeting(server: HostileServer) -> bytes:
    return {
        "imap": b"* OK IMAP4rev1 Service Ready\r\n",
        "pop3": b"+OK POP3 server ready\r\n",
        "smtp": f"220 {server.name} ESMTP\r\n".encode(),
    }[server.protocol]


def _endless(server: HostileServer, peer: Peer) -> None:
    prefix, line = {
        "imap": (b"", b"* OK still here, and there is more\r\n"),
        "pop3": (b"+OK ", b"still here, and there is more "),
        "smtp": (b"", f"220-{server.name} still here, and there is more\r\n".encode()),
        "http": (b"HTTP/1.1 200 OK\r\n", b"X-Filler: still here, and there is more\r\n"),
    }[server.protocol]
    if server.behaviour is Behaviour.LONG_LINE:
        line = b"x" * 1024
    if not peer.send(prefix):
        return
    sent = 0
    while sent < MAX_ENDLESS_BYTES and peer.drain() and peer.send(line * 64):
        sent += len(line) * 64


def _starttls(server: HostileServer, peer: Peer) -> bool | None:
    """Answer a STARTTLS per behaviour: True (upgraded), False (refused), None (failed)."""
    if server.behaviour is Behaviour.ACCEPT_ANY_LOGIN and server.context is not None:
        return True if peer.upgrade(server.context) else None
    return False


def _offers_tls(server: HostileServer, peer: Peer) -> bool:
    return server.behaviour is not Behaviour.NO_STARTTLS and not peer.record.tls


def _read_command(peer: Peer) -> bytes | None:
    """One IMAP command line with any literals ({n} continuations) folded in."""
    line = peer.readline()
    while line is not None and (match := _LITERAL.search(line)):
        if not line.rstrip().endswith(b"+}") and not peer.send(b"+ Ready\r\n"):
            return None
        literal = peer.read_exactly(int(match[1]))
        rest = peer.readline()
        if literal is None or rest is None:
            return None
        line = line[: match.start()] + literal + rest
    return line


def _imap(server: HostileServer, peer: Peer) -> None:
    if not peer.send(_greeting(server)):
        return
    while (line := _read_command(peer)) is not None:
        tag, _, rest = line.strip().partition(b" ")
        command = rest.split(b" ", 1)[0].upper()
        if command == b"CAPABILITY":
            caps = b"IMAP4rev1 AUTH=PLAIN AUTH=LOGIN" + (
                b" STARTTLS" if _offers_tls(server, peer) else b""
            )
            reply = b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK CAPABILITY completed\r\n"
        elif command == b"STARTTLS":
            if server.behaviour is Behaviour.NO_STARTTLS:
                reply = tag + b" BAD Unknown command\r\n"
            elif server.behaviour is Behaviour.STARTTLS_REFUSED:
                reply = tag + b" NO STARTTLS is not available\r\n"
            else:
                if not peer.send(tag + b" OK Begin TLS negotiation now\r\n"):
                    return
                if not _starttls(server, peer):
                    return
                continue
        elif command == b"AUTHENTICATE":
            if len(rest.split()) < 3:  # no initial response: ask for it
                for prompt in (
                    [b"+ \r\n"]
                    if b"PLAIN" in rest.upper()
                    else [b"+ VXNlcm5hbWU6\r\n", b"+ UGFzc3dvcmQ6\r\n"]
                ):
                    if not peer.send(prompt) or peer.readline() is None:
                        return
            reply = tag + b" OK AUTHENTICATE completed\r\n"
        elif command == b"LOGOUT":
            peer.send(b"* BYE Logging out\r\n" + tag + b" OK LOGOUT completed\r\n")
            return
        else:
            reply = tag + b" OK " + (command or b"NOOP") + b" completed\r\n"
        if not peer.send(reply):
            return


def _pop3(server: HostileServer, peer: Peer) -> None:
    if not peer.send(_greeting(server)):
        return
    while (line := peer.readline()) is not None:
        command = line.strip().split(b" ", 1)[0].upper()
        if command == b"CAPA":
            stls = b"STLS\r\n" if _offers_tls(server, peer) else b""
            reply = b"+OK Capability list follows\r\nUSER\r\nSASL PLAIN LOGIN\r\n" + stls + b".\r\n"
        elif command == b"STLS":
            if server.behaviour is Behaviour.NO_STARTTLS:
                reply = b"-ERR Unknown command\r\n"
            elif server.behaviour is Behaviour.STARTTLS_REFUSED:
                reply = b"-ERR TLS is not available\r\n"
            else:
                if not peer.send(b"+OK Begin TLS negotiation\r\n") or not _starttls(server, peer):
                    return
                continue
        elif command == b"AUTH" and len(line.split()) == 2:
            if not peer.send(b"+ \r\n") or peer.readline() is None:
                return
            reply = b"+OK Logged in\r\n"
        elif command in (b"LIST", b"UIDL"):
            reply = b"+OK 0 messages\r\n.\r\n"
        elif command == b"STAT":
            reply = b"+OK 0 0\r\n"
        elif command == b"QUIT":
            peer.send(b"+OK Bye\r\n")
            return
        else:
            reply = b"+OK\r\n"
        if not peer.send(reply):
            return


def _smtp(server: HostileServer, peer: Peer) -> None:
    name = server.name.encode()
    if not peer.send(_greeting(server)):
        return
    while (line := peer.readline()) is not None:
        words = line.strip().split()
        command = words[0].upper() if words else b""
        if command == b"EHLO":
            stls = b"250-STARTTLS\r\n" if _offers_tls(server, peer) else b""
            reply = b"250-" + name + b"\r\n250-AUTH PLAIN LOGIN\r\n" + stls + b"250 8BITMIME\r\n"
        elif command == b"STARTTLS":
            if server.behaviour is Behaviour.NO_STARTTLS:
                reply = b"502 5.5.1 Command not implemented\r\n"
            elif server.behaviour is Behaviour.STARTTLS_REFUSED:
                reply = b"454 4.7.0 TLS not available due to local problem\r\n"
            else:
                if not peer.send(b"220 2.0.0 Ready to start TLS\r\n") or not _starttls(
                    server, peer
                ):
                    return
                continue
        elif command == b"AUTH":
            mechanism = words[1].upper() if len(words) > 1 else b""
            prompts = (
                [b"334 \r\n"]
                if mechanism == b"PLAIN"
                else [b"334 VXNlcm5hbWU6\r\n", b"334 UGFzc3dvcmQ6\r\n"]
            )
            for prompt in prompts[len(words) - 2 :]:  # an initial response answers one prompt
                if not peer.send(prompt) or peer.readline() is None:
                    return
            reply = b"235 2.7.0 Authentication successful\r\n"
        elif command == b"DATA":
            if not peer.send(b"354 End data with <CR><LF>.<CR><LF>\r\n"):
                return
            while (data := peer.readline()) is not None and data.rstrip(b"\r\n") != b".":
                pass
            reply = b"250 2.0.0 Ok: queued\r\n"
        elif command == b"QUIT":
            peer.send(b"221 2.0.0 Bye\r\n")
            return
        else:
            reply = b"250 2.0.0 Ok\r\n"
        if not peer.send(reply):
            return


def _http_response(content_type: bytes, body: bytes, length: int | None = None) -> bytes:
    size = str(len(body) if length is None else length).encode()
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + content_type
        + b"\r\nContent-Length: "
        + size
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )


def _http(server: HostileServer, peer: Peer) -> None:
    length = 0
    while (line := peer.readline()) is not None and line.strip():
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = min(int(value.strip()), 1024 * 1024)
    if line is None or (length and peer.read_exactly(length) is None):
        return
    if server.behaviour is Behaviour.XML_BOMB:
        peer.send(_http_response(b"application/xml", XML_BOMB))
    elif server.behaviour is Behaviour.HTML_200:
        peer.send(_http_response(b"text/html; charset=utf-8", PARKED_PAGE))
    else:  # SLOW_BODY
        body = b'<?xml version="1.0"?>\n<clientConfig version="1.1"></clientConfig>\n'
        if not peer.send(_http_response(b"application/xml", b"", len(body))):
            return
        for index in range(len(body)):
            if not peer.send(body[index : index + 1]) or not peer.wait_or_listen(
                SLOW_SECONDS_PER_BYTE
            ):
                return
