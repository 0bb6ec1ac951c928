"""Run the checks: on one translation, on a catalog entry, on a whole catalog."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import polib

from ..glossary import Glossary
from .base import CheckResult, Level
from .glossary import check_glossary
from .language import check_language
from .length import check_length
from .markup import check_markup
from .newlines import check_newlines
from .numbers import check_numbers
from .placeholders import OPTIONAL_IN_SINGLE_FORMS, check_placeholders
from .plurals import check_plural_forms, single_number_forms
from .registry import report_position
from .text import check_punctuation, check_same_as_source, check_whitespace
from .typography import check_typography


def _compared_pairs(msgid: str, translation: str | Sequence[str], msgid_plural: str | None,
                    plural_forms: tuple[int, str]) -> list[tuple[str, str, bool]]:
    """Pair each filled translation form with the source it renders: ``(source, text, single number)``."""
    if not msgid_plural:
        return [(msgid, translation, False)] if isinstance(translation, str) and translation else []
    forms = [translation] if isinstance(translation, str) else list(translation)
    nplurals, expression = plural_forms
    single = single_number_forms(expression, nplurals) if len(forms) == nplurals else set()
    return [(msgid if index in single else msgid_plural, form, index in single)
            for index, form in enumerate(forms) if form]


#: The flag of a message whose translation is always %-formatted, as Jinja's new-style gettext formats
#: every UI string: a lone ``%`` there fails the page, so the placeholder check treats it as python-format.
ALWAYS_FORMATTED = "python-format"


def _check_form(source: str, text: str, single: bool, language: str, flags: list[str],
                glossary: Glossary | None = None) -> list[CheckResult]:
    """Run the checks that compare one translation form with its source."""
    return (
        check_newlines(source, text)
        + check_placeholders(source, text, flags, OPTIONAL_IN_SINGLE_FORMS if single else ())
        + check_markup(source, text)
        + check_language(text, language)
        + ([] if single else check_numbers(source, text))
        + check_same_as_source(source, text)
        + check_whitespace(source, text)
        + check_punctuation(source, text)
        + check_typography(text, language)
        + check_glossary(source, text, glossary)
    )


def run_checks(
    msgid: str,
    translation: str | Sequence[str],
    *,
    language: str,
    msgid_plural: str | None = None,
    plural_forms: tuple[int, str] = (2, "(n != 1)"),
    flags: Iterable[str] = (),
    glossary: Glossary | None = None,
    interface: bool = False,
) -> list[CheckResult]:
    """Check a translation (a string, or the list of plural forms) against its source; return the results.

    ``glossary``: the terms of ``language``, for the ``glossary`` check (none: the check finds nothing).
    ``interface``: a UI string, which the templates always %-format (placeholders checked as python-format).
    """
    flags = list(flags) + ([ALWAYS_FORMATTED] if interface else [])
    too_long = check_length(translation)
    if too_long:
        return too_long
    results = check_plural_forms(translation, msgid_plural, plural_forms[0])
    if results and not msgid_plural:
        return results
    for source, text, single in _compared_pairs(msgid, translation, msgid_plural, plural_forms):
        results += _check_form(source, text, single, language, flags, glossary)
    unique = list(dict.fromkeys(results))  # the same problem in two plural forms is reported once
    return sorted(unique, key=lambda result: (result.level != Level.ERROR, report_position(result.check)))


def entry_translation(entry: polib.POEntry) -> str | list[str]:
    """Return what the checks compare: the msgstr, or the list of plural forms in order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural, key=int)]
    return entry.msgstr


def check_formats(entry: polib.POEntry, plural_forms: tuple[int, str], interface: bool = False) -> list[CheckResult]:
    """Run only the placeholder and line-break checks on a catalog entry: what ``msgfmt -c`` refuses to compile."""
    results: list[CheckResult] = []
    flags = list(entry.flags) + ([ALWAYS_FORMATTED] if interface else [])
    pairs = _compared_pairs(entry.msgid, entry_translation(entry), entry.msgid_plural or None, plural_forms)
    for source, text, single in pairs:
        results += check_newlines(source, text)
        results += check_placeholders(source, text, flags, OPTIONAL_IN_SINGLE_FORMS if single else ())
    return results


def check_entry(entry: polib.POEntry, language: str, plural_forms: tuple[int, str],
                translation: str | Sequence[str] | None = None, glossary: Glossary | None = None,
                interface: bool = False) -> list[CheckResult]:
    """Run every check on a catalog entry (or on ``translation`` proposed for it); ``interface``: a UI string."""
    return run_checks(
        entry.msgid,
        entry_translation(entry) if translation is None else translation,
        language=language,
        msgid_plural=entry.msgid_plural or None,
        plural_forms=plural_forms,
        flags=entry.flags,
        glossary=glossary,
        interface=interface,
    )


def catalog_plural_forms(catalog: polib.POFile) -> tuple[int, str]:
    """Return the catalog's ``(nplurals, expression)``, the gettext default when it has no header."""
    from ..po_format import parse_plural_forms

    return parse_plural_forms(catalog.metadata.get("Plural-Forms"))


def check_catalog(catalog: polib.POFile, language: str, include_fuzzy: bool = False,
                  glossary: Glossary | None = None, interface: bool = False) -> list[tuple[polib.POEntry, list[CheckResult]]]:
    """Check every translated message of ``catalog``; return the entries that have results."""
    plural_forms = catalog_plural_forms(catalog)
    found = []
    for entry in catalog:
        results = check_catalog_entry(entry, language, plural_forms, include_fuzzy, glossary, interface)
        if results:
            found.append((entry, results))
    return found


def check_catalog_entry(entry: polib.POEntry, language: str, plural_forms: tuple[int, str],
                        include_fuzzy: bool = False, glossary: Glossary | None = None,
                        interface: bool = False) -> list[CheckResult]:
    """Check one entry as :func:`check_catalog` does: nothing for the header, obsolete or untranslated ones."""
    if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
        return []
    if entry.fuzzy and not include_fuzzy:
        return []
    translation = entry_translation(entry)
    if not (translation if isinstance(translation, str) else any(translation)):
        return []
    return check_entry(entry, language, plural_forms, glossary=glossary, interface=interface)
