"""The ``numbers`` check: every number of the source is in the translation, however it is written."""
from __future__ import annotations

from typing import Iterator

from ..numbers import unmatched_numbers
from ..format_strings import PYTHON_FORMAT
from ..interface_text import N_, Message
from .base import Level, check


@check("numbers", N_("numbers"), Level.WARNING)
def check_numbers(source: str, translation: str) -> Iterator[Message]:
    """Warn about each number of the source that the translation does not contain (in any usual spelling)."""
    missing = unmatched_numbers(PYTHON_FORMAT.sub(" ", source), PYTHON_FORMAT.sub(" ", translation))
    if missing:
        yield Message(N_("number(s) of the source missing from the translation: %(numbers)s"),
                      numbers=", ".join(missing))
