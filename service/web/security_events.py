"""Record a security event of this request: who (the signed-in user unless named) and from which address."""
from __future__ import annotations

from typing import Any

from flask import request

from .extension import services
from ..domain.editing import UploadReport


def record_event(event: str, user: str, **details: Any) -> None:
    """Record ``event`` by ``user`` from this request's address in the security log."""
    services().security_log.record(event, user, request.remote_addr or "", **details)


def record_upload(user: str, language: str, domain: str, report: UploadReport) -> None:
    """Record an uploaded PO file's merge: which catalog, how many entries applied, in conflict, rejected."""
    record_event("upload", user, language=language, domain=domain, entry=",".join(item["id"] for item in report.applied),
                 applied=len(report.applied), conflicts=len(report.conflicts), rejected=len(report.rejected))
