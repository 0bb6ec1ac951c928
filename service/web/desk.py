"""The one navigation bar of the desk: the workspace, the glossaries and the coverage dashboard link to each other.

Templates include ``_desk_nav.html``; this module gives it what it needs to know about the
signed-in user and the page it is on, without each view passing it along.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, request, url_for

from .auth import current_user
from .display_names import language_label
from .editor import EDITOR_ROLES
from .extension import services
from .i18n import current_language
from ..domain.dates import format_date_only


@dataclass(frozen=True)
class DeskLink:
    """One link of the navigation bar: where it goes, what it says, whether it is the page shown."""

    url: str
    label: str
    current: bool
    language: str | None = None  # the language a glossary link is for (its label is that language's name)


def _section() -> tuple[str | None, str | None]:
    """Return the desk section the request is in (``catalogs``, ``coverage``, ``glossary``) and its language."""
    language = (request.view_args or {}).get("language")
    sections = {"translate": "catalogs", "editor": "coverage", "glossary": "glossary"}
    return sections.get(request.blueprint or ""), language if isinstance(language, str) else None


def desk_languages() -> list[str]:
    """Return the languages the signed-in user works in: their own for a translator, all for editors."""
    user = current_user()
    if user is None:
        return []
    return [language for language in services().catalogs.languages if user.can_edit(language)]


def desk_glossaries() -> list[DeskLink]:
    """Return a link to the glossary of each of the user's languages, named by the language."""
    section, current = _section()
    return [DeskLink(url_for("glossary.page", language=code), language_label(code),
                     section == "glossary" and current == code, code) for code in desk_languages()]


def _navigation() -> dict[str, Any]:
    user = current_user()
    if user is None:
        return {}
    section, _language = _section()
    return {"desk_section": section, "desk_is_editor": user.role in EDITOR_ROLES,
            "desk_languages": desk_languages(), "desk_glossaries": desk_glossaries()}


def format_day(moment: datetime) -> str:
    """Return the day of ``moment`` in the newsroom's time zone, as the interface language writes dates."""
    return format_date_only(moment, current_language(), current_app.config["TIMEZONE"])


def init_app(app: Flask) -> None:
    """Give the desk's templates ``desk_navigation()`` (the user's section, role and languages) and ``format_day``."""
    app.jinja_env.globals.update(desk_navigation=_navigation, format_day=format_day)
