"""The admins' pages: the security log at ``/admin/security``, the latest events in the interface language."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, current_app, render_template, request

from .auth import require_role
from .errors import BadRequest
from .extension import services
from .i18n import current_language, gettext
from ..domain.interface_text import N_
from ..storage.security_log import EVENTS, SecurityEvent

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: How many events the page shows, newest first.
PAGE_SIZE = 200
#: Security event → display name (a msgid).
EVENT_NAMES = {
    "login": N_("signed in"), "login-failed": N_("failed sign-in"), "login-throttled": N_("sign-in throttled"),
    "logout": N_("signed out"), "user-added": N_("account added"), "user-removed": N_("account removed"),
    "role-changed": N_("role changed"), "password-reset": N_("password reset"),
    "password-changed": N_("password changed"), "token-reset": N_("API token reset"),
    "save": N_("translation saved"), "upload": N_("PO file uploaded"),
}
assert set(EVENT_NAMES) == set(EVENTS)


def event_name(event: str) -> str:
    """Return the display name of a security event in the interface language."""
    return gettext(EVENT_NAMES[event]) if event in EVENT_NAMES else event


def _moment(event: SecurityEvent) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return format_datetime(event.at, "short", tzinfo=zone, locale=current_language())


@bp.get("/security")
@require_role("admin")
def security() -> str:
    """List the latest security events, optionally of one kind (``?event=login-failed``)."""
    event = request.args.get("event") or None
    if event is not None and event not in EVENTS:
        raise BadRequest(gettext("Unknown event: %(event)s.", event=event[:64]))
    events = services().security_log.latest(PAGE_SIZE, event)
    return render_template("admin/security.html", events=events, selected=event, kinds=EVENTS,
                           event_name=event_name, moment=_moment)
