"""Social cards (Open Graph, X) and structured data (schema.org ``NewsArticle``) of one article page,
and the cards of the pages that list articles (the front page, a category page).

Pure builders: the web floor passes what the page shows (its texts, in the language they
are written in) and the URLs of the article's published variants. A page that shows the
original because its own language is not published yet carries the original's card.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from .publishing import bcp47, og_locale

#: A description longer than this is cut at a word (search results and cards show about as much).
DESCRIPTION_LENGTH = 200
#: JSON in an HTML ``<script>`` element: none of these may appear raw, or text could close the element.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class CardImage:
    """The lead image a card shows: its absolute URL, pixel size and description."""

    url: str
    width: int
    height: int
    alt: str
    mimetype: str


@dataclass(frozen=True)
class CardFacts:
    """What a card says of one article variant."""

    title: str  # plain text, markup stripped
    description: str  # plain text
    language: str  # the language the card's texts are in
    url: str  # the variant's own URL (absolute)
    published: datetime
    modified: datetime
    section: str | None  # the category's display name
    site_name: str
    variants: Mapping[str, str]  # every published variant: language → absolute URL (this one included)
    source_language: str
    image: CardImage | None = None


def describe(summary: str | None, paragraph: str | None, limit: int = DESCRIPTION_LENGTH) -> str:
    """Return a one-paragraph description: the summary, else the first paragraph, cut at a word."""
    text = " ".join((summary or paragraph or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:—–-") + "…"


Tag = tuple[str, str, str]


def _card_tags(kind: str, title: str, description: str, language: str, url: str, alternates: list[str],
               site_name: str, details: list[Tag], twitter_card: str = "summary") -> list[Tag]:
    """Return the tags every card has, ``details`` (the kind's own) before the X card's."""
    return [
        ("name", "description", description),
        ("property", "og:type", kind),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:locale", og_locale(language)),
        *[("property", "og:locale:alternate", og_locale(other)) for other in alternates],
        *details,
        ("name", "twitter:card", twitter_card),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]


def meta_tags(card: CardFacts) -> list[Tag]:
    """Return ``(attribute, key, content)`` for each ``<meta>``: description, Open Graph, X."""
    details = [
        ("property", "article:published_time", card.published.isoformat()),
        ("property", "article:modified_time", card.modified.isoformat()),
    ]
    if card.section:
        details.append(("property", "article:section", card.section))
    if card.image:
        details += [
            ("property", "og:image", card.image.url),
            ("property", "og:image:type", card.image.mimetype),
            ("property", "og:image:width", str(card.image.width)),
            ("property", "og:image:height", str(card.image.height)),
            ("property", "og:image:alt", card.image.alt),
        ]
    alternates = [language for language in card.variants if language != card.language]
    return _card_tags("article", card.title, card.description, card.language, card.url, alternates, card.site_name,
                      details, "summary_large_image" if card.image else "summary")


def site_meta_tags(title: str, description: str, language: str, url: str, alternate_languages: list[str],
                   site_name: str) -> list[Tag]:
    """Return ``(attribute, key, content)`` for each ``<meta>`` of a page listing articles (``og:type`` website).

    ``alternate_languages``: the languages (BCP 47) the same page is published in besides ``language``.
    """
    own = language.replace("-", "_")
    alternates = [other.replace("-", "_") for other in alternate_languages if other.replace("-", "_") != own]
    return _card_tags("website", title, description, language, url, alternates, site_name, [])


def _work(language: str, url: str) -> dict[str, Any]:
    return {"@type": "NewsArticle", "url": url, "inLanguage": bcp47(language)}


def news_article(card: CardFacts) -> dict[str, Any]:
    """Return the schema.org ``NewsArticle`` of the variant, linked to the original or its translations."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.title,
        "description": card.description,
        "inLanguage": bcp47(card.language),
        "url": card.url,
        "mainEntityOfPage": card.url,
        "datePublished": card.published.isoformat(),
        "dateModified": card.modified.isoformat(),
        "publisher": {"@type": "Organization", "name": card.site_name},
    }
    if card.section:
        data["articleSection"] = card.section
    if card.image:
        data["image"] = {"@type": "ImageObject", "url": card.image.url, "width": card.image.width,
                         "height": card.image.height, "caption": card.image.alt}
    if card.language == card.source_language:
        translations = [_work(language, url) for language, url in card.variants.items() if language != card.language]
        if translations:
            data["workTranslation"] = translations
    elif card.source_language in card.variants:
        data["translationOfWork"] = _work(card.source_language, card.variants[card.source_language])
    return data


def script_json(data: Mapping[str, Any]) -> str:
    """Write ``data`` as JSON safe inside ``<script type="application/ld+json">``: no ``</script>`` can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text
