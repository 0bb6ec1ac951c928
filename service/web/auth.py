"""Who is asking: login sessions and ``Authorization: Bearer`` tokens for every blueprint, plus CSRF.

Use :func:`require_role` on a view::

    @bp.get("/coverage")
    @require_role("editor", "admin")
    def coverage(): ...

``require_role()`` without roles lets in any signed-in user; :func:`current_user` is the
account. A request without valid credentials gets ``401`` (JSON for API and token
clients) or, for a browser page, a redirect to the login page; a wrong role gets ``403``,
and so does a ``<language>`` in the URL that is not one of the user's.
CSRF (Flask-WTF) protects every unsafe request that relies on the session cookie, checked
after those refusals (the spec's order: 401, 403, then 400); requests authenticated by a
token carry no cookie to abuse and are exempt.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from flask import (Blueprint, Flask, Response, abort, current_app, g, has_request_context, redirect,
                   render_template, request, session, url_for)
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_wtf import FlaskForm
from werkzeug.local import LocalProxy
from flask_wtf.csrf import CSRFProtect
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .errors import error_response, status_code, wants_json
from .extension import services
from ..storage.accounts import Accounts, LoginThrottled, User
from .display_names import language_label, role_name
from .i18n import gettext as _
from .redirects import local_path
from .security_events import record_event

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
bp = Blueprint("auth", __name__)
csrf = CSRFProtect()


def accounts() -> Accounts:
    """Return the app's accounts store."""
    return services().accounts


def current_user() -> User | None:
    """Return the signed-in account of this request (session or token), ``None`` if there is none.

    Found on first use, so pages that never ask (the reader's) never touch the session and
    stay the same for every reader.
    """
    if "user" not in g:
        _load_user()
    return g.user


def require_role(*roles: str) -> Callable[[F], F]:
    """Let the view run only for a signed-in user with one of ``roles`` (any role when none are given).

    Refuses in order: 401, 403 (role), 403 (the URL's ``language`` is not the user's), 400 (CSRF).
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                if wants_json():  # API paths and token clients, a bad token included
                    return error_response(401, g.get("auth_error") or _("Sign in, or send Authorization: Bearer <token>."))
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if roles and user.role not in roles:
                return error_response(403, _("This needs the role: %(roles)s.",
                                                roles=", ".join(role_name(role) for role in roles)))
            language = kwargs.get("language")
            if language is not None and not user.can_edit(language):
                return error_response(403, _("You do not work on %(language)s.", language=language_label(language)))
            _check_csrf()
            return view(*args, **kwargs)

        guarded.requires_login = True  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def _load_user() -> None:
    """Find who is asking: a bearer token first, else the login session."""
    g.user, g.auth_method, g.auth_error = None, None, None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            g.auth_error = "unsupported Authorization header: use Bearer <token>"
            return
        user = accounts().check_token(token.strip())
        if user is None:
            g.auth_error = "invalid API token"
            return
        g.user, g.auth_method = user, "token"
        return
    user_id, stamp = session.get("user_id"), session.get("stamp")
    if isinstance(user_id, int):
        user = accounts().get(user_id)
        if user is not None and user.stamp == stamp:
            g.user, g.auth_method = user, "session"
        else:
            session.clear()


def _check_csrf() -> None:
    """Check the CSRF token of an unsafe request that rides on the session cookie (token requests are exempt)."""
    if request.method in SAFE_METHODS:
        return
    current_user()
    if g.auth_method != "token":
        csrf.protect()


def _protect_forms() -> None:
    """Check the CSRF token of unsafe requests to views that do not check it themselves."""
    if request.routing_exception is not None:
        return  # no view runs (404, 405): nothing to protect
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "requires_login", False):
        return  # require_role checks it once the user may use the view
    _check_csrf()


class CacheSafeSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left off responses that shared caches may keep.

    A signed-in translator's session is permanent, so Flask would refresh its cookie on
    every response, reader pages included: a ``Cache-Control: public`` page carrying one
    user's ``Set-Cookie`` (and ``Vary: Cookie``) is not the same for every reader, and a
    cache that kept it would hand that session to everyone. A page made from the session
    (the workspace, the login form's CSRF token) is marked for no cache to keep.
    The cookie is ``Secure`` whenever the request came over HTTPS.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        """Send the cookie over HTTPS only when configured so or when this request is HTTPS."""
        return bool(super().get_cookie_secure(app) or (has_request_context() and request.is_secure))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save the session as Flask does, unless the response is public; keep session pages out of caches."""
        if response.cache_control.public:
            return
        if session.accessed and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        super().save_session(app, session, response)


class LoginForm(FlaskForm):
    name = StringField("name", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField("next")


class LogoutForm(FlaskForm):
    pass


@bp.before_app_request
def _before_request() -> None:
    _protect_forms()


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with name and password; slowed down after repeated failures."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    message, status = None, 200
    if form.validate_on_submit():
        name = form.name.data or ""
        try:
            user = accounts().check_password(name, form.password.data or "", request.remote_addr or "")
        except LoginThrottled as throttled:
            seconds = int(throttled.retry_after) + 1
            record_event("login-throttled", name, retry_after=seconds)
            message = _("Too many failed attempts. Try again in %(seconds)d s.", seconds=seconds)
            response = current_app.make_response((render_template("auth/login.html", form=form, message=message),
                                                  status_code(throttled)))
            response.headers["Retry-After"] = str(seconds)
            return response
        if user is not None:
            record_event("login", user.name)
            session.clear()
            session["user_id"], session["stamp"] = user.id, user.stamp
            session.permanent = True
            target = local_path(form.next.data) or url_for("translate.index")
            return redirect(target)
        record_event("login-failed", name)
        message, status = _("Wrong name or password."), 401
    elif request.method == "POST":
        message, status = _("Enter your name and password."), 400
    return render_template("auth/login.html", form=form, message=message), status


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """Sign out everywhere (a POST with the form's CSRF token): every copy of the session ends; GET shows the button."""
    form = LogoutForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        user = current_user()
        if user is not None and g.auth_method == "session":
            accounts().end_sessions(user.id)
            record_event("logout", user.name)
        session.clear()
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)


def init_app(app: Flask) -> None:
    """Turn CSRF on (checked by :func:`_protect_forms`) and add login/logout."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in _protect_forms, tokens exempt
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session: long editing stays safe
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"  # Flask's default is None
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.session_interface = CacheSafeSessionInterface()
    csrf.init_app(app)
    app.register_blueprint(bp)

    @app.context_processor
    def _workspace_user() -> dict[str, Any]:
        # A proxy, so templates that never mention the user (the reader's) never touch the session.
        return {"current_user": LocalProxy(current_user), "logout_form": LogoutForm}

