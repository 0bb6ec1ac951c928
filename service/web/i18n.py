"""UI strings in the request's language: one language selector, gettext for Python code and Jinja templates.

Every page asks :func:`current_language`, which chooses once per request and keeps the
choice on ``g.language`` (as Flask-Babel memoises its locale): the API speaks English, a
page under a language prefix (the reader's ``/uk/…``) speaks the URL's language, every
other page the reader's (the ``lang`` cookie, else ``Accept-Language``, else
``DEFAULT_LANGUAGE``). Translations come from the compiled ``messages`` catalogs through
the catalog store, so a saved translation shows on the next request.
"""
from __future__ import annotations

import gettext as gettext_module
import logging
from typing import Any

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .accept_language import language_ranges
from .extension import services
from .paths import is_api_request, url_language
from ..domain.names import MESSAGES_DOMAIN, UI_SOURCE_LANGUAGE
from ..domain.negotiation import negotiate_language
from ..domain.interface_text import LanguageName, Message

logger = logging.getLogger(__name__)
#: The cookie that keeps the language a reader chose.
LANGUAGE_COOKIE = "lang"


def negotiated_language() -> str:
    """Return the reader's language: the ``lang`` cookie, else ``Accept-Language``, else ``DEFAULT_LANGUAGE``."""
    ranges = language_ranges(request.headers.get("Accept-Language"))
    return negotiate_language(request.cookies.get(LANGUAGE_COOKIE), ranges,
                              current_app.config["LANGUAGES"], current_app.config["DEFAULT_LANGUAGE"])


def request_language() -> str:
    """Choose the interface language of this request: English for the API, the URL's language, else the reader's."""
    if is_api_request():
        return UI_SOURCE_LANGUAGE  # API messages are in English, the UI's source language
    return url_language() or negotiated_language()


def current_language() -> str:
    """Return the interface language of the current request, chosen once and kept on ``g``.

    Outside a request it is ``DEFAULT_LANGUAGE``, and English outside an app.
    """
    if not has_app_context():
        return UI_SOURCE_LANGUAGE
    if "language" not in g:
        if not has_request_context():
            return current_app.config["DEFAULT_LANGUAGE"]
        g.language = request_language()
    language: str = g.language
    return language


def ui_translations(language: str | None = None) -> gettext_module.NullTranslations:
    """Return the compiled UI translations of ``language`` (default: the current one)."""
    if not has_app_context():
        return gettext_module.NullTranslations()
    language = language or current_language()
    if not has_request_context():
        return services().catalogs.translations(language, MESSAGES_DOMAIN)
    # Once per language and request: a page asks for a dozen UI strings, each would stat the .mo.
    known: dict[str, gettext_module.NullTranslations] = g.setdefault("ui_translations", {})
    found = known.get(language)
    if found is None:
        found = known[language] = services().catalogs.translations(language, MESSAGES_DOMAIN)
    return found


def _format(text: str, source: str, variables: dict[str, Any]) -> str:
    """Fill ``variables`` into a translation; fall back to the source if the translation's placeholders are off."""
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return source % variables


def gettext(message: str, **variables: Any) -> str:
    """Translate ``message`` into the current language; ``%(name)s`` filled from ``variables``."""
    return _format(ui_translations().gettext(message), message, variables)


def ngettext(singular: str, plural: str, number: int, **variables: Any) -> str:
    """Translate the form of ``singular``/``plural`` that the current language uses for ``number``."""
    variables.setdefault("num", number)
    source = singular if number == 1 else plural
    return _format(ui_translations().ngettext(singular, plural, number), source, variables)


def pgettext(context: str, message: str, **variables: Any) -> str:
    """Translate ``message`` in ``context`` into the current language."""
    return _format(ui_translations().pgettext(context, message), message, variables)


def translate_message(text: str) -> str:
    """Translate a :class:`Message` (and the messages and language names filled into it) into the current language.

    Other text is returned as it is.
    """
    if isinstance(text, LanguageName):
        return text.in_language(g.get("language") or UI_SOURCE_LANGUAGE)
    if not isinstance(text, Message):
        return text
    values = {name: translate_message(value) if isinstance(value, str) else value
              for name, value in text.params.items()}
    return _format(ui_translations().gettext(text.template), text.template, values)


def _fill(translation: str, source: str, variables: dict[str, Any]) -> Markup:
    """Fill ``variables`` into an escaped translation as Jinja's new-style gettext does; fall back to the source.

    Jinja formats every UI translation with ``%``, variables or not: a translation with a lone
    ``%`` or a placeholder the source lacks (a hand edit, a ``git pull``) would fail the page.
    The source text is shown instead, and the translation logged to be fixed.
    """
    try:
        return escape(translation) % variables
    except (KeyError, ValueError, TypeError) as error:
        logger.error("UI translation %r of %r cannot be formatted (%s): the source text is shown", translation,
                     source, error)
        return escape(source) % variables


@pass_context
def _template_gettext(context: Context, message: str, **variables: Any) -> Markup:
    return _fill(ui_translations().gettext(message), message, variables)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, number: int, **variables: Any) -> Markup:
    variables.setdefault("num", number)
    return _fill(ui_translations().ngettext(singular, plural, number), singular if number == 1 else plural, variables)


@pass_context
def _template_pgettext(context: Context, message_context: str, message: str, **variables: Any) -> Markup:
    variables.setdefault("context", message_context)
    return _fill(ui_translations().pgettext(message_context, message), message, variables)


def init_app(app: Flask) -> None:
    """Give templates ``_``, ``gettext``, ``ngettext``, ``pgettext`` and ``translate_message`` in the request's language."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # New-style gettext (``{% trans %}`` and ``_()`` fill in variables, escaping them), with callables of
    # our own: translations are untrusted text (a translator's <meta http-equiv="refresh"> would send
    # every reader elsewhere), so they are escaped, and one that cannot be formatted gives way to its source.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: message, ngettext=lambda singular, plural, number: singular,
        pgettext=lambda context, message: message, newstyle=True,
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext,
                                 pgettext=_template_pgettext)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["translate_message"] = translate_message
