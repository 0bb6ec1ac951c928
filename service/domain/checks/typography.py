"""The ``typography`` check: Ukrainian text takes the apostrophe ’ and «» quotation marks."""
from __future__ import annotations

import re
from typing import Iterator

from ..numbers import strip_urls
from ..interface_text import N_, Message
from .base import Level, check

#: Anything tag-like; a tag stops at the next ``<`` so that ``<<<…`` is read in linear time.
_ANY_TAG = re.compile(r"<[^<>]*>")
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['`ʹ′](?=[^\W\d_])")
_FOREIGN_QUOTES = re.compile(r"[\"“”„‟]")


@check("typography", N_("typography"), Level.WARNING)
def check_typography(translation: str, language: str) -> Iterator[Message]:
    """Warn about a Ukrainian translation's apostrophes that are not ’ and quotes that are not «»."""
    if language.split("_")[0] != "uk":
        return
    text = _ANY_TAG.sub(" ", strip_urls(translation))
    apostrophes = sorted(set(_STRAIGHT_APOSTROPHE.findall(text)))
    if apostrophes:
        yield Message(N_("use the apostrophe ’ instead of %(apostrophes)s (п’ять, з’єднає)"),
                      apostrophes=" ".join(apostrophes))
    quotes = sorted(set(_FOREIGN_QUOTES.findall(text)))
    if quotes:
        yield Message(N_("use «» quotation marks instead of %(quotes)s"), quotes=" ".join(quotes))
