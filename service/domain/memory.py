"""Translation memory matching: what earlier translations fit a new source text (pure, in memory).

Exact matches (the same source text) come first with score 100, then fuzzy matches scored by
rapidfuzz's normalized Indel similarity (``fuzz.ratio``, 0–100) at or above :data:`MIN_SCORE`.
Scoring every stored source for each request does not scale to a newsroom's archive, so a
prefilter picks candidates first: the stored sources that share the most *informative* word
keys (words and word pairs) with the query. A key found in more than ``max_postings`` sources
("the", "і", "рада" in a newsroom) tells nothing apart and is dropped from the index.
Short texts (UI strings, titles) share few keys, so they are also compared by length window.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from array import array
from typing import Iterable, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

#: The lowest similarity (percent) a fuzzy suggestion may have.
MIN_SCORE = 70
#: How many suggestions one entry gets.
LIMIT = 5
#: Candidates the prefilter hands to rapidfuzz at most.
CANDIDATES = 300
#: Postings the prefilter counts at most per query, rarest keys first.
BUDGET = 40_000
#: A text this short (characters) is also compared with every short stored text in its length window.
SHORT = 24
_WORD = re.compile(r"\w+")


class Unit(NamedTuple):
    """One remembered translation: a source text and its translation, from a catalog (``domain``).

    A tuple of strings, not a dataclass: the garbage collector stops tracking such tuples, and an
    index holds hundreds of thousands of them.
    """

    domain: str
    context: str  # the entry's msgctxt, "" without one
    source: str
    translation: str


@dataclass(frozen=True)
class MemoryUnit:
    """A remembered translation with its languages, as the store keeps it and TMX carries it."""

    language: str  # the translation's
    source_language: str
    domain: str  # the catalog it comes from (or what an imported file says)
    context: str
    source: str
    translation: str


@dataclass(frozen=True)
class Suggestion:
    """A remembered translation offered for a source: its score (100 = the same source)."""

    source: str
    translation: str
    score: int
    domain: str
    exact: bool

    def as_json(self) -> dict[str, object]:
        """Return the suggestion as the API shows it."""
        return {"source": self.source, "translation": self.translation, "score": self.score, "domain": self.domain}


def word_keys(text: str) -> set[str]:
    """Return the keys a text is found by: its lower-cased words and pairs of neighbouring words."""
    words = _WORD.findall(text.casefold())
    return set(words) | {f"{first} {second}" for first, second in zip(words, words[1:])}


def length_window(length: int, score: float = MIN_SCORE) -> tuple[int, int]:
    """Return the shortest and longest text that can reach ``score`` against one of ``length`` characters.

    The Indel ratio is at most ``2·min / (a + b)``, so a text outside the window cannot match.
    """
    share = score / 100
    return int(length * share / (2 - share)), int(length * (2 - share) / share) + 1


class MemoryIndex:
    """The remembered translations of one target language, with the keys that find them.

    Postings are arrays of unit ids (no objects for the garbage collector to walk); a removed
    unit's ids stay in them and are skipped, until :meth:`compact` drops them.
    """

    def __init__(self, max_postings: int = 2000) -> None:
        self.max_postings = max_postings
        self.units: dict[int, Unit] = {}
        self._exact: dict[str, tuple[int, ...]] = {}
        self._postings: dict[str, array[int]] = {}
        self._common: set[str] = set()  # keys in too many sources to tell any apart
        self._short: dict[int, int] = {}  # unit id → length of its source, for short sources
        self._removed = 0

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit_id: int, unit: Unit) -> None:
        """Remember ``unit`` under ``unit_id`` (replacing what that id held)."""
        old = self.units.get(unit_id)
        if old is not None:
            if old.source == unit.source:
                self.units[unit_id] = unit  # same keys: only the translation changed
                return
            self.remove(unit_id)
        self.units[unit_id] = unit
        self._exact[unit.source] = self._exact.get(unit.source, ()) + (unit_id,)
        if len(unit.source) <= SHORT * 2:
            self._short[unit_id] = len(unit.source)
        postings, common, most = self._postings, self._common, self.max_postings
        for key in word_keys(unit.source):
            if key in common:
                continue
            found = postings.get(key)
            if found is None:
                postings[key] = array("l", (unit_id,))
            elif len(found) >= most:
                del postings[key]
                common.add(key)
            else:
                found.append(unit_id)

    def remove(self, unit_id: int) -> None:
        """Forget the unit ``unit_id`` (its postings are skipped from now on)."""
        unit = self.units.pop(unit_id, None)
        if unit is None:
            return
        same = tuple(other for other in self._exact.get(unit.source, ()) if other != unit_id)
        if same:
            self._exact[unit.source] = same
        else:
            self._exact.pop(unit.source, None)
        self._short.pop(unit_id, None)
        self._removed += 1
        if self._removed > 1000 and self._removed > len(self.units) // 4:
            self.compact()

    def compact(self) -> None:
        """Drop removed units' ids from the postings."""
        units = self.units
        for key, found in list(self._postings.items()):
            alive = array("l", (unit_id for unit_id in found if unit_id in units))
            if alive:
                self._postings[key] = alive
            else:
                del self._postings[key]
        self._removed = 0

    def candidates(self, source: str, limit: int = CANDIDATES) -> list[int]:
        """Return the ids of the stored sources most worth scoring against ``source``.

        The sources sharing most of its informative keys, counting the rarest keys first (they
        tell most), at most :data:`BUDGET` postings; and for a short text, every short source
        in its length window.
        """
        found = [postings for key in word_keys(source) if (postings := self._postings.get(key)) is not None]
        found.sort(key=len)
        counts: Counter[int] = Counter()
        spent = 0
        for postings in found:
            if spent + len(postings) > BUDGET and spent:
                break
            counts.update(postings)
            spent += len(postings)
        units = self.units
        chosen = [unit_id for unit_id, _count in counts.most_common(limit + self._removed) if unit_id in units]
        chosen = chosen[:limit]
        if len(source) <= SHORT:
            shortest, longest = length_window(len(source))
            chosen += [unit_id for unit_id, length in self._short.items() if shortest <= length <= longest]
        return chosen

    def suggest(self, source: str, exclude: tuple[str, str] | None = None, limit: int = LIMIT,
                min_score: int = MIN_SCORE) -> list[Suggestion]:
        """Return up to ``limit`` suggestions for ``source``: exact first, then fuzzy, best first.

        ``exclude`` is the ``(domain, context)`` of the entry asking, which is not its own suggestion.
        The same source and translation found in several catalogs is offered once.
        """
        if not source.strip():
            return []
        found: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()

        def offer(unit: Unit, score: int, exact: bool) -> None:
            if (unit.domain, unit.context) == exclude and unit.source == source:
                return
            if (unit.source, unit.translation) in seen or not unit.translation:
                return
            seen.add((unit.source, unit.translation))
            found.append(Suggestion(unit.source, unit.translation, score, unit.domain, exact))

        exact_ids = self._exact.get(source, ())
        for unit_id in sorted(exact_ids, key=lambda unit_id: (self.units[unit_id].domain, unit_id)):
            offer(self.units[unit_id], 100, True)
        if len(found) >= limit:
            return found[:limit]
        choices = {unit_id: self.units[unit_id].source for unit_id in self.candidates(source)
                   if unit_id not in exact_ids}
        for _choice, score, unit_id in process.extract(
                source, choices, scorer=fuzz.ratio, processor=default_process, score_cutoff=min_score,
                limit=limit * 3):
            # a fuzzy match is never shown as 100: that is for the same source
            offer(self.units[unit_id], min(99, int(score)), False)
        fuzzy = sorted((item for item in found if not item.exact), key=lambda item: (-item.score, item.domain))
        return ([item for item in found if item.exact] + fuzzy)[:limit]


def brute_force(source: str, sources: dict[int, str], limit: int = LIMIT,
                min_score: int = MIN_SCORE) -> list[tuple[str, float, int]]:
    """Score ``source`` against every stored source (what the index avoids; for measuring it)."""
    return process.extract(source, sources, scorer=fuzz.ratio, processor=default_process,
                           score_cutoff=min_score, limit=limit)


def units_of(entries: Iterable[tuple[str | None, str, str]], domain: str) -> list[Unit]:
    """Return the units of ``(msgctxt, msgid, msgstr)`` triples of one catalog (empty msgstr left out)."""
    return [Unit(domain, msgctxt or "", msgid, msgstr) for msgctxt, msgid, msgstr in entries if msgid and msgstr]
