"""The contract's ``probe --json`` object, made from a ProbeReport."""

from __future__ import annotations

from typing import Any

from wizard.contract import SCHEMA, server_to_json
from wizard.probe.certinfo import Certificate
from wizard.probe.check import ServerResult
from wizard.probe.conn import TlsInfo
from wizard.probe.diagnose import Diagnosis
from wizard.probe.roundtrip import RoundTripResult
from wizard.probe.runner import ProbeReport


def error_to_json(error: Diagnosis | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {"code": error.code, "message": error.message, "hint": error.hint,
            "reason": error.reason, "reply": error.reply}


def certificate_to_json(cert: Certificate | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    return {"subject": cert.subject, "issuer": cert.issuer, "not_before": cert.not_before,
            "not_after": cert.not_after, "sha256": cert.sha256, "trusted": cert.trusted,
            "hostname_match": cert.hostname_match, "names": list(cert.names),
            "trusted_by_fingerprint": cert.trusted_by_fingerprint,
            "verify_error": cert.verify_error}


def tls_to_json(tls: TlsInfo | None) -> dict[str, Any] | None:
    if tls is None:
        return None
    return {"version": tls.version, "certificate": certificate_to_json(tls.certificate)}


def result_to_json(result: ServerResult) -> dict[str, Any]:
    return {
        "server": server_to_json(result.server),
        "ok": result.ok,
        "stage": result.stage,
        "error": error_to_json(result.error),
        "tls": tls_to_json(result.tls),
        "capabilities": list(result.capabilities),
        "auth_mechanisms": list(result.auth_mechanisms),
        "username_used": result.username_used,
        "mechanism_used": result.mechanism_used,
        "transcript": list(result.transcript),
        "elapsed_ms": result.elapsed_ms,
    }


def round_trip_to_json(trip: RoundTripResult | None) -> dict[str, Any] | None:
    if trip is None:
        return None
    return {
        "ok": trip.ok,
        "elapsed_ms": trip.elapsed_ms,
        "error": error_to_json(trip.error),
        "message_id": trip.message_id,
        "outgoing": server_to_json(trip.outgoing) if trip.outgoing else None,
        "incoming": server_to_json(trip.incoming) if trip.incoming else None,
        "transcript": list(trip.transcript),
    }


def probe_result_to_json(report: ProbeReport) -> dict[str, Any]:
    """The ``probe --json`` object."""
    return {
        "schema": SCHEMA,
        "email": report.address.email,
        "results": [result_to_json(r) for r in report.results],
        "round_trip": round_trip_to_json(report.round_trip),
        "elapsed_ms": report.elapsed_ms,
    }
