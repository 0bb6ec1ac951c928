"""The ``length`` check: text too long to read is refused unread."""
from __future__ import annotations

from typing import Iterator, Sequence

from ..interface_text import N_, Message
from .base import Level, check

#: The longest translation (each plural form) the checks read, far beyond any article paragraph. Every
#: check reads in linear time, but a form of megabytes would still keep a worker, and on a save the
#: catalog's lock, busy for minutes: longer text is refused unread.
MAX_LENGTH = 100_000


@check("length", N_("length"), Level.ERROR)
def check_length(translation: str | Sequence[str]) -> Iterator[Message]:
    """Refuse a translation with a form longer than :data:`MAX_LENGTH` (the other checks then do not run)."""
    too_long = [form for form in ([translation] if isinstance(translation, str) else translation)
                if len(form) > MAX_LENGTH]
    if too_long:
        yield Message(N_("the translation is %(length)d characters long: at most %(limit)d are allowed"),
                      length=len(too_long[0]), limit=MAX_LENGTH)
