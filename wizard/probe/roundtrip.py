"""The round trip: send a test message to the address itself and find it again."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import formatdate, make_msgid

from wizard.address import Address
from wizard.model import Server
from wizard.probe.budget import Budget
from wizard.probe.check import Policy, ServerResult, connect, sign_in
from wizard.probe.diagnose import Diagnosis, diagnose
from wizard.probe.errors import Cancelled, ProbeFailure
from wizard.probe.imap import ImapSession
from wizard.probe.pop3 import Pop3Session
from wizard.probe.session import Session
from wizard.probe.smtp import SmtpSession
from wizard.probe.transcript import Transcript

POLL_SECONDS = 0.25
POP3_LOOK_BACK = 50  # newest messages a POP3 search looks at


@dataclass(frozen=True)
class RoundTripResult:
    """The contract's ``round_trip`` object, plus what was used and the transcript."""

    ok: bool
    elapsed_ms: int
    error: Diagnosis | None
    message_id: str | None = None
    outgoing: Server | None = None
    incoming: Server | None = None
    transcript: tuple[str, ...] = ()


def test_message(address: Address) -> tuple[str, bytes]:
    """A proper MIME test message to and from ``address``: its Message-ID and its bytes."""
    message = EmailMessage()
    message["From"] = address.email
    message["To"] = address.email
    message["Subject"] = "MailWizard test"
    message["Date"] = formatdate(localtime=True)
    message_id = make_msgid("mailwizard", domain=address.domain_ascii)
    message["Message-ID"] = message_id
    message.set_content(
        "This message was sent by MailWizard to check that this account can send and "
        "receive mail. It deletes it as soon as it arrives; if you see it, you may delete it.\n"
    )
    # The message's own policy (email.policy.default) with CRLF line ends and UTF-8 headers.
    return message_id, message.as_bytes(policy=SMTPUTF8)


def _pick(results: tuple[ServerResult, ...], protocols: tuple[str, ...]) -> ServerResult | None:
    for protocol in protocols:
        for result in results:
            if result.server.protocol == protocol and result.ok and result.username_used:
                return result
    return None


def round_trip(address: Address, results: tuple[ServerResult, ...],
               policy: Callable[[Server], Policy], budget: Budget) -> RoundTripResult:
    """Send through the first outgoing server that signed in; find the message through the
    first incoming one (IMAP before POP3), delete it; never raises."""
    started = time.monotonic()
    outgoing = _pick(results, ("smtp",))
    incoming = _pick(results, ("imap", "pop3"))
    if outgoing is None or incoming is None:
        failed = next((r for r in results if r.error is not None), None)
        error = failed.error if failed else diagnose(
            ProbeFailure("protocol-error", detail="no server signed in"),
            (outgoing or incoming or results[0]).server if results else _NO_SERVER)
        return RoundTripResult(False, 0, error)
    transcript = Transcript("smtp")
    in_transcript = Transcript(incoming.server.protocol)
    message_id, data = test_message(address)
    current = outgoing.server
    try:
        _send(outgoing, policy(outgoing.server), budget, transcript, address, data)
        current = incoming.server
        if incoming.server.protocol == "imap":
            _find_imap(incoming, policy(incoming.server), budget, in_transcript, message_id)
        else:
            _find_pop3(incoming, policy(incoming.server), budget, in_transcript, message_id)
        error = None
    except ProbeFailure as failure:
        error = diagnose(failure, current)
    except Cancelled:
        error = diagnose(ProbeFailure("timeout", "cancelled"), current)
    return RoundTripResult(
        ok=error is None, elapsed_ms=int((time.monotonic() - started) * 1000), error=error,
        message_id=message_id, outgoing=outgoing.server, incoming=incoming.server,
        transcript=transcript.lines() + in_transcript.lines(),
    )


_NO_SERVER = Server("smtp", "?", 0, "ssl")


def _signed_in(result: ServerResult, policy: Policy, budget: Budget,
               transcript: Transcript) -> Session:
    session = connect(result.server, budget, transcript, trusted=policy.trusted_fingerprints)
    try:
        assert result.username_used is not None
        sign_in(session, result.server, policy, result.username_used)
    except BaseException:
        session.close()
        raise
    return session


def _send(result: ServerResult, policy: Policy, budget: Budget, transcript: Transcript,
          address: Address, data: bytes) -> None:
    session = _signed_in(result, policy, budget, transcript)
    assert isinstance(session, SmtpSession)
    try:
        envelope = f"{address.local}@{address.domain_ascii}"
        session.send_message(envelope, envelope, data)
        session.quit()
    finally:
        session.close()


def _find_imap(result: ServerResult, policy: Policy, budget: Budget, transcript: Transcript,
               message_id: str) -> None:
    session = _signed_in(result, policy, budget, transcript)
    assert isinstance(session, ImapSession)
    try:
        session.select("INBOX")
        while True:
            uids = session.search_message_id(message_id)
            if uids:
                session.delete(uids)
                session.quit()
                return
            _wait(budget)
            session.noop()
    finally:
        session.close()


def _find_pop3(result: ServerResult, policy: Policy, budget: Budget, transcript: Transcript,
               message_id: str) -> None:
    # A POP3 session sees the mailbox as it was when it began: look again in a new one.
    while True:
        session = _signed_in(result, policy, budget, transcript)
        assert isinstance(session, Pop3Session)
        try:
            count = session.message_count()
            for number in range(count, max(0, count - POP3_LOOK_BACK), -1):
                if session.message_id(number) == message_id:
                    session.delete(number)
                    session.quit()  # QUIT commits the deletion
                    return
            session.quit()
        finally:
            session.close()
        _wait(budget)


def _wait(budget: Budget) -> None:
    try:
        left = budget.remaining()
    except ProbeFailure:
        raise ProbeFailure("timeout", "not-delivered") from None
    if budget.cancel.wait(min(POLL_SECONDS, left)):
        raise Cancelled()
    try:
        budget.remaining()
    except ProbeFailure:
        raise ProbeFailure("timeout", "not-delivered") from None

