"""Pick the reader's language: the ``lang`` cookie, then ``Accept-Language``, then the default.

Pure functions over the cookie's value and the header's language ranges (read from the
header by the web floor, :mod:`service.web.accept_language`). Babel splits each language
tag; the matching is ours, because Werkzeug's ``best_match`` prefers an exact match
anywhere in the header over a regional match the reader listed first (``uk-UA, en`` would
give ``en``).
"""
from __future__ import annotations

from typing import Sequence

from babel.core import parse_locale

#: Longest cookie value looked at.
MAX_COOKIE_LENGTH = 32


def _split_tag(tag: str) -> tuple[str, str | None] | None:
    """Return ``(language, territory)`` of a tag such as ``uk-UA`` or ``pt_BR``, ``None`` if invalid."""
    separator = "_" if "_" in tag else "-"
    try:
        language, territory = parse_locale(tag, sep=separator)[:2]
    except ValueError:
        return None
    return language.lower(), territory.upper() if territory else None


def match_language(tag: str, languages: Sequence[str]) -> str | None:
    """Return the supported language that ``tag`` asks for (``uk-UA`` → ``uk``), or ``None``."""
    wanted = _split_tag(tag)
    if wanted is None:
        return None
    candidates = [(language, _split_tag(language)) for language in languages]
    for language, parts in candidates:  # the exact regional variant first
        if parts == wanted:
            return language
    for language, parts in candidates:  # then the same language, any region
        if parts is not None and parts[0] == wanted[0]:
            return language
    return None


def range_covers(language_range: str, language: str) -> bool:
    """Tell whether a language range covers a supported language, as RFC 4647 basic filtering does.

    ``en`` covers ``en`` and ``en_GB``; ``en-US`` covers neither ``en`` nor ``en_GB``.
    """
    wanted = language_range.lower().replace("_", "-")
    tag = language.lower().replace("_", "-")
    return tag == wanted or tag.startswith(wanted + "-")


#: ``Accept-Language`` read: each language range with its q-value, most preferred first.
LanguageRanges = Sequence[tuple[str, float]]


def accept_language_match(ranges: LanguageRanges, languages: Sequence[str], default: str) -> str | None:
    """Return the supported language the header's ``ranges`` prefer most, ``None`` when they name none.

    ``q=0`` excludes only what its range covers: ``en-US;q=0, en;q=0.5`` still accepts ``en``.
    """
    excluded = {language for tag, quality in ranges if quality <= 0
                for language in languages if range_covers(tag, language)}
    for tag, quality in ranges:
        if quality <= 0:
            continue
        if tag == "*":
            # Any language will do: the default unless excluded, else the first one left.
            remaining = [default] + [language for language in languages if language != default]
            return next((language for language in remaining if language not in excluded), None)
        language = match_language(tag, languages)
        if language is not None and language not in excluded:
            return language
    return None


def cookie_language(cookie: str | None, languages: Sequence[str]) -> str | None:
    """Return the language the ``lang`` cookie names, if it is a supported one."""
    if not cookie or len(cookie) > MAX_COOKIE_LENGTH:
        return None
    value = cookie.strip()
    return next((language for language in languages if language.lower() == value.lower()), None)


def negotiate_language(
    cookie: str | None, ranges: LanguageRanges, languages: Sequence[str], default: str
) -> str:
    """Choose the reader's language: the cookie, else ``Accept-Language``'s ``ranges``, else ``default``."""
    return (
        cookie_language(cookie, languages)
        or accept_language_match(ranges, languages, default)
        or default
    )
