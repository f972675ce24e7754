"""Live checks of mail servers: TLS and certificates, capabilities, sign-in, a round trip.

The core API, without Qt (the GUI and ``mailwizard probe`` are faces over it)::

    token = CancelToken()
    report = probe(settings, ProbeOptions(password=pw, timeout=20),
                   on_event=callback, cancel=token)      # blocks; run it off the GUI thread
    report.ok, report.results[i].error.message, probe_result_to_json(report)

``on_event`` receives a ProbeEvent per stage a server enters, and a last one with its
``result``; it is called from worker threads. Every server is checked at once under one
deadline; ``token.cancel()`` stops them all.

Modules: ``budget`` (deadline, cancel), ``conn`` (sockets, TLS, certificates), ``certinfo``
(what a certificate says), ``transcript`` (redaction by allow-list), ``sasl``, ``imap``,
``pop3``, ``smtp`` (bounded protocol clients), ``check`` (one server, the security rules),
``diagnose`` (codes to words), ``roundtrip``, ``runner`` (all servers at once), ``report``
(the contract's JSON).
"""

from wizard.probe.budget import CancelToken
from wizard.probe.check import ServerResult
from wizard.probe.diagnose import Diagnosis
from wizard.probe.errors import ERROR_CODES, STAGES
from wizard.probe.report import probe_result_to_json
from wizard.probe.roundtrip import RoundTripResult
from wizard.probe.runner import ProbeEvent, ProbeOptions, ProbeReport, probe, servers_to_check

__all__ = [
    "ERROR_CODES", "STAGES", "CancelToken", "Diagnosis", "ProbeEvent", "ProbeOptions",
    "ProbeReport", "RoundTripResult", "ServerResult", "probe", "probe_result_to_json",
    "servers_to_check",
]
