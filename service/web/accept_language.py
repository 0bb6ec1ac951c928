"""The ``Accept-Language`` header read into language ranges, for :mod:`service.domain.negotiation` to match.

Werkzeug parses the header (the same parser as ``request.accept_languages``); only a
bounded prefix is read, so a hostile header costs no more than a normal one.
"""
from __future__ import annotations

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: Longest ``Accept-Language`` value looked at; real browsers send well under 200 characters.
MAX_HEADER_LENGTH = 1024
#: Most language ranges looked at, in the header's order.
MAX_RANGES = 32


def language_ranges(accept_language: str | None) -> list[tuple[str, float]]:
    """Return the header's language ranges with their q-values, most preferred first.

    Only the first :data:`MAX_HEADER_LENGTH` characters and :data:`MAX_RANGES` ranges count.
    Ranges of equal quality keep the reader's order; ``*`` comes after the named ones.
    """
    if not accept_language:
        return []
    value = accept_language[:MAX_HEADER_LENGTH]
    if len(accept_language) > MAX_HEADER_LENGTH and "," in value:
        value = value[: value.rindex(",")]  # drop the range cut in half
    value = ",".join(value.split(",")[:MAX_RANGES])
    # Werkzeug puts "*" after every named language whatever its quality; order by quality
    # alone (a stable sort keeps the header's order, and "*" after names of equal quality).
    return sorted(parse_accept_header(value, LanguageAccept), key=lambda item: -item[1])
