"""Glossary matching: which terms a source contains, and whether a translation keeps to them (pure).

A term is found case-insensitively and in its common inflected forms, word by word:

- Cyrillic words (Ukrainian) lose one common noun or adjective ending (``-ами``, ``-ові``, ``-ого``,
  ``-ою``, ``-а``, ``-і``, …) as long as at least :data:`MIN_STEM` letters stay, and the vowel of a
  closed last syllable counts as any of і/о/е/ї/є (``Київ`` ~ ``Києва``, ``Львів`` ~ ``Львова``);
- Latin words (English) lose a possessive (``'s``) or a plural ``-s``/``-es``/``-ies``.

Two words match when any of their stems agree; a term of several words matches the same number of
neighbouring words. Loose on purpose — a hint shown once too often costs less than a term missed —
and only ever a warning.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from .text_search import search_key

#: Letters a Ukrainian stem keeps at least, whatever ending is taken off.
MIN_STEM = 3
#: Common Ukrainian noun and adjective endings, longest first.
UKRAINIAN_ENDINGS = tuple(sorted(
    "а я у ю і ї е є о и й ою ею єю ям ам ах ях ами ями ові еві єві ого ього ому ьому ий ій ої ий им ім их ими "
    "ів їв ей ь ові".split(), key=len, reverse=True))
_CYRILLIC = re.compile(r"[а-яєіїґ]")
_WORD = re.compile(r"[\w’'ʼ-]+")
_CLOSED_VOWEL = re.compile(r"[іоеїє]([бвгґджзйклмнпрстфхцчшщ]+)$")


@dataclass(frozen=True)
class Term:
    """A glossary term: the source term, its required translation, a note, the variants not to use."""

    id: int
    term: str
    translation: str
    note: str = ""
    forbidden: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """Return the term as the API shows it."""
        return {"id": self.id, "term": self.term, "translation": self.translation, "note": self.note,
                "forbidden": list(self.forbidden)}


@lru_cache(maxsize=65536)
def word_stems(word: str) -> frozenset[str]:
    """Return the stems a word may share with its other forms (lower-cased, see the module's rules)."""
    word = search_key(word).strip("'-")
    stems = {word}
    if _CYRILLIC.search(word):
        word = word.replace("'", "")
        stems = {word}
        for ending in UKRAINIAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                stems.add(word[: -len(ending)])
        stems |= {_CLOSED_VOWEL.sub(r"*\1", stem) for stem in stems}
    else:
        if word.endswith("'s") or word.endswith("s'"):
            word = word[:-2] if word.endswith("'s") else word[:-1]
            stems.add(word)
        if word.endswith("ies") and len(word) > 4:
            stems.add(word[:-3] + "y")
        elif word.endswith("es") and len(word) > 3:
            stems |= {word[:-2], word[:-1]}
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            stems.add(word[:-1])
    return frozenset(stems)


def words(text: str) -> list[str]:
    """Return the words of a text, as terms are matched against them."""
    return [word for word in (raw.strip("-'’ʼ") for raw in _WORD.findall(text)) if word]


def _stemmed(text: str) -> list[frozenset[str]]:
    return [word_stems(word) for word in words(text)]


def occurs(phrase: str, text: str) -> bool:
    """Tell whether ``phrase`` occurs in ``text`` in any of its forms (case- and inflection-tolerant)."""
    return _find(_stemmed(phrase), _stemmed(text))


def _find(wanted: Sequence[frozenset[str]], found: Sequence[frozenset[str]]) -> bool:
    if not wanted:
        return False
    size = len(wanted)
    return any(all(wanted[offset] & found[start + offset] for offset in range(size))
               for start in range(len(found) - size + 1))


@dataclass(frozen=True)
class Glossary:
    """The terms of one target language, stemmed once for matching."""

    terms: tuple[Term, ...]
    _stems: tuple[tuple[frozenset[str], ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_stems", tuple(tuple(_stemmed(term.term)) for term in self.terms))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fingerprint(self) -> str:
        """Return a digest of the terms: the same exactly while the glossary would check the same way."""
        return hashlib.sha256(repr(self.terms).encode("utf-8")).hexdigest()[:16]

    def terms_in(self, source: str) -> list[Term]:
        """Return the terms that occur in ``source``, in glossary order."""
        found = _stemmed(source)
        return [term for term, stems in zip(self.terms, self._stems) if _find(stems, found)]

    def problems(self, source: str, translation: str) -> list[tuple[str, Term, str]]:
        """Return what a translation gets wrong: ``("missing", term, translation)`` or ``("forbidden", term, variant)``.

        A term found in the source needs its translation in the translation; a forbidden variant
        of any term is wrong wherever it appears.
        """
        if not translation.strip():
            return []
        stemmed = _stemmed(translation)
        found: list[tuple[str, Term, str]] = []
        for term in self.terms_in(source):
            if term.translation and not _find(_stemmed(term.translation), stemmed):
                found.append(("missing", term, term.translation))
        for term in self.terms:
            for variant in term.forbidden:
                if _find(_stemmed(variant), stemmed):
                    found.append(("forbidden", term, variant))
        return found


def glossary_of(terms: Iterable[Term]) -> Glossary:
    """Return a glossary over ``terms``."""
    return Glossary(tuple(terms))


class GlossaryError(ValueError):
    """A term that cannot be stored: empty, too long, or the same term twice."""


class TermExists(GlossaryError):
    """A term the glossary of that language already has."""


#: The longest term, translation or forbidden variant, and the longest note.
MAX_TERM = 200
MAX_NOTE = 1000
MAX_FORBIDDEN = 20


def clean_term(term: object, translation: object, note: object = "", forbidden: object = ()) -> tuple[str, str, str, tuple[str, ...]]:
    """Validate a term's fields; return them trimmed, or raise :class:`GlossaryError` saying what is wrong."""
    if not isinstance(term, str) or not term.strip():
        raise GlossaryError("term must be a non-empty string")
    if not isinstance(translation, str) or not translation.strip():
        raise GlossaryError("translation must be a non-empty string")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise GlossaryError("note must be a string")
    if isinstance(forbidden, str):
        forbidden = [part for part in re.split(r"[;\n]", forbidden)]
    if not isinstance(forbidden, (list, tuple)) or not all(isinstance(item, str) for item in forbidden):
        raise GlossaryError("forbidden must be a list of strings")
    variants = tuple(dict.fromkeys(item.strip() for item in forbidden if item.strip()))
    for name, value, limit in (("term", term, MAX_TERM), ("translation", translation, MAX_TERM),
                               ("note", note, MAX_NOTE)):
        if len(value) > limit:
            raise GlossaryError(f"{name} is longer than {limit} characters")
        if any(ord(character) < 32 and character not in "\n\t" for character in value):
            raise GlossaryError(f"{name} contains a control character")
    if len(variants) > MAX_FORBIDDEN or any(len(item) > MAX_TERM for item in variants):
        raise GlossaryError(f"at most {MAX_FORBIDDEN} forbidden variants of at most {MAX_TERM} characters")
    if not words(term):
        raise GlossaryError("term must contain a word")
    return term.strip(), translation.strip(), note.strip(), variants


def glossary_source_language(language: str, languages: Sequence[str], ui_source: str = "en") -> str:
    """Return the language a glossary's terms are written in: the UI's source, or for it the first other language."""
    if language != ui_source:
        return ui_source
    return next((other for other in languages if other != language), ui_source)
