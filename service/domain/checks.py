"""Quality checks of a translation against its source: one implementation for the CLI, the editor and the API.

Every check returns results shaped ``{"check", "level", "message"}``; ``error`` results
reject a save, ``warning`` results are shown to the translator. The checks are plain
functions over strings (and polib entries for convenience): no Flask, no files.

A ``message`` is English (the API and the CLI show it as it is) and a :class:`Message`: it
keeps its UI msgid and values, so the web pages show it in the interface language.
"""
from __future__ import annotations

import gettext
import re
from collections import Counter
from typing import Iterable, Sequence

import polib

from .facts import strip_urls, unmatched_numbers
from .format_strings import BRACE_FORMAT, NAMED_PYTHON_FORMAT, PYTHON_FORMAT, brace_placeholders, python_placeholders, stray_percents
from .language_guess import WORD, LanguageGuess, detect_language, prose
from .markup import find_markup_problems, summarize_markup
from .translatable import N_, Message

ERROR, WARNING = "error", "warning"
#: Every check, in the order results are reported.
CHECKS = ("length", "placeholders", "plurals", "markup", "language", "numbers", "same-as-source",
          "whitespace", "punctuation", "typography")
#: The words for "none" in messages: no final punctuation, no HTML tags.
_NONE = N_("none")

Result = dict[str, str]
#: The longest translation (each plural form) the checks read, far beyond any article paragraph. Every
#: check reads in linear time, but a form of megabytes would still keep a worker, and on a save the
#: catalog's lock, busy for minutes: longer text is refused unread.
MAX_LENGTH = 100_000


def _result(check: str, level: str, message: Message) -> Result:
    return {"check": check, "level": level, "message": message}


def has_errors(results: Iterable[Result]) -> bool:
    """Tell whether any result is an ``error``."""
    return any(result["level"] == ERROR for result in results)


# --- placeholders ---------------------------------------------------------------------------

def _formats(source: str, flags: Iterable[str]) -> list[str]:
    """Decide which placeholder syntaxes apply: from the flags, else when the source clearly uses one."""
    flags = set(flags)
    formats = []
    if "python-format" in flags or ("no-python-format" not in flags and NAMED_PYTHON_FORMAT.search(source)):
        formats.append("python-format")
    if "brace-format" in flags or ("no-brace-format" not in flags and BRACE_FORMAT.search(source)):
        formats.append("brace-format")
    return formats


def _placeholders(text: str, syntax: str) -> list[str]:
    return python_placeholders(text) if syntax == "python-format" else brace_placeholders(text)


def check_placeholders(source: str, translation: str, flags: Iterable[str] = (), optional: Iterable[str] = ()) -> list[Result]:
    """Report placeholders missing from or added to the translation (``optional`` ones may be left out)."""
    results = []
    for syntax in _formats(source, flags):
        expected = Counter(_placeholders(source, syntax))
        found = Counter(_placeholders(translation, syntax))
        missing = [name for name in expected if name not in found and name not in set(optional)]
        extra = [name for name in found if name not in expected]
        if syntax == "python-format":
            positional_source = sum(count for name, count in expected.items() if not name.startswith("%("))
            positional_found = sum(count for name, count in found.items() if not name.startswith("%("))
            if positional_source != positional_found and not missing and not extra:
                extra = ["%…"]
        if syntax == "python-format" and stray_percents(translation) and not stray_percents(source):
            # msgfmt -c refuses it, and formatting the text fails: write a percent sign as %%
            results.append(_result("placeholders", ERROR, Message(
                N_("a %(percent)s that starts no placeholder: write %(escaped)s for a percent sign"),
                percent="%", escaped="%%")))
        if missing:
            results.append(_result("placeholders", ERROR, Message(
                N_("missing %(syntax)s placeholder(s): %(placeholders)s"), syntax=syntax,
                placeholders=", ".join(missing))))
        if extra:
            results.append(_result("placeholders", ERROR, Message(
                N_("placeholder(s) not in the source: %(placeholders)s"), placeholders=", ".join(extra))))
    return results


# --- plurals --------------------------------------------------------------------------------


def plural_examples(expression: str, nplurals: int, limit: int = 1000) -> dict[int, list[int]]:
    """Map each plural form index to the whole numbers (0…limit) that select it."""
    select = gettext.c2py(expression)
    examples: dict[int, list[int]] = {index: [] for index in range(nplurals)}
    for number in range(limit + 1):
        index = select(number)
        if index in examples:
            examples[index].append(number)
    return examples


def check_plural_forms(forms: Sequence[str], nplurals: int) -> list[Result]:
    """Report a plural translation with the wrong number of forms or some forms left empty."""
    if len(forms) != nplurals:
        return [_result("plurals", ERROR, Message(
            N_("the catalog's Plural-Forms needs %(expected)d forms, the translation has %(found)d"),
            expected=nplurals, found=len(forms)))]
    empty = [str(index) for index, form in enumerate(forms) if not form]
    if empty and len(empty) < len(forms):
        return [_result("plurals", ERROR, Message(N_("plural form(s) %(forms)s left empty"), forms=", ".join(empty)))]
    return []


# --- markup ---------------------------------------------------------------------------------


def check_markup(source: str, translation: str) -> list[Result]:
    """Report emphasis, links or HTML tags of the source missing from, or broken in, the translation."""
    expected, found = summarize_markup(source), summarize_markup(translation)
    problems = []
    if found.emphasis != expected.emphasis:
        problems.append(Message(N_("*emphasis*: the source has %(expected)d, the translation %(found)d"),
                                expected=expected.emphasis, found=found.emphasis))
    if found.strong != expected.strong:
        problems.append(Message(N_("**strong**: the source has %(expected)d, the translation %(found)d"),
                                expected=expected.strong, found=found.strong))
    if Counter(found.links) != Counter(expected.links):
        missing = sorted((Counter(expected.links) - Counter(found.links)).elements())
        extra = sorted((Counter(found.links) - Counter(expected.links)).elements())
        if missing:
            problems.append(Message(N_("link(s) missing: %(links)s"), links=", ".join(missing)))
        if extra:
            problems.append(Message(N_("link(s) not in the source: %(links)s"), links=", ".join(extra)))
    if Counter(found.html_tags) != Counter(expected.html_tags):
        tags = " ".join(expected.html_tags) if expected.html_tags else Message(_NONE)
        problems.append(Message(N_("HTML tags differ from the source: %(tags)s"), tags=tags))
    source_problems = set(find_markup_problems(source))
    problems += [problem for problem in find_markup_problems(translation) if problem not in source_problems]
    return [_result("markup", ERROR, problem) for problem in dict.fromkeys(problems)]


# --- language -------------------------------------------------------------------------------

LANGUAGE_NAMES = {"uk": N_("Ukrainian"), "ru": N_("Russian"), "en": N_("English"), "be": N_("Belarusian"),
                  "bg": N_("Bulgarian"), "de": N_("German"), "fr": N_("French"), "pl": N_("Polish"),
                  "es": N_("Spanish"), "it": N_("Italian")}
#: What a translation in a script but no telling language looks like, by script.
_TEXT_IN_SCRIPT = {"Cyrillic": N_("text in Cyrillic letters"), "Latin": N_("text in Latin letters")}
CYRILLIC_LANGUAGES = {"uk", "ru", "be", "bg", "mk", "sr", "kk"}


def _script_of(language: str) -> str | None:
    if language in CYRILLIC_LANGUAGES:
        return "Cyrillic"
    if language in {"en", "de", "fr", "es", "it", "pl", "cs", "pt", "nl", "sv", "da", "no", "fi", "et", "lv", "lt"}:
        return "Latin"
    return None


def _name(language: str | None) -> str:
    name = LANGUAGE_NAMES.get(language or "")
    return Message(name) if name else language or "?"


def check_language(translation: str, language: str) -> list[Result]:
    """Warn when the translation looks like another language than the catalog's; say which language was seen."""
    base = language.split("_")[0]
    guess = detect_language(translation)
    expected_script = _script_of(base)
    if guess.script and expected_script and guess.script != expected_script:
        seen = _name(guess.language) if guess.language else Message(_TEXT_IN_SCRIPT[guess.script])
    elif guess.language and guess.language != base:
        seen = _name(guess.language)
    else:
        return []
    return [_result("language", WARNING, Message(
        N_("the translation looks like %(seen)s, not %(expected)s (seen: %(evidence)s)"),
        seen=seen, expected=_name(base), evidence=guess.evidence))]


# --- numbers --------------------------------------------------------------------------------


def check_numbers(source: str, translation: str) -> list[Result]:
    """Warn about each number of the source that the translation does not contain (in any usual spelling)."""
    missing = unmatched_numbers(PYTHON_FORMAT.sub(" ", source), PYTHON_FORMAT.sub(" ", translation))
    if not missing:
        return []
    return [_result("numbers", WARNING, Message(N_("number(s) of the source missing from the translation: %(numbers)s"),
                                                numbers=", ".join(missing)))]


# --- same as source, whitespace, punctuation, typography ------------------------------------


def check_same_as_source(source: str, translation: str) -> list[Result]:
    """Warn when the translation is the source text unchanged (and has words to translate)."""
    if translation.strip() == source.strip() and WORD.search(prose(source)):
        return [_result("same-as-source", WARNING, Message(N_("the translation is identical to the source")))]
    return []


def check_whitespace(source: str, translation: str) -> list[Result]:
    """Warn when leading or trailing whitespace differs from the source."""
    results = []
    for template, pick in (
        (N_("leading whitespace differs: source %(source)s, translation %(translation)s"),
         lambda s: s[: len(s) - len(s.lstrip())]),
        (N_("trailing whitespace differs: source %(source)s, translation %(translation)s"),
         lambda s: s[len(s.rstrip()):]),
    ):
        if pick(source) != pick(translation):
            results.append(_result("whitespace", WARNING, Message(
                template, source=repr(pick(source)), translation=repr(pick(translation)))))
    return results


_CLOSING = "\"'»«“”‘’)]*_ \u00a0"
_FINAL_PUNCTUATION = {".": ".", "…": "…", "!": "!", "?": "?", ":": ":", ";": ";", ",": ","}


def _final_punctuation(text: str) -> str:
    text = text.rstrip(_CLOSING)
    if text.endswith("...") or text.endswith("…"):
        return "…"
    return _FINAL_PUNCTUATION.get(text[-1:], "")


def check_punctuation(source: str, translation: str) -> list[Result]:
    """Warn when the final punctuation differs from the source's (closing quotes and brackets aside)."""
    expected, found = _final_punctuation(source), _final_punctuation(translation)
    if expected == found:
        return []
    describe = lambda mark: repr(mark) if mark else Message(_NONE)  # noqa: E731
    return [_result("punctuation", WARNING, Message(
        N_("final punctuation differs: source %(source)s, translation %(translation)s"),
        source=describe(expected), translation=describe(found)))]


#: Anything tag-like; a tag stops at the next ``<`` so that ``<<<…`` is read in linear time.
_ANY_TAG = re.compile(r"<[^<>]*>")
_STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['`ʹ′](?=[^\W\d_])")
_FOREIGN_QUOTES = re.compile(r"[\"“”„‟]")


def check_typography(translation: str, language: str) -> list[Result]:
    """Warn about a Ukrainian translation's apostrophes that are not ’ and quotes that are not «»."""
    if language.split("_")[0] != "uk":
        return []
    prose = _ANY_TAG.sub(" ", strip_urls(translation))
    results = []
    apostrophes = sorted(set(_STRAIGHT_APOSTROPHE.findall(prose)))
    if apostrophes:
        results.append(_result("typography", WARNING, Message(
            N_("use the apostrophe ’ instead of %(apostrophes)s (п’ять, з’єднає)"), apostrophes=" ".join(apostrophes))))
    quotes = sorted(set(_FOREIGN_QUOTES.findall(prose)))
    if quotes:
        results.append(_result("typography", WARNING, Message(
            N_("use «» quotation marks instead of %(quotes)s"), quotes=" ".join(quotes))))
    return results


# --- running them all -----------------------------------------------------------------------


def _single_number_forms(expression: str, nplurals: int) -> set[int]:
    """The plural forms used for exactly one number (English "one" = 1): they may omit the count."""
    examples = plural_examples(expression, nplurals)
    return {index for index, numbers_ in examples.items() if len(numbers_) == 1}


#: Placeholders a form used for one number only (Ukrainian "one": 1, 21, 31…) may leave out.
_OPTIONAL_IN_SINGLE_FORMS = frozenset({"%(num)d", "%d", "{num}", "{0}"})


def _compared_pairs(msgid: str, translation: str | Sequence[str], msgid_plural: str | None,
                    plural_forms: tuple[int, str]) -> list[tuple[str, str, bool]]:
    """Pair each filled translation form with the source it renders: ``(source, text, single number)``."""
    if not msgid_plural:
        return [(msgid, translation, False)] if isinstance(translation, str) and translation else []
    forms = [translation] if isinstance(translation, str) else list(translation)
    nplurals, expression = plural_forms
    single = _single_number_forms(expression, nplurals) if len(forms) == nplurals else set()
    return [(msgid if index in single else msgid_plural, form, index in single)
            for index, form in enumerate(forms) if form]


def check_formats(entry: polib.POEntry, plural_forms: tuple[int, str]) -> list[Result]:
    """Run only the placeholder check on a catalog entry: what ``msgfmt -c`` refuses to compile."""
    results: list[Result] = []
    pairs = _compared_pairs(entry.msgid, entry_translation(entry), entry.msgid_plural or None, plural_forms)
    for source, text, single in pairs:
        results += check_placeholders(source, text, entry.flags, _OPTIONAL_IN_SINGLE_FORMS if single else ())
    return results


def run_checks(
    msgid: str,
    translation: str | Sequence[str],
    *,
    language: str,
    msgid_plural: str | None = None,
    plural_forms: tuple[int, str] = (2, "(n != 1)"),
    flags: Iterable[str] = (),
) -> list[Result]:
    """Check a translation (a string, or the list of plural forms) against its source; return the results."""
    flags = list(flags)
    too_long = [form for form in ([translation] if isinstance(translation, str) else translation)
                if len(form) > MAX_LENGTH]
    if too_long:
        return [_result("length", ERROR, Message(
            N_("the translation is %(length)d characters long: at most %(limit)d are allowed"),
            length=len(too_long[0]), limit=MAX_LENGTH))]
    results: list[Result] = []
    if msgid_plural:
        forms = [translation] if isinstance(translation, str) else list(translation)
        results += check_plural_forms(forms, plural_forms[0])
    elif not isinstance(translation, str):
        return [_result("plurals", ERROR, Message(
            N_("this message has no plural: give one translation, not plural forms")))]
    seen: set[tuple[str, str, str]] = set()
    for source, text, single in _compared_pairs(msgid, translation, msgid_plural, plural_forms):
        form_results = (
            check_placeholders(source, text, flags, _OPTIONAL_IN_SINGLE_FORMS if single else ())
            + check_markup(source, text)
            + check_language(text, language)
            + ([] if single else check_numbers(source, text))
            + check_same_as_source(source, text)
            + check_whitespace(source, text)
            + check_punctuation(source, text)
            + check_typography(text, language)
        )
        for result in form_results:
            key = (result["check"], result["level"], result["message"])
            if key not in seen:
                seen.add(key)
                results.append(result)
    order = {name: index for index, name in enumerate(CHECKS)}
    return sorted(results, key=lambda result: (result["level"] != ERROR, order.get(result["check"], 99)))


def entry_translation(entry: polib.POEntry) -> str | list[str]:
    """Return what the checks compare: the msgstr, or the list of plural forms in order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural, key=int)]
    return entry.msgstr


def check_entry(entry: polib.POEntry, language: str, plural_forms: tuple[int, str],
                translation: str | Sequence[str] | None = None) -> list[Result]:
    """Run every check on a catalog entry (or on ``translation`` proposed for it)."""
    return run_checks(
        entry.msgid,
        entry_translation(entry) if translation is None else translation,
        language=language,
        msgid_plural=entry.msgid_plural or None,
        plural_forms=plural_forms,
        flags=entry.flags,
    )


def catalog_plural_forms(catalog: polib.POFile) -> tuple[int, str]:
    """Return the catalog's ``(nplurals, expression)``, the gettext default when it has no header."""
    from .po_format import parse_plural_forms

    return parse_plural_forms(catalog.metadata.get("Plural-Forms"))


def check_catalog(catalog: polib.POFile, language: str, include_fuzzy: bool = False) -> list[tuple[polib.POEntry, list[Result]]]:
    """Check every translated message of ``catalog``; return the entries that have results."""
    plural_forms = catalog_plural_forms(catalog)
    found = []
    for entry in catalog:
        if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
            continue
        if entry.fuzzy and not include_fuzzy:
            continue
        translation = entry_translation(entry)
        if not (translation if isinstance(translation, str) else any(translation)):
            continue
        results = check_entry(entry, language, plural_forms)
        if results:
            found.append((entry, results))
    return found
