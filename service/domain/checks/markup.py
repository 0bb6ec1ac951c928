"""The ``markup`` check: the source's emphasis, links and HTML tags kept, nothing broken or added."""
from __future__ import annotations

from collections import Counter
from typing import Iterator

from ..markup import find_markup_problems, summarize_markup
from ..interface_text import N_, Message
from .base import Level, check
from .wording import NONE


@check("markup", N_("markup"), Level.ERROR)
def check_markup(source: str, translation: str) -> Iterator[Message]:
    """Report emphasis, links or HTML tags of the source missing from, or broken in, the translation."""
    expected, found = summarize_markup(source), summarize_markup(translation)
    problems = []
    if found.emphasis != expected.emphasis:
        problems.append(Message(N_("*emphasis*: the source has %(expected)d, the translation %(found)d"),
                                expected=expected.emphasis, found=found.emphasis))
    if found.strong != expected.strong:
        problems.append(Message(N_("**strong**: the source has %(expected)d, the translation %(found)d"),
                                expected=expected.strong, found=found.strong))
    if Counter(found.links) != Counter(expected.links):
        missing = sorted((Counter(expected.links) - Counter(found.links)).elements())
        extra = sorted((Counter(found.links) - Counter(expected.links)).elements())
        if missing:
            problems.append(Message(N_("link(s) missing: %(links)s"), links=", ".join(missing)))
        if extra:
            problems.append(Message(N_("link(s) not in the source: %(links)s"), links=", ".join(extra)))
    if Counter(found.html_tags) != Counter(expected.html_tags):
        tags = " ".join(expected.html_tags) if expected.html_tags else Message(NONE)
        problems.append(Message(N_("HTML tags differ from the source: %(tags)s"), tags=tags))
    source_problems = set(find_markup_problems(source))
    problems += [problem for problem in find_markup_problems(translation) if problem not in source_problems]
    yield from dict.fromkeys(problems)
