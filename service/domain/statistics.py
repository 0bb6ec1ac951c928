"""The figures coverage needs from one catalog, read from a parsed catalog or straight from PO text.

:func:`statistics_of` is the reference: it works on a :class:`polib.POFile` with the
msgfmt-exact rules of :mod:`service.domain.counting`. :func:`scan_statistics` computes the same figures
from the text in one pass without building polib objects (about ten times faster), so a
dashboard over tens of thousands of catalogs starts quickly; it raises :class:`ScanError`
on anything it is not sure about, and the caller then falls back to the strict parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import polib

from .articles import count_words
from .numbers import numbers_differ
from .names import SOURCE_LANGUAGE_HEADER
from .po_format import parse_plural_forms
from .variant_state import COMPLETED_HEADER, ORIGINAL_UPDATED_HEADER, STALE_SINCE_HEADER
from .counting import is_fully_translated, message_state, messages

#: Header fields kept with the figures (state, dates, the article's source language).
KEPT_HEADERS = (COMPLETED_HEADER, STALE_SINCE_HEADER, ORIGINAL_UPDATED_HEADER, SOURCE_LANGUAGE_HEADER,
                "PO-Revision-Date", "POT-Creation-Date", "Language")


class ScanError(ValueError):
    """Text the fast scanner will not vouch for; parse it strictly instead."""


@dataclass(frozen=True)
class CatalogStatistics:
    """Counts of one catalog: msgfmt's three, the strict ``complete`` one, words and changed facts."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    complete: int = 0  # every plural form filled, not fuzzy
    words: int = 0  # source words (msgid and msgid_plural) of every message
    words_translated: int = 0  # source words of the messages msgfmt counts as translated
    facts_changed: int = 0  # fuzzy translations whose source changed a number
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def total(self) -> int:
        """All messages, header and obsolete entries excluded."""
        return self.translated + self.fuzzy + self.untranslated

    def header(self, name: str) -> str | None:
        """Return a kept header field, ``None`` when the catalog has none."""
        return dict(self.headers).get(name)

    @property
    def has_completed(self) -> bool:
        """Tell whether the catalog records that it was complete once (``X-Completed``)."""
        return any(name == COMPLETED_HEADER for name, _ in self.headers)


@lru_cache(maxsize=4096)
def _words(text: str) -> int:
    # Emphasis markers and escapes never split or join words; only a link can (its URL and
    # title are not words), so the markup parser is needed only for text with a link. Keyed
    # by whole paragraphs (~1 KB each): 4,096 of them, not the whole archive's, stay in a worker.
    return count_words([text]) if "](" in text else len(text.split())


def source_words(msgid: str, msgid_plural: str = "") -> int:
    """Count the words of a message's source text, markup left out."""
    return _words(msgid) + (_words(msgid_plural) if msgid_plural else 0)


def _kept_headers(metadata: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, metadata[name]) for name in KEPT_HEADERS if name in metadata)


def _facts_changed(state: str, previous: Iterable[str | None], current: Iterable[str]) -> bool:
    """Tell whether a fuzzy translation's source changed a number since it was translated."""
    if state != "fuzzy":
        return False
    before = [text for text in previous if text is not None]
    if not before:
        return False
    return numbers_differ(" ".join(before), " ".join(text for text in current if text))


def statistics_of(catalog: polib.POFile) -> CatalogStatistics:
    """Compute the figures of a parsed catalog (the reference implementation)."""
    tally = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    complete = words = words_translated = facts = 0
    for entry in messages(catalog):
        state = message_state(entry)
        tally[state] += 1
        entry_words = source_words(entry.msgid, entry.msgid_plural or "")
        words += entry_words
        if state == "translated":
            words_translated += entry_words
        complete += is_fully_translated(entry)
        previous = [entry.previous_msgid, entry.previous_msgid_plural] if entry.previous_msgid is not None else []
        facts += _facts_changed(state, previous, [entry.msgid, entry.msgid_plural or ""])
    return CatalogStatistics(
        **tally, complete=complete, words=words, words_translated=words_translated,
        facts_changed=facts, headers=_kept_headers(catalog.metadata),
    )


# --- the fast scanner ----------------------------------------------------------------------

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+"(.*)"[ \t]*$')
_PREVIOUS = re.compile(r'^(msgctxt|msgid_plural|msgid)[ \t]+"(.*)"[ \t]*$')
_CONTINUATION = re.compile(r'^"(.*)"[ \t]*$')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f",
              "v": "\v", "?": "?", "'": "'"}


def _unescape(literal: str) -> str:
    if "\\" not in literal:
        if '"' in literal:
            raise ScanError("unescaped quote inside a string")
        return literal
    if re.search(r'(?<!\\)(?:\\\\)*"', literal):
        raise ScanError("unescaped quote inside a string")

    def replace(match: re.Match[str]) -> str:
        try:
            return _UNESCAPES[match.group(1)]
        except KeyError:
            raise ScanError(f"escape \\{match.group(1)} left to the strict parser") from None

    return _ESCAPE.sub(replace, literal)


@lru_cache(maxsize=64)
def _nplurals(value: str | None) -> int:
    try:
        return parse_plural_forms(value)[0]
    except ValueError:
        raise ScanError("invalid Plural-Forms") from None


class _Entry:
    __slots__ = ("fields", "previous", "fuzzy", "current", "in_previous", "has_msgstr", "last")

    def __init__(self) -> None:
        self.has_msgstr = False
        self.last: str | None = None
        self.fields: dict[str, list[str]] = {}
        self.previous: dict[str, list[str]] = {}
        self.fuzzy = False
        self.current: list[str] | None = None
        self.in_previous = False


def _header_metadata(text: str) -> dict[str, str]:
    metadata = {}
    for line in text.split("\n"):
        name, separator, value = line.partition(":")
        if separator and name.strip():
            metadata[name.strip()] = value.strip()
    return metadata


def scan_statistics(text: str) -> CatalogStatistics:
    """Compute the figures of PO ``text`` in one pass; raise :class:`ScanError` when unsure."""
    tally = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    counters = {"complete": 0, "words": 0, "words_translated": 0, "facts": 0}
    metadata: dict[str, str] = {}
    seen: set[tuple[str | None, str]] = set()
    plural_sizes: list[int] = []

    def finish(entry: _Entry) -> None:
        fields = entry.fields
        if not fields:
            if entry.previous:
                raise ScanError("previous msgid without an entry")
            return
        if "msgid" not in fields or not entry.has_msgstr:
            raise ScanError("entry without msgid or msgstr")
        join = "".join
        msgctxt = join(fields["msgctxt"]) if "msgctxt" in fields else None
        msgid = join(fields["msgid"])
        if msgid == "" and msgctxt is None:
            if metadata or seen:
                raise ScanError("header not first")
            metadata.update(_header_metadata(join(fields.get("msgstr", []))))
            return
        key = (msgctxt, msgid)
        if key in seen:
            raise ScanError("duplicate entry")
        seen.add(key)
        plural = "msgid_plural" in fields
        if plural:
            forms = sorted(int(name[7:-1]) for name in fields if name.startswith("msgstr["))
            if "msgstr" in fields or forms != list(range(len(forms))):
                raise ScanError("plural entry with misnumbered msgstr")
            plural_sizes.append(len(forms))
            translations = [join(fields[f"msgstr[{index}]"]) for index in forms]
            msgid_plural = join(fields["msgid_plural"])
        else:
            if "msgstr" not in fields or len(fields) != 2 + ("msgctxt" in fields):
                raise ScanError("msgstr[n] without msgid_plural")
            translations = [join(fields["msgstr"])]
            msgid_plural = ""
        if translations[0] == "":
            state = "untranslated"
        elif entry.fuzzy:
            state = "fuzzy"
        else:
            state = "translated"
        tally[state] += 1
        words = source_words(msgid, msgid_plural)
        counters["words"] += words
        if state == "translated":
            counters["words_translated"] += words
        if not entry.fuzzy and all(translations):
            counters["complete"] += 1
        if "msgid" in entry.previous:
            previous = [join(entry.previous["msgid"])]
            if "msgid_plural" in entry.previous:
                previous.append(join(entry.previous["msgid_plural"]))
            counters["facts"] += _facts_changed(state, previous, [msgid, msgid_plural])

    entry = _Entry()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        if first == "#":
            if entry.fields:
                if not entry.has_msgstr:
                    raise ScanError("comment inside an entry")
                finish(entry)
                entry = _Entry()
            if line.startswith("#~"):
                entry = _Entry()  # obsolete: its flags and previous msgid are not the next entry's
                continue
            if line.startswith("#,"):
                flags = {flag.strip() for flag in line[2:].split(",")}
                entry.fuzzy = entry.fuzzy or "fuzzy" in flags
            elif line.startswith("#|"):
                payload = line[2:].strip()
                match = _PREVIOUS.match(payload)
                if match:
                    entry.current = entry.previous.setdefault(match.group(1), [])
                    entry.current.append(_unescape(match.group(2)))
                    entry.in_previous = True
                else:
                    continuation = _CONTINUATION.match(payload)
                    if continuation is None or not entry.in_previous or entry.current is None:
                        raise ScanError("unreadable previous-msgid line")
                    entry.current.append(_unescape(continuation.group(1)))
            continue
        if first == '"':
            match = _CONTINUATION.match(line)
            if match is None or entry.current is None or entry.in_previous:
                raise ScanError("string continuation without a keyword")
            entry.current.append(_unescape(match.group(1)))
            continue
        match = _LINE.match(line)
        if match is None:
            raise ScanError("not a PO keyword line")
        keyword, literal = match.group(1, 3)
        fields = entry.fields
        if entry.has_msgstr and (keyword == "msgid" or keyword == "msgctxt"):
            finish(entry)
            entry = _Entry()
            fields = entry.fields
        if keyword in fields:
            raise ScanError(f"{keyword} twice in one entry")
        if keyword[3] == "s":  # msgstr, msgstr[n]
            if "msgid" not in fields:
                raise ScanError("msgstr without msgid")
            entry.has_msgstr = True
        elif keyword == "msgctxt":
            if fields:
                raise ScanError("msgctxt after msgid")
        elif keyword == "msgid_plural" and entry.last != "msgid":
            raise ScanError("msgid_plural not after msgid")
        entry.current = fields[keyword] = [_unescape(literal)]
        entry.last = keyword
        entry.in_previous = False
    finish(entry)
    nplurals = _nplurals(metadata.get("Plural-Forms"))
    if any(size != nplurals for size in plural_sizes):
        raise ScanError("plural forms do not match Plural-Forms")
    return CatalogStatistics(
        **tally, complete=counters["complete"], words=counters["words"],
        words_translated=counters["words_translated"], facts_changed=counters["facts"],
        headers=_kept_headers(metadata),
    )
