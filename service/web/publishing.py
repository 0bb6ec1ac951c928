"""What the reader site tells search engines, aggregators and social networks.

``/robots.txt``, ``/sitemap.xml`` (an index of ``/sitemap-<n>.xml`` parts once the archive
outgrows one file), ``/<lang>/feed.xml`` (Atom), and the social cards and structured data
of an article page (:func:`article_cards`, a template global). The XML is written by the
pure builders of ``service.domain``; this module gathers their input from the stores'
cached figures and serves it like every reader page: public, short-lived, with an ETag.
"""
from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.wrappers import Response  # Flask's is a subclass; redirect() answers this one
from markupsafe import Markup, escape

from ..domain import sitemaps
from ..domain.cards import CardFacts, CardImage, describe, meta_tags, news_article, script_json, site_meta_tags
from ..domain.categories import CATEGORIES
from ..domain.dates import format_moment
from ..domain.feeds import FEED_SIZE, Feed, FeedEntry, render_atom
from ..domain.interface_text import N_
from ..domain.markup import strip_markup
from ..domain.publishing import PublishedArticle, bcp47
from ..domain.variant_state import STALE
from ..domain.variants import LocalizedArticle, Text, localize
from ..storage.sources import ArticleNotFound
from .extension import app_object, services
from .i18n import gettext, ui_translations

bp = Blueprint("publishing", __name__)

XML = "application/xml"
ATOM = "application/atom+xml"
#: Paths no crawler needs: the translators' and editors' workspace, the API, logging in, the language switch.
DISALLOWED = ("/translate/", "/editor/", "/admin/", "/account/", "/api/", "/login", "/set-language/")
# Messages the reader's templates already say (and ``messages.pot`` takes from there): the feed
# and the cards say the same words, looked up by these names so the catalogs do not move.
SITE_NAME = "Newsroom"
PUBLISHED_LABEL = "Published"
UPDATED_ON_NOTICE = "The original of this article was updated on %(date)s; the translation is being revised."
UPDATED_NOTICE = "The original of this article has been updated; the translation is being revised."
#: How a place without markup (a page's title, a social card, a feed entry) shows a previous
#: translation, whose original has changed since: said, so an old figure never passes as current.
PREVIOUS_TRANSLATION = N_("%(text)s (previous translation: the original has changed)")


class _State:
    """Per app: the last sitemap and feeds built from the published index."""

    def __init__(self) -> None:
        self.index = services().published
        self.lock = threading.Lock()
        self.sitemap: tuple[Any, list[sitemaps.SitemapUrl], list[range]] | None = None
        # Per language, the last feed: the article list and host it was built for, and its text
        # (one per language, whatever Host headers arrive).
        self.feeds: dict[str, tuple[Any, str, str]] = {}


def _state() -> _State:
    return app_object(_State)


def _cacheable(response: Response) -> Response:
    """Let shared caches keep the answer a short while, revalidated by its ``ETag``."""
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["READER_MAX_AGE"]
    response.add_etag()
    return response.make_conditional(request)


def _article_url(language: str, slug: str) -> str:
    return url_for("reader.article", lang=language, slug=slug, _external=True)


def _negotiating_url(slug: str) -> str:
    return url_for("reader.negotiate_article", slug=slug, _external=True)


def _category_url(language: str, category: str) -> str:
    return url_for("reader.category", lang=language, key=category, _external=True)


def _negotiating_category_url(category: str) -> str:
    return url_for("reader.negotiate_category", key=category, _external=True)


def _sitemap() -> tuple[list[sitemaps.SitemapUrl], list[range]]:
    """Every URL of the sitemap and how it splits into parts, rebuilt only when a file changed."""
    state = _state()
    articles = state.index.articles()
    key = (articles, request.host_url, sitemaps.MAX_URLS, sitemaps.MAX_BYTES)
    with state.lock:
        last = state.sitemap
        if last is not None and last[0][0] is articles and last[0][1:] == key[1:]:
            return last[1], last[2]
    languages = current_app.config["LANGUAGES"]
    urls = sitemaps.front_urls(languages, articles, lambda language: url_for("reader.front", lang=language,
                                                                             _external=True),
                               url_for("reader.root", _external=True))
    urls += sitemaps.category_urls(languages, CATEGORIES, articles, _category_url, _negotiating_category_url)
    urls += sitemaps.article_urls(articles, _article_url, _negotiating_url)
    parts = sitemaps.partition(urls, sitemaps.MAX_URLS, sitemaps.MAX_BYTES)
    with state.lock:
        state.sitemap = (key, urls, parts)
    return urls, parts


def _xml(body: str, mimetype: str) -> Response:
    return _cacheable(Response(body, mimetype=mimetype))


@bp.get("/robots.txt")
def robots() -> Response:
    """Name the sitemap and keep crawlers out of the workspace, the API and logging in."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "",
             f"Sitemap: {url_for('publishing.sitemap', _external=True)}", ""]
    return _cacheable(Response("\n".join(lines), mimetype="text/plain"))


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """List every published variant; once that needs several files, the index of their parts."""
    urls, parts = _sitemap()
    if len(parts) == 1:
        return _xml(sitemaps.render_urlset(sitemaps.render_url(url) for url in urls), XML)
    index = [(url_for("publishing.sitemap_part", number=number, _external=True),
              sitemaps.newest(urls[part.start:part.stop]))
             for number, part in enumerate(parts, start=1)]
    return _xml(sitemaps.render_index(index), XML)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    """Serve part ``number`` (from 1) of the sitemap index."""
    urls, parts = _sitemap()
    if not 1 <= number <= len(parts):
        abort(404)
    part = parts[number - 1]
    return _xml(sitemaps.render_urlset(sitemaps.render_url(url) for url in urls[part.start:part.stop]), XML)


def plain_text(shown: Text, words: Any = None) -> str:
    """Return what ``shown`` says without markup, marked when it is a previous translation.

    ``words``: the translations to say it with (default: the request's language).
    """
    plain = strip_markup(shown.text)
    if not shown.outdated:
        return plain
    return str((words.gettext if words is not None else gettext)(PREVIOUS_TRANSLATION) % {"text": plain})


def _feed_entry(article: PublishedArticle, language: str) -> FeedEntry | None:
    """One article as a feed entry in ``language``: its title and summary there, a localized byline."""
    try:
        source = services().sources.article(article.slug)
    except ArticleNotFound:  # its front matter reads, the whole source does not: left out
        return None
    localized = localize(source, language, services().catalogs.variant(language, article.slug))
    if not localized.published:  # changed since the figures were read
        return None
    words = ui_translations(language)
    timezone_name = current_app.config["TIMEZONE"]
    byline = [f"<p>{escape(words.gettext(PUBLISHED_LABEL))}: "
              f"{escape(format_moment(source.published, language, timezone_name))}</p>"]
    if localized.state == STALE:
        if localized.stale_since is not None:
            since = format_moment(localized.stale_since, language, timezone_name)
            notice = words.gettext(UPDATED_ON_NOTICE) % {"date": since}
        else:
            notice = words.gettext(UPDATED_NOTICE)
        byline.append(f"<p>{escape(notice)}</p>")
    summary = plain_text(localized.summary, words) if localized.summary else ""
    if summary:
        byline.append(f"<p>{escape(summary)}</p>")
    url = _article_url(language, article.slug)
    category = source.category
    return FeedEntry(
        id=url, url=url, title=plain_text(localized.title, words), summary=summary,
        published=source.published, updated=article.variants[language],
        category=category, category_label=words.gettext(CATEGORIES[category]) if category in CATEGORIES else None,
        content_html="".join(byline),
    )


@bp.get("/<language:lang>/feed.xml")
def feed(lang: str) -> Response:
    """Serve the Atom feed of the newest variants published in ``lang``."""
    state = _state()
    articles = state.index.articles()
    with state.lock:
        cached = state.feeds.get(lang)
    if cached is None or cached[0] is not articles or cached[1] != request.host_url:
        entries = []
        for article in articles:  # newest first
            if lang in article.variants:
                entry = _feed_entry(article, lang)
                if entry is not None:
                    entries.append(entry)
                if len(entries) >= FEED_SIZE:
                    break
        body = render_atom(Feed(
            id=url_for("publishing.feed", lang=lang, _external=True),
            title=ui_translations(lang).gettext(SITE_NAME),
            language=bcp47(lang),
            self_url=url_for("publishing.feed", lang=lang, _external=True),
            page_url=url_for("reader.front", lang=lang, _external=True),
            entries=entries,
        ))
        cached = (articles, request.host_url, body)
        with state.lock:
            state.feeds[lang] = cached
    return _xml(cached[2], ATOM)


def _card_image(item: LocalizedArticle) -> CardImage | None:
    """Return the lead image of the card, if the article has a usable one."""
    image = item.article.image
    if image is None or image.size is None or item.image_alt is None:
        return None
    return CardImage(url=url_for("images.image", name=image.name, v=image.digest, _external=True),
                     width=image.size.width, height=image.size.height, alt=strip_markup(item.image_alt.text),
                     mimetype=image.size.mimetype)


def article_cards(item: LocalizedArticle) -> dict[str, Any]:
    """Return the ``<meta>`` tags and JSON-LD of an article page, for what it shows.

    A variant not published yet shows the original: its card is the original's (its URL,
    language and texts), as its canonical link says.
    """
    article = item.article
    published = _state().index.article(article.slug, article.source_language, article.category, article.published)
    shown = item.text_language if item.text_language in published.variants else article.source_language
    variants = {language: _article_url(language, article.slug) for language in published.variants}
    paragraphs = [block.texts[0] for block in item.body if block.kind == "paragraph"]
    card = CardFacts(
        title=plain_text(item.title),
        description=describe(plain_text(item.summary) if item.summary else None,
                             plain_text(paragraphs[0]) if paragraphs else None),
        language=shown,
        url=variants[shown],
        published=article.published,
        modified=published.variants[shown],
        section=gettext(CATEGORIES[article.category]) if article.category in CATEGORIES else None,
        site_name=gettext(SITE_NAME),
        variants=variants,
        source_language=article.source_language,
        image=_card_image(item),
    )
    return {"meta": meta_tags(card), "json_ld": Markup(script_json(news_article(card)))}


@pass_context
def site_cards(context: Context, title: str, description: str, site_name: str) -> list[tuple[str, str, str]]:
    """Return the ``<meta>`` tags of a page listing articles, for its ``language``, ``canonical`` URL and ``alternates``."""
    alternates = [link["hreflang"] for link in context.get("alternates") or [] if link["hreflang"] != "x-default"]
    return site_meta_tags(title, description, context["language"], context["canonical"], alternates, site_name)


def original_updated(item: LocalizedArticle) -> dict[str, str] | None:
    """Return when the original's text last changed after publication (``iso``, ``text``), ``None`` if never.

    Read from the translations' catalogs: a translation falls out of step (``X-Stale-Since``)
    exactly when the source text it was made from changes. The feed's ``updated`` and the
    JSON-LD ``dateModified`` of the original carry the same moment.
    """
    article = item.article
    published = _state().index.article(article.slug, article.source_language, article.category, article.published)
    modified = published.variants.get(article.source_language)
    if modified is None or modified <= article.published:
        return None
    return {"iso": modified.isoformat(),
            "text": format_moment(modified, item.language, current_app.config["TIMEZONE"])}


def init_app(app: Flask) -> None:
    """Add the routes and the cards' template globals."""
    app.add_template_global(article_cards)
    app.add_template_global(site_cards)
    app.add_template_global(plain_text)
    app.add_template_global(original_updated)
    app.register_blueprint(bp)
