"""What the interface calls languages, roles and states: languages as Babel/CLDR names them, the rest from ``messages.po``.

Codes stay where codes are the interface (URLs, API JSON, ``data-`` attributes); pages
show these names instead, in the interface language unless asked for another.
"""
from __future__ import annotations

from babel import UnknownLocaleError
from flask import Flask

from .i18n import current_language, gettext
from ..domain.dates import babel_locale
from ..domain.variant_state import COMPLETE, INCOMPLETE, STALE
from ..domain.interface_text import N_

#: Account role → display name (a msgid).
ROLE_NAMES = {"translator": N_("translator"), "editor": N_("editor"), "admin": N_("admin")}
#: Entry state, variant state or state filter → display name (a msgid).
STATE_NAMES = {
    "translated": N_("translated"), "fuzzy": N_("fuzzy"), "untranslated": N_("untranslated"),
    COMPLETE: N_("complete"), STALE: N_("stale"), INCOMPLETE: N_("incomplete"),
    "all": N_("all"), "failing": N_("failing a check"), "open": N_("untranslated or fuzzy"),
    "needs-work": N_("needs work"),
}


def language_name(code: str, in_language: str | None = None) -> str:
    """Return the name of language ``code`` as CLDR writes it in ``in_language`` (default: the interface's).

    ``англійська`` in Ukrainian, ``English`` in English; the code itself when CLDR knows
    no such language (a code from a URL may be anything).
    """
    try:
        name = babel_locale(code).get_display_name(babel_locale(in_language or current_language()))
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


def language_label(code: str, in_language: str | None = None) -> str:
    """Return the name of language ``code`` capitalized, as a menu, a heading or a switcher shows it alone."""
    name = language_name(code, in_language)
    return name[:1].upper() + name[1:]


def role_name(role: str) -> str:
    """Return the display name of an account role in the interface language."""
    return gettext(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def state_name(state: str) -> str:
    """Return the display name of an entry or variant state (or a state filter) in the interface language."""
    return gettext(STATE_NAMES[state]) if state in STATE_NAMES else state


def init_app(app: Flask) -> None:
    """Give every template ``language_name``, ``language_label``, ``role_name`` and ``state_name``."""
    app.jinja_env.globals.update(language_name=language_name, language_label=language_label, role_name=role_name,
                                 state_name=state_name)
