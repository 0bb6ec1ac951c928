"""Message counts exactly as GNU ``msgfmt --statistics`` reports them.

msgfmt skips the header and obsolete entries, counts a plural entry as one message, and
calls an entry untranslated when its first msgstr is empty — even if it is marked fuzzy.
(Babel counts fuzzy entries as translated; polib's figures differ for plural entries and
for fuzzy entries with an empty msgstr.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import polib


@dataclass(frozen=True)
class MessageCounts:
    """How many messages of a catalog are translated, fuzzy and untranslated."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        """All messages, header and obsolete entries excluded."""
        return self.translated + self.fuzzy + self.untranslated


def first_msgstr(entry: polib.POEntry) -> str:
    """Return the entry's msgstr, or ``msgstr[0]`` for a plural entry."""
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


def is_header(entry: polib.POEntry) -> bool:
    """Tell whether ``entry`` is the catalog header (empty msgid, no context)."""
    return entry.msgid == "" and entry.msgctxt is None


def messages(catalog: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    """Return the entries msgfmt counts: not the header, not obsolete."""
    return [entry for entry in catalog if not entry.obsolete and not is_header(entry)]


def message_state(entry: polib.POEntry) -> str:
    """Classify one message as msgfmt does: ``translated``, ``fuzzy`` or ``untranslated``."""
    if not first_msgstr(entry):
        return "untranslated"
    if entry.fuzzy:
        return "fuzzy"
    return "translated"


def count_messages(catalog: Iterable[polib.POEntry]) -> MessageCounts:
    """Count a catalog's messages the way ``msgfmt --statistics`` does."""
    tally = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for entry in messages(catalog):
        tally[message_state(entry)] += 1
    return MessageCounts(**tally)


def is_fully_translated(entry: polib.POEntry) -> bool:
    """Tell whether every form of ``entry`` is filled in and it is not fuzzy (stricter than msgfmt)."""
    if entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)
