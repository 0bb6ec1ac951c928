"""Finding what a person typed in a text: case and the apostrophe's spelling do not matter.

Ukrainian is written with a typographic apostrophe (’, or the modifier letter ʼ), while
keyboards type ' — a translator searching for "з'єднає" means "з’єднає".
"""
from __future__ import annotations

#: Every apostrophe a text or a keyboard may hold, written as the plain one.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})


def search_key(text: str) -> str:
    """Return ``text`` as searches compare it: case-folded, every apostrophe the plain ``'``."""
    return text.casefold().translate(APOSTROPHES)


def mentions(text: str, query: str) -> bool:
    """Tell whether ``text`` contains ``query``, whatever their case and apostrophes."""
    return search_key(query) in search_key(text)
