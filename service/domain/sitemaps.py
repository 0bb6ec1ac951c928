"""Sitemaps (sitemaps.org 0.9) with hreflang alternates, split into an index of parts when large.

Plain data in, XML text out. Every published variant is one ``<url>`` naming all the
article's published variants as ``xhtml:link`` alternates, plus ``x-default``: the URL
that negotiates the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator, Sequence

from .publishing import PublishedArticle, bcp47, xml_attribute, xml_text

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
#: What the sitemaps protocol allows in one file: URLs, and bytes uncompressed.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET_OPEN = (f'{_XML_DECLARATION}<urlset xmlns="{SITEMAP_NAMESPACE}" '
                f'xmlns:xhtml="{XHTML_NAMESPACE}">\n')
_URLSET_CLOSE = "</urlset>\n"


@dataclass(frozen=True)
class SitemapUrl:
    """One page: where it is, when it last changed, and its versions in other languages."""

    loc: str
    lastmod: datetime | None
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, href)


def w3c_datetime(moment: datetime) -> str:
    """Write an aware ``moment`` in UTC as the W3C datetime sitemaps expect (``2026-11-25T01:40:00Z``)."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def article_urls(
    articles: Iterable[PublishedArticle],
    article_url: Callable[[str, str], str],
    negotiating_url: Callable[[str], str],
) -> Iterator[SitemapUrl]:
    """Yield a URL per published variant: ``article_url(language, slug)``, alternates, ``lastmod``."""
    for article in articles:
        alternates = tuple((bcp47(language), article_url(language, article.slug)) for language in article.variants)
        alternates += (("x-default", negotiating_url(article.slug)),)
        for language, modified in article.variants.items():
            yield SitemapUrl(article_url(language, article.slug), modified, alternates)


def front_urls(
    languages: Sequence[str], articles: Iterable[PublishedArticle],
    front_url: Callable[[str], str], negotiating_url: str,
) -> list[SitemapUrl]:
    """Return a URL per front page, last changed when the newest change of an article in its language."""
    newest: dict[str, datetime] = {}
    for article in articles:
        for language, modified in article.variants.items():
            if language not in newest or modified > newest[language]:
                newest[language] = modified
    alternates = tuple((bcp47(language), front_url(language)) for language in languages)
    alternates += (("x-default", negotiating_url),)
    return [SitemapUrl(front_url(language), newest.get(language), alternates) for language in languages]


def category_urls(
    languages: Sequence[str], categories: Iterable[str], articles: Iterable[PublishedArticle],
    category_url: Callable[[str, str], str], negotiating_url: Callable[[str], str],
) -> list[SitemapUrl]:
    """Return a URL per category page (``category_url(language, category)``) that lists an article.

    Each names the same category's page in every language it lists an article in, and
    ``x-default``; it last changed when the newest change of an article of that category in
    its language.
    """
    newest: dict[tuple[str, str], datetime] = {}
    for article in articles:
        if article.category is None:
            continue
        for language, modified in article.variants.items():
            key = (article.category, language)
            if key not in newest or modified > newest[key]:
                newest[key] = modified
    urls = []
    for category in categories:
        # A page that says "nothing yet" is no page for a search engine, nor anyone's translation.
        filled = [language for language in languages if (category, language) in newest]
        alternates = tuple((bcp47(language), category_url(language, category)) for language in filled)
        alternates += (("x-default", negotiating_url(category)),)
        urls += [SitemapUrl(category_url(language, category), newest[category, language], alternates)
                 for language in filled]
    return urls


def render_url(url: SitemapUrl) -> str:
    """Write one ``<url>`` element."""
    lines = [f"<url><loc>{xml_text(url.loc)}</loc>"]
    if url.lastmod is not None:
        lines.append(f"<lastmod>{w3c_datetime(url.lastmod)}</lastmod>")
    for hreflang, href in url.alternates:
        lines.append(f'<xhtml:link rel="alternate" hreflang={xml_attribute(hreflang)} href={xml_attribute(href)}/>')
    return "\n  ".join(lines) + "\n</url>\n"


def render_urlset(rendered: Iterable[str]) -> str:
    """Wrap ``<url>`` elements written by :func:`render_url` into a sitemap."""
    return _URLSET_OPEN + "".join(rendered) + _URLSET_CLOSE


def partition(urls: Sequence[SitemapUrl], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> list[range]:
    """Split ``urls`` into runs that each make a sitemap of at most ``max_urls`` URLs and ``max_bytes`` bytes.

    Always at least one run, empty for an empty archive (a valid, empty sitemap).
    """
    frame = len((_URLSET_OPEN + _URLSET_CLOSE).encode("utf-8"))
    parts: list[range] = []
    start, size = 0, frame
    for index, url in enumerate(urls):
        length = len(render_url(url).encode("utf-8"))
        if index > start and (index - start >= max_urls or size + length > max_bytes):
            parts.append(range(start, index))
            start, size = index, frame
        size += length
    parts.append(range(start, len(urls)))
    return parts


def newest(urls: Iterable[SitemapUrl]) -> datetime | None:
    """Return the latest ``lastmod`` of ``urls`` (``None`` if none has one)."""
    moments = [url.lastmod for url in urls if url.lastmod is not None]
    return max(moments) if moments else None


def render_index(parts: Iterable[tuple[str, datetime | None]]) -> str:
    """Write a sitemap index naming each part's URL and when it last changed."""
    lines = [_XML_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NAMESPACE}">\n']
    for loc, lastmod in parts:
        modified = f"<lastmod>{w3c_datetime(lastmod)}</lastmod>" if lastmod is not None else ""
        lines.append(f"<sitemap><loc>{xml_text(loc)}</loc>{modified}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return "".join(lines)
