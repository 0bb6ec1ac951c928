"""The ``newlines`` check: a translation begins and ends with a line break exactly when its source does."""
from __future__ import annotations

from typing import Iterator

from ..interface_text import N_, Message
from .base import Level, check


@check("newlines", N_("line breaks"), Level.ERROR)
def check_newlines(source: str, translation: str) -> Iterator[Message]:
    """Report a line break at the start or end that the source does not have, or lacks one it has (``msgfmt -c``)."""
    if source.startswith("\n") != translation.startswith("\n"):
        yield Message(N_("the translation must begin with a line break exactly when the source does"))
    if source.endswith("\n") != translation.endswith("\n"):
        yield Message(N_("the translation must end with a line break exactly when the source does "
                         "(was Enter pressed at the end?)"))
