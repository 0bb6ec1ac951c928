"""Every quality check, collected in the order their results are reported."""
from __future__ import annotations

from typing import Any

from .base import Check
from .facts import check_facts_changed
from .glossary import check_glossary
from .language import check_language
from .length import check_length
from .markup import check_markup
from .newlines import check_newlines
from .numbers import check_numbers
from .placeholders import check_placeholders
from .plurals import check_plural_forms
from .text import check_punctuation, check_same_as_source, check_whitespace
from .typography import check_typography

#: Every check, in the order results are reported (errors before warnings).
CHECKS: tuple[Check[Any], ...] = (
    check_length, check_newlines, check_placeholders, check_plural_forms, check_markup, check_language, check_numbers,
    check_same_as_source, check_whitespace, check_punctuation, check_typography, check_glossary,
)
#: Every check by id, with the rule that judges reviews (``facts_changed``), which no draft runs.
CHECKS_BY_ID: dict[str, Check[Any]] = {declared.id: declared for declared in (*CHECKS, check_facts_changed)}
_POSITION = {declared.id: index for index, declared in enumerate(CHECKS)}


def report_position(check_id: str) -> int:
    """Return where the results of check ``check_id`` come in a report (unknown checks last)."""
    return _POSITION.get(check_id, len(CHECKS))
