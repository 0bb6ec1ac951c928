"""The signed-in user's own account: changing the password at ``/account/password``.

A change ends every login session of the account (every copy of every cookie) and signs
this browser in again with the new session version, so only the person who changed it
stays signed in.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from .auth import accounts, current_user, require_role
from .errors import status_code
from .i18n import gettext as _
from .security_events import record_event
from ..storage.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, AccountError, LoginThrottled

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current = PasswordField("current", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    new = PasswordField("new", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    repeat = PasswordField("repeat", validators=[DataRequired(), EqualTo("new")])


def _page(form: PasswordForm, message: str | None, status: int) -> tuple[str, int]:
    return render_template("auth/password.html", form=form, message=message, minimum=MIN_PASSWORD_LENGTH), status


@bp.route("/password", methods=["GET", "POST"])
@require_role()
def password() -> Any:
    """Change the password: the current one, the new one twice; every other session ends."""
    user = current_user()
    assert user is not None
    form = PasswordForm()
    if request.method == "GET":
        done = request.args.get("changed") == "1"
        return _page(form, _("Password changed. Every other session has been signed out.") if done else None, 200)
    if not form.validate_on_submit():
        if (form.new.errors or form.repeat.errors) and not form.current.errors:
            return _page(form, _("The new password needs at least %(count)d characters, typed the same twice.",
                                 count=MIN_PASSWORD_LENGTH), 400)
        return _page(form, _("Fill in every field."), 400)
    try:
        changed = accounts().change_password(user.name, form.current.data or "", form.new.data or "",
                                             request.remote_addr or "")
    except LoginThrottled as throttled:
        seconds = int(throttled.retry_after) + 1
        record_event("login-throttled", user.name, retry_after=seconds)
        return _page(form, _("Too many failed attempts. Try again in %(seconds)d s.", seconds=seconds),
                     status_code(throttled))
    except AccountError:
        record_event("login-failed", user.name)
        return _page(form, _("The current password is wrong."), 403)
    record_event("password-changed", user.name)
    if g.auth_method == "session":
        session.clear()
        session["user_id"], session["stamp"] = changed.id, changed.stamp
        session.permanent = True
    return redirect(url_for("account.password", changed=1))
