"""What a translator must carry over from a source text: its placeholders and its markup, found as spans.

:func:`source_spans` cuts a text into ``(kind, text)`` pieces (``text``, ``placeholder`` or
``markup``) that join back into it; the page escapes each piece and wraps the marked ones,
so a source is never rendered as HTML. Pure: no Flask.
"""
from __future__ import annotations

import re

from .format_strings import BRACE_FORMAT, PYTHON_FORMAT

TEXT, PLACEHOLDER, MARKUP = "text", "placeholder", "markup"

#: Markup the articles use and the ``markup`` check compares: HTML tags, link syntax, emphasis markers.
_MARKUP = r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|\]\([^()\s]*\)|\[|\]|\*{1,2}"
_SPANS = re.compile(f"(?P<placeholder>{PYTHON_FORMAT.pattern}|{BRACE_FORMAT.pattern})|(?P<markup>{_MARKUP})")


def source_spans(text: str) -> list[tuple[str, str]]:
    """Cut ``text`` into text, placeholder and markup pieces, in order; joined they give ``text`` back."""
    spans: list[tuple[str, str]] = []
    position = 0
    for match in _SPANS.finditer(text):
        if not match.group(0):
            continue
        if match.start() > position:
            spans.append((TEXT, text[position:match.start()]))
        spans.append((PLACEHOLDER if match.group("placeholder") else MARKUP, match.group(0)))
        position = match.end()
    if position < len(text):
        spans.append((TEXT, text[position:]))
    return spans
