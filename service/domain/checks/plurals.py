"""The ``plurals`` check: as many plural forms as the catalog's ``Plural-Forms`` asks for, none left empty."""
from __future__ import annotations

import gettext
from typing import Iterator, Sequence

from ..interface_text import N_, Message
from .base import Level, check


def plural_examples(expression: str, nplurals: int, limit: int = 1000) -> dict[int, list[int]]:
    """Map each plural form index to the whole numbers (0…limit) that select it."""
    select = gettext.c2py(expression)
    examples: dict[int, list[int]] = {index: [] for index in range(nplurals)}
    for number in range(limit + 1):
        index = select(number)
        if index in examples:
            examples[index].append(number)
    return examples


def single_number_forms(expression: str, nplurals: int) -> set[int]:
    """Return the plural forms used for exactly one number (English "one" = 1): they may omit the count."""
    examples = plural_examples(expression, nplurals)
    return {index for index, numbers in examples.items() if len(numbers) == 1}


@check("plurals", N_("plural forms"), Level.ERROR)
def check_plural_forms(translation: str | Sequence[str], msgid_plural: str | None, nplurals: int) -> Iterator[Message]:
    """Report plural forms for a message without plural, or the wrong number of forms, or some left empty."""
    if not msgid_plural:
        if not isinstance(translation, str):
            yield Message(N_("this message has no plural: give one translation, not plural forms"))
        return
    forms = [translation] if isinstance(translation, str) else list(translation)
    if len(forms) != nplurals:
        yield Message(N_("the catalog's Plural-Forms needs %(expected)d forms, the translation has %(found)d"),
                      expected=nplurals, found=len(forms))
        return
    empty = [str(index) for index, form in enumerate(forms) if not form]
    if empty and len(empty) < len(forms):
        yield Message(N_("plural form(s) %(forms)s left empty"), forms=", ".join(empty))
