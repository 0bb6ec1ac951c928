"""Texts that machines read in English and people read in their language: a template and its values.

A :class:`Message` *is* the English text (a ``str``): JSON answers, the CLI and comparisons
see plain English and stay stable. It also remembers the msgid it was made from and the
values filled into it, so a web page can translate the msgid and fill in the same values
(:func:`service.web.i18n.translate_message`). A :class:`LanguageName` is a language's English
name that a page shows in its own language. No Flask here: the quality checks use them.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError

from .names import UI_SOURCE_LANGUAGE


def N_(message: str) -> str:
    """Mark ``message`` for extraction into ``messages.pot``; translate it where it is shown."""
    return message


class Message(str):
    """English text made from ``template % params``; a parameter may itself be a :class:`Message`."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        text = super().__new__(cls, template % params)
        text.template = template
        text.params = params
        return text


@lru_cache(maxsize=1024)
def language_display_name(code: str, in_language: str) -> str:
    """Return CLDR's name of language ``code`` (``uk``, ``pt_BR``, langdetect's ``zh-cn``) in ``in_language``."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language)
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


class LanguageName(str):
    """The English name of language ``code`` (``Norwegian`` for ``no``) that knows its name in other languages."""

    code: str

    def __new__(cls, code: str) -> LanguageName:
        text = super().__new__(cls, language_display_name(code, UI_SOURCE_LANGUAGE))
        text.code = code
        return text

    def in_language(self, language: str) -> str:
        """Return the name in ``language`` (``норвезька`` in ``uk``)."""
        return language_display_name(self.code, language)
