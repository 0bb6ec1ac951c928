"""What the world may find of an article: its published variants and when each last changed.

Sitemaps, feeds and social cards all answer the same two questions, so they are answered
once here, from plain data: the front matter's ``published`` date and, per translation,
the state and header fields its catalog's figures already carry (no article is parsed).

When a variant last changed is read from dates that travel with the files, not from file
times, which a deploy or a ``git checkout`` resets for every file at once:

- a translation: the latest of its last save (``PO-Revision-Date``), the moment it became
  complete (``X-Completed``) and the moment its source moved on (``X-Stale-Since``: a stale
  variant's page changes then, so its ``lastmod`` and feed ``updated`` move with it); the
  file time only when none of those is readable;
- the original: its ``published`` date, or later the moment a translation fell out of step
  with it (the source text changed then).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .variant_state import (
    COMPLETED_HEADER, ORIGINAL_UPDATED_HEADER, PUBLISHED_STATES, STALE_SINCE_HEADER, parse_timestamp,
)

#: How a PO header writes ``PO-Revision-Date`` (``2026-11-03 17:20+0200``).
REVISION_DATE_FORMAT = "%Y-%m-%d %H:%M%z"


@dataclass(frozen=True)
class VariantFacts:
    """What the figures of one article catalog say: its state, its kept header fields, its file time."""

    state: str | None  # None: the catalog cannot be read
    headers: Mapping[str, str] = field(default_factory=dict)
    modified: datetime | None = None


@dataclass(frozen=True)
class PublishedArticle:
    """An article with every published variant: language → when that variant last changed."""

    slug: str
    source_language: str
    category: str | None
    published: datetime
    variants: Mapping[str, datetime]  # in the configured order of languages; the source always

    @property
    def modified(self) -> datetime:
        """Return when any variant last changed."""
        return max(self.variants.values())


def bcp47(language: str) -> str:
    """Return the BCP 47 tag of a language code for ``hreflang``/``xml:lang`` (``pt_BR`` → ``pt-BR``)."""
    return language.replace("_", "-")


@lru_cache(maxsize=64)
def og_locale(language: str) -> str:
    """Return the ``language_TERRITORY`` form Open Graph expects (``uk`` → ``uk_UA``, ``en`` → ``en_US``).

    A code without a territory takes CLDR's likely one; a code Babel does not know stays as it is.
    """
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return language
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language)
    territory = Locale.parse(likely).territory if likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


def parse_revision_date(value: str | None) -> datetime | None:
    """Read a ``PO-Revision-Date`` header; ``None`` for the template's placeholder or anything unreadable."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), REVISION_DATE_FORMAT)
    except ValueError:
        return None


def translation_modified(published: datetime, facts: VariantFacts) -> datetime:
    """Return when a translation last changed: last save, completion or falling out of step, whichever is last."""
    moments = [moment for moment in (
        parse_revision_date(facts.headers.get("PO-Revision-Date")),
        parse_timestamp(facts.headers.get(COMPLETED_HEADER)),
        parse_timestamp(facts.headers.get(STALE_SINCE_HEADER)),
    ) if moment is not None]
    if not moments and facts.modified is not None:
        moments.append(facts.modified)
    return max([published, *moments])


def source_modified(published: datetime, translations: Iterable[VariantFacts]) -> datetime:
    """Return when the original last changed: published, or when a translation fell out of step with it (since or once)."""
    moments = [parse_timestamp(facts.headers.get(name)) for facts in translations
               for name in (STALE_SINCE_HEADER, ORIGINAL_UPDATED_HEADER)]
    return max([published, *(moment for moment in moments if moment is not None)])


def published_variants(
    source_language: str, published: datetime, facts: Mapping[str, VariantFacts], languages: Iterable[str],
) -> dict[str, datetime]:
    """Return every published variant (the source always) with when it last changed, in ``languages``' order."""
    variants: dict[str, datetime] = {}
    for language in languages:
        if language == source_language:
            variants[language] = source_modified(published, facts.values())
        elif language in facts and facts[language].state in PUBLISHED_STATES:
            variants[language] = translation_modified(published, facts[language])
    return variants


# Characters XML 1.0 does not allow at all, even escaped: untrusted text (a translation,
# a title) with one of them would make a whole sitemap or feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """Escape ``value`` for XML character data, dropping characters XML cannot carry."""
    return escape(_NOT_XML.sub("", value))


def xml_attribute(value: str) -> str:
    """Return ``value`` as a quoted XML attribute value, dropping characters XML cannot carry."""
    return quoteattr(_NOT_XML.sub("", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
