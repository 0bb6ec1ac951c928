"""The checks of the text's edges: ``same-as-source``, ``whitespace`` and ``punctuation``."""
from __future__ import annotations

from typing import Callable, Iterator

from ..language_guess import WORD, prose
from ..interface_text import N_, Message
from .base import Level, check
from .wording import NONE


@check("same-as-source", N_("same as source"), Level.WARNING)
def check_same_as_source(source: str, translation: str) -> Iterator[Message]:
    """Warn when the translation is the source text unchanged (and has words to translate)."""
    if translation.strip() == source.strip() and WORD.search(prose(source)):
        yield Message(N_("the translation is identical to the source"))


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()):]


_EDGES: tuple[tuple[str, Callable[[str], str]], ...] = (
    (N_("leading whitespace differs: source %(source)s, translation %(translation)s"), _leading),
    (N_("trailing whitespace differs: source %(source)s, translation %(translation)s"), _trailing),
)


@check("whitespace", N_("whitespace"), Level.WARNING)
def check_whitespace(source: str, translation: str) -> Iterator[Message]:
    """Warn when leading or trailing whitespace differs from the source."""
    for template, edge in _EDGES:
        if edge(source) != edge(translation):
            yield Message(template, source=repr(edge(source)), translation=repr(edge(translation)))


_CLOSING = "\"'»«“”‘’)]*_ \u00a0"
_FINAL_PUNCTUATION = {".": ".", "…": "…", "!": "!", "?": "?", ":": ":", ";": ";", ",": ","}


def _final_punctuation(text: str) -> str:
    text = text.rstrip(_CLOSING)
    if text.endswith("...") or text.endswith("…"):
        return "…"
    return _FINAL_PUNCTUATION.get(text[-1:], "")


def _describe_mark(mark: str) -> str:
    return repr(mark) if mark else Message(NONE)


@check("punctuation", N_("punctuation"), Level.WARNING)
def check_punctuation(source: str, translation: str) -> Iterator[Message]:
    """Warn when the final punctuation differs from the source's (closing quotes and brackets aside)."""
    expected, found = _final_punctuation(source), _final_punctuation(translation)
    if expected != found:
        yield Message(N_("final punctuation differs: source %(source)s, translation %(translation)s"),
                      source=_describe_mark(expected), translation=_describe_mark(found))
