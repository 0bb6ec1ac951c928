"""Plural forms for translators: which CLDR category each gettext form serves, with example numbers."""
from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .checks import plural_examples

#: How many example numbers a label shows before "…".
EXAMPLES_SHOWN = 4


@dataclass(frozen=True)
class PluralLabel:
    """One plural form of a catalog: its index, CLDR category and numbers that select it."""

    index: int
    category: str
    examples: tuple[str, ...]
    more: bool = True  # other numbers select it too

    def __str__(self) -> str:
        return f"{self.category} ({', '.join(self.examples)}{', …' if self.more else ''})"


def _category(locale: Locale | None, number: float) -> str:
    if locale is None:
        return "other"
    return locale.plural_form(number)


def plural_labels(language: str, nplurals: int, expression: str) -> list[PluralLabel]:
    """Label each form of a catalog's ``Plural-Forms`` with the CLDR category Babel gives its numbers."""
    try:
        locale: Locale | None = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        locale = None
    examples = plural_examples(expression, nplurals)
    labels = []
    for index in range(nplurals):
        numbers = examples.get(index, [])
        if numbers:
            categories = [_category(locale, number) for number in numbers[:50]]
            category = max(set(categories), key=categories.count)
            shown = tuple(str(number) for number in numbers[:EXAMPLES_SHOWN])
            more = len(numbers) > EXAMPLES_SHOWN
        else:  # a form no whole number selects (a fourth form for fractions)
            category, shown, more = _category(locale, 1.5), ("1.5",), True
        labels.append(PluralLabel(index, category, shown, more))
    return labels
