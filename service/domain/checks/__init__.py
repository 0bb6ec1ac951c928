"""Quality checks of a translation against its source: one implementation for the CLI, the editor and the API.

Each check lives in a module of its own and declares, beside its logic, its id, its translatable
name and its level (:func:`base.check`); :mod:`.registry` collects them. Calling a check gives
:class:`CheckResult` values: ``error`` results reject a save, ``warning`` results are shown to the
translator. The checks are plain functions over strings (and polib entries for convenience): no
Flask, no files.

A result's ``message`` is English (the API and the CLI show it as it is) and a :class:`Message`:
it keeps its UI msgid and values, so the web pages show it in the interface language.
"""
from __future__ import annotations

from ..format_strings import brace_placeholders, python_placeholders, stray_percents
from ..language_guess import LanguageGuess, detect_language
from .base import Check, CheckResult, Level, check, has_errors
from .facts import (
    NUMBERS_CHECKED_FLAG,
    check_facts_changed,
    record_numbers_checked,
    review_results,
)
from .glossary import check_glossary
from .language import check_language
from .length import MAX_LENGTH, check_length
from .markup import check_markup
from .numbers import check_numbers
from .placeholders import check_placeholders
from .plurals import check_plural_forms, plural_examples
from .registry import CHECKS, CHECKS_BY_ID
from .runner import (
    catalog_plural_forms,
    check_catalog,
    check_catalog_entry,
    check_entry,
    check_formats,
    entry_translation,
    run_checks,
)
from .text import check_punctuation, check_same_as_source, check_whitespace
from .typography import check_typography

__all__ = [
    "CHECKS",
    "CHECKS_BY_ID",
    "MAX_LENGTH",
    "NUMBERS_CHECKED_FLAG",
    "Check",
    "CheckResult",
    "LanguageGuess",
    "Level",
    "brace_placeholders",
    "catalog_plural_forms",
    "check",
    "check_catalog",
    "check_catalog_entry",
    "check_entry",
    "check_facts_changed",
    "check_formats",
    "check_glossary",
    "check_language",
    "check_length",
    "check_markup",
    "check_numbers",
    "check_placeholders",
    "check_plural_forms",
    "check_punctuation",
    "check_same_as_source",
    "check_typography",
    "check_whitespace",
    "detect_language",
    "entry_translation",
    "has_errors",
    "plural_examples",
    "python_placeholders",
    "record_numbers_checked",
    "review_results",
    "run_checks",
    "stray_percents",
]
