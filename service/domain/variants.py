"""An article in one language: its source text, or its catalog's translations, per variant state.

Pure functions over an :class:`~service.domain.articles.Article` and the translations read from
its catalog. The source language variant is the source file itself. A ``stale`` variant
shows the previous translation of each changed segment (the fuzzy entry's ``msgstr``) and
never the source text in its place; only a segment that was never translated appears in
the source language, marked as such. An ``incomplete`` variant is not published: its page
shows the whole source text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from typing import Mapping

import polib

from .articles import Article, Segment, count_words
from .variant_state import COMPLETE, COMPLETED_HEADER, INCOMPLETE, PUBLISHED_STATES, STALE_SINCE_HEADER, parse_timestamp
from .variant_state import variant_state as catalog_state
from .counting import messages

#: Reading speed used for "N minutes read".
WORDS_PER_MINUTE = 200
SegmentKey = tuple[str, str]  # (msgctxt, msgid)


@dataclass(frozen=True)
class ArticleVariant:
    """What an article catalog holds for readers: translations (fuzzy ones included) and state."""

    state: str
    translations: Mapping[SegmentKey, str]
    fuzzy: frozenset[SegmentKey]
    completed: datetime | None = None
    stale_since: datetime | None = None

    @property
    def published(self) -> bool:
        """Tell whether readers may see this variant (``complete`` or ``stale``)."""
        return self.state in PUBLISHED_STATES


def read_variant(catalog: polib.POFile) -> ArticleVariant:
    """Collect the translations of an article catalog, keyed by ``(msgctxt, msgid)``."""
    translations: dict[SegmentKey, str] = {}
    fuzzy: set[SegmentKey] = set()
    for entry in messages(catalog):
        key = (entry.msgctxt or "", entry.msgid)
        if entry.msgstr:
            translations[key] = entry.msgstr
            if "fuzzy" in entry.flags:
                fuzzy.add(key)
    return ArticleVariant(
        state=catalog_state(catalog),
        translations=translations,
        fuzzy=frozenset(fuzzy),
        completed=parse_timestamp(catalog.metadata.get(COMPLETED_HEADER)),
        stale_since=parse_timestamp(catalog.metadata.get(STALE_SINCE_HEADER)),
    )


@dataclass(frozen=True)
class Text:
    """A piece of text as shown, with the language it is written in."""

    text: str
    language: str
    outdated: bool = False  # the previous translation of a segment whose source changed since
    untranslated: bool = False  # added to the original since the translation was complete: source text


@dataclass(frozen=True)
class LocalizedBlock:
    """A heading, paragraph or list, in the page's language where possible."""

    kind: str
    texts: tuple[Text, ...]


@dataclass(frozen=True)
class LocalizedArticle:
    """An article as a reader of ``language`` gets it."""

    article: Article
    language: str
    state: str
    text_language: str  # the language the text is in: ``language``, or the source when unpublished
    title: Text
    summary: Text | None
    points: tuple[Text, ...]
    body: tuple[LocalizedBlock, ...]
    stale_since: datetime | None = None
    image_alt: Text | None = None  # the lead image's description, if there is an image
    image_caption: Text | None = None

    @property
    def published(self) -> bool:
        """Tell whether this variant is published in ``language``."""
        return self.state in PUBLISHED_STATES

    @property
    def is_source(self) -> bool:
        """Tell whether this is the article's source language."""
        return self.language == self.article.source_language

    def texts(self) -> list[Text]:
        """Every piece of text in reading order."""
        head = [self.title] + ([self.summary] if self.summary else []) + list(self.points)
        return head + [text for block in self.body for text in block.texts]

    def word_count(self) -> int:
        """Count the words a reader of this page reads."""
        return sum(_words(text.text) for text in self.texts())

    def reading_minutes(self) -> int:
        """Return the reading time in whole minutes (at least one)."""
        return reading_minutes(self.word_count())


@lru_cache(maxsize=4096)
def _words(text: str) -> int:
    # Parsing the markup is the costliest part of a front page; a segment's count never changes.
    # Keyed by whole paragraphs (~1 KB each): 4,096 cover many front pages, and a worker that
    # reads thousands of articles does not keep every paragraph it ever counted.
    return count_words([text])


def reading_minutes(words: int) -> int:
    """Return how many minutes ``words`` take to read, rounded, at least one."""
    return max(1, math.floor(words / WORDS_PER_MINUTE + 0.5))


def variant_state(article: Article, language: str, variant: ArticleVariant | None) -> str:
    """Return the state of ``article`` in ``language``: the source is always complete."""
    if language == article.source_language:
        return COMPLETE
    return variant.state if variant is not None else INCOMPLETE


def localize(article: Article, language: str, variant: ArticleVariant | None) -> LocalizedArticle:
    """Return ``article`` as shown in ``language``, given that language's catalog (``None``: none)."""
    source = article.source_language
    state = variant_state(article, language, variant)
    translated = language != source and state in PUBLISHED_STATES and variant is not None

    def text(segment: Segment) -> Text:
        if not translated:
            return Text(segment.text, source)
        key = (segment.role, segment.text)
        translation = variant.translations.get(key)  # type: ignore[union-attr]
        if translation is None:  # new since the translation was complete: left in the source, marked
            return Text(segment.text, source, untranslated=True)
        return Text(translation, language, outdated=key in variant.fuzzy)  # type: ignore[union-attr]

    return LocalizedArticle(
        article=article,
        language=language,
        state=state,
        text_language=language if translated or language == source else source,
        title=text(article.title),
        summary=text(article.summary) if article.summary else None,
        points=tuple(text(point) for point in article.points),
        body=tuple(LocalizedBlock(block.kind, tuple(text(segment) for segment in block.segments))
                   for block in article.body),
        stale_since=variant.stale_since if variant is not None and state != COMPLETE else None,
        image_alt=text(article.image.alt) if article.image else None,
        image_caption=text(article.image.caption) if article.image and article.image.caption else None,
    )
