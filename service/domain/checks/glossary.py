"""The ``glossary`` check: a term of the source keeps its required translation, and no forbidden variant is used."""
from __future__ import annotations

from typing import Iterator

from ..glossary import Glossary
from ..interface_text import N_, Message
from .base import Level, check


@check("glossary", N_("glossary"), Level.WARNING)
def check_glossary(source: str, translation: str, glossary: Glossary | None) -> Iterator[Message]:
    """Warn about each glossary term of the source whose translation is missing, and each forbidden variant used."""
    if not glossary:
        return
    for kind, term, text in glossary.problems(source, translation):
        if kind == "missing":
            yield Message(N_("“%(term)s” is translated as “%(translation)s”"),
                          term=term.term, translation=text)
        else:
            yield Message(N_("“%(variant)s” is not used; write “%(translation)s”"),
                          variant=text, translation=term.translation)
