"""Numbers in text, compared as facts: ``3,5`` and ``3.5`` are one number, ``14`` and ``16`` are not.

A source edit that changes a number (a date, a sum, a count) changes a fact the translation
repeats; an edit that only moves a comma does not. Numbers are read the way either language
writes them: spaces (also no-break and narrow no-break) group thousands, a single ``,`` or
``.`` followed by exactly three digits groups thousands too (``40,000`` = ``40 000``), any
other single ``,`` or ``.`` is the decimal mark (``3,5`` = ``3.5``).
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

_NUMBER = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d))+|\d+)(?:[.,]\d+)*")
_GROUP_SPACES = re.compile(r"[ \u00a0\u202f]")


def _value(token: str) -> Decimal:
    """Return the value of one number as written in the text."""
    digits = _GROUP_SPACES.sub("", token)
    marks = [char for char in digits if char in ",."]
    if not marks:
        return Decimal(digits)
    if len(set(marks)) == 2:  # 1,234.5 or 1.234,5: the last mark is the decimal one
        decimal_mark = marks[-1]
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = digits.replace(grouping, "").rpartition(decimal_mark)
        return Decimal(f"{whole}.{fraction}")
    if len(marks) > 1:  # 1,234,567 or 1.234.567: grouping only
        return Decimal(digits.replace(marks[0], ""))
    whole, _, fraction = digits.partition(marks[0])
    if len(fraction) == 3:  # 40,000 or 40.000: thousands
        return Decimal(whole + fraction)
    return Decimal(f"{whole}.{fraction}")


def numbers_in(text: str) -> Counter[Decimal]:
    """Return the numbers written in ``text``, by value, with how often each occurs."""
    return Counter(_value(match.group()) for match in _NUMBER.finditer(text))


def numbers_differ(previous: str, current: str) -> bool:
    """Tell whether ``current`` states other numbers than ``previous`` (formatting aside)."""
    return numbers_in(previous) != numbers_in(current)
