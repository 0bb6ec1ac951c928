"""The reader site: negotiated entry points, front pages, category pages and articles per language.

Only ``/``, ``/articles/<slug>`` and ``/categories/<key>/`` depend on who asks (cookie,
``Accept-Language``); they redirect and say so with ``Vary``. Every prefixed page is the
same for every reader, so shared caches may keep it; the language suggestion banner is
decided in the browser by ``static/banner.js`` from data the page carries.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Hashable

from flask import (Blueprint, Flask, abort, current_app, make_response, redirect, render_template,
                   request, url_for)
from werkzeug.wrappers import Response  # Flask's is a subclass; redirect() answers this one
from markupsafe import Markup

from .extension import services
from ..storage.catalogs import CatalogStore
from ..domain.categories import CATEGORIES
from ..domain.dates import format_moment, format_time_zone
from .display_names import language_label, language_name
from .i18n import LANGUAGE_COOKIE, current_language, gettext, negotiated_language, ui_translations
from ..domain.names import UI_SOURCE_LANGUAGE
from ..domain.markup import render_inline, strip_markup
from .page_cache import pages as cached_pages, remember_key
from .paging import page_count, requested_page
from .paths import url_language
from .redirects import local_path
from ..storage.sources import ArticleNotFound, SourceStore
from ..domain.variant_state import PUBLISHED_STATES
from ..domain.interface_text import N_
from ..domain.variants import LocalizedArticle, localize

bp = Blueprint("reader", __name__)

COOKIE_MAX_AGE = 365 * 24 * 60 * 60
NEGOTIATED_VARY = ("Accept-Language", "Cookie")

# The suggestion banner speaks the language it suggests, so these are looked up in that
# language's catalog rather than the page's.
# Translators: shown to readers who prefer YOUR language; name your own language ("українською").
BANNER_ARTICLE = N_("This article is also available in English.")
# Translators: shown to readers who prefer YOUR language; name your own language ("українською").
BANNER_FRONT = N_("The news is also available in English.")
# Translators: the button that switches to YOUR language; name your own language ("Читати українською").
BANNER_SWITCH = N_("Read in English")
# Translators: the button that keeps the page's language and hides the suggestion for good.
BANNER_STAY = N_("No, thanks")
BANNER_LABEL = N_("Language suggestion")
# Translators: "in English" names YOUR language, the page's ("українською"); %(language)s is the original's language.
NOT_YET_TRANSLATED = N_("This article is not yet available in English. Here is the original (%(language)s).")
#: What the messages that name their own language say (in English, with the language's
#: name) while that language's catalog has no translation of them yet.
NAMING_FALLBACKS = {
    BANNER_ARTICLE: "This article is also available in %(language)s.",
    BANNER_FRONT: "The news is also available in %(language)s.",
    BANNER_SWITCH: "Read in %(language)s",
    NOT_YET_TRANSLATED: "This article is not yet available in %(language)s. Here is the original (%(source)s).",
}


@dataclass(frozen=True)
class LanguageLink:
    """A link to this page, or the nearest one, in another language."""

    language: str
    name: str
    href: str
    current: bool = False


def html_lang(language: str) -> str:
    """Return the BCP 47 form of a language code for ``lang``/``hreflang`` (``pt_BR`` → ``pt-BR``)."""
    return language.replace("_", "-")


def _languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def _sources() -> SourceStore:
    return services().sources


def _catalogs() -> CatalogStore:
    return services().catalogs


def _negotiated(response: Response) -> Response:
    response.vary.update(NEGOTIATED_VARY)
    return response


def _cacheable(response: Response, key: Hashable | None) -> Response:
    """Let shared caches keep a prefixed page, revalidated by its ``ETag``.

    The page cache (:mod:`.page_cache`) keeps it too, with its ETag, under ``key``, and
    answers the next requests for it (``304`` included) without coming here. The ETag is
    the bytes' hash, not the key's: file identities differ between instances (inodes), the
    bytes do not, so a cache in front may revalidate against any instance.
    """
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["READER_MAX_AGE"]
    remember_key(key)
    response.add_etag()
    return response.make_conditional(request)


def _published_languages(slug: str, source_language: str) -> list[str]:
    figures = services().figures
    return [language for language in _languages()
            if language == source_language or figures.variant_state(language, slug) in PUBLISHED_STATES]


def _localized(slug: str, language: str) -> LocalizedArticle:
    article = _sources().article(slug)  # ArticleNotFound: the error edge answers 404
    return localize(article, language, _catalogs().variant(language, slug))


def _switch_href(language: str, target: str) -> str:
    return url_for("reader.set_language", lang=language, next=target)


def naming_its_language(message: str, own_language: str, **variables: str) -> str:
    """Translate a message that names ``own_language`` itself ("…in English") into that language.

    Until that language's catalog translates it, say it in English with the language's
    name, rather than name the wrong language.
    """
    translated = ui_translations(own_language).gettext(message)
    if translated == message and own_language != UI_SOURCE_LANGUAGE:
        name = language_name(own_language, UI_SOURCE_LANGUAGE)
        return NAMING_FALLBACKS[message] % {"language": name, "source": variables.get("language", "")}
    return translated % variables if variables else translated


def _suggestion(language: str, href: str, article: bool) -> dict[str, str]:
    """The banner's words in ``language``, which it suggests, and where "switch" leads."""
    words = ui_translations(language)
    return {
        "language": language,
        "html_lang": html_lang(language),
        "href": href,
        "message": naming_its_language(BANNER_ARTICLE if article else BANNER_FRONT, language),
        "switch": naming_its_language(BANNER_SWITCH, language),
        "stay": words.gettext(BANNER_STAY),
        "label": words.gettext(BANNER_LABEL),
    }


def _language_links(current: str, targets: dict[str, str]) -> list[LanguageLink]:
    return [LanguageLink(language, language_label(language, language),
                         "" if language == current else _switch_href(language, targets[language]),
                         language == current)
            for language in _languages()]


def _render(template: str, language: str, **context: Any) -> str:
    return render_template(template, language=language, page_language=html_lang(language), **context)


def category_name(key: str) -> str:
    """Return the display name of a category in the current language."""
    return gettext(CATEGORIES.get(key, key))


@bp.app_template_filter("render_inline")
@lru_cache(maxsize=2048)
def _render_inline_filter(text: str) -> Markup:
    # Same text, same markup: segments are re-rendered on every page view otherwise. A
    # paragraph and its markup take ~1.5 KB, so 2,048 (a few dozen articles; stored pages are
    # not rendered again) keep a worker's memory bounded however many articles it reads.
    return render_inline(text)


@bp.app_template_filter("strip_markup")
def _strip_markup_filter(text: str) -> str:
    return strip_markup(text)


@bp.app_template_filter("html_lang")
def _html_lang_filter(language: str) -> str:
    return html_lang(language)


@bp.get("/")
def root() -> Response:
    """Send the reader to the front page in their language."""
    keys = cached_pages().keys
    if keys is not None:
        remember_key(keys.root())  # the same answer for the same cookie and Accept-Language: stored
    return _negotiated(redirect(_keeping_query(url_for("reader.front", lang=negotiated_language())), 302))


def _keeping_query(target: str) -> str:
    """Return ``target`` with the request's query string (``?page=2`` survives the redirect by language)."""
    query = request.query_string.decode("latin-1")
    return f"{target}?{query}" if query else target


@bp.get("/articles/<slug>")
def negotiate_article(slug: str) -> Response:
    """Send the reader to the article in their language."""
    _sources().article(slug)  # ArticleNotFound: the error edge answers 404
    return _negotiated(redirect(url_for("reader.article", lang=negotiated_language(), slug=slug), 302))


@bp.get("/set-language/<language:lang>")
def set_language(lang: str) -> Response:
    """Remember the reader's language in the ``lang`` cookie and go back to a local page."""
    target = local_path(request.args.get("next")) or url_for("reader.front", lang=lang)
    response = redirect(target, 302)
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=COOKIE_MAX_AGE, path="/", samesite="Lax",
                        httponly=False, secure=request.is_secure)
    response.cache_control.no_store = True
    return response


@bp.get("/categories/<key>/")
def negotiate_category(key: str) -> Response:
    """Send the reader to the category page in their language."""
    if key not in CATEGORIES:
        abort(404)
    return _negotiated(redirect(_keeping_query(url_for("reader.category", lang=negotiated_language(), key=key)), 302))


def _teasers(language: str, published: list[str]) -> tuple[list[dict[str, Any]], int, int]:
    """Return the teasers of the page ``?page=`` asks for out of ``published`` (slugs, newest first), its number
    and the page count; 404 for any other page (a crawler gets exactly the page it asked for, or none)."""
    catalogs = _catalogs()
    sources = _sources()
    size = max(1, int(current_app.config["READER_PAGE_SIZE"]))
    pages = page_count(len(published), size)
    page = requested_page()
    if page is None or not 1 <= page <= pages:
        abort(404)
    timezone_name = current_app.config["TIMEZONE"]
    items = []
    for slug in published[(page - 1) * size: page * size]:
        try:
            article = sources.article(slug)
        except ArticleNotFound:  # its front matter reads, the whole source does not: logged, left out
            continue
        localized = localize(article, language, catalogs.variant(language, article.slug))
        items.append({
            "slug": article.slug,
            "localized": localized,
            "category_key": article.category,
            "category": category_name(article.category),
            "published_iso": article.published.isoformat(),
            "published": format_moment(article.published, language, timezone_name),
            "minutes": localized.reading_minutes(),
        })
    return items, page, pages


def _list_page(template: str, language: str, published: list[str], endpoint: str, negotiating_url: str,
               translated: list[str], **context: Any) -> str:
    """Render the page ``?page=`` asks for of a list of articles, ``endpoint``'s, in ``language``.

    Every page is its own canonical URL (page 1 without ``?page=``); only the first has
    translations to name as alternates, in the ``translated`` languages: a later page lists
    different articles in each language.
    """
    items, page, pages = _teasers(language, published)
    values: dict[str, Any] = request.view_args or {}
    canonical = url_for(endpoint, **{**values, "page": page if page > 1 else None}, _external=True)
    targets = {other: url_for(endpoint, **{**values, "lang": other}) for other in _languages()}
    alternates = []
    if page == 1 and translated:
        alternates = [{"hreflang": html_lang(other), "href": url_for(endpoint, **{**values, "lang": other},
                                                                     _external=True)}
                      for other in translated]
        alternates.append({"hreflang": "x-default", "href": negotiating_url})
    return _render(
        template, language,
        items=items, page=page, pages=pages, time_zone=format_time_zone(language, current_app.config["TIMEZONE"]),
        alternates=alternates,
        canonical=canonical,
        switcher=_language_links(language, targets),
        suggestions=[_suggestion(other, _switch_href(other, targets[other]), article=False)
                     for other in _languages() if other != language],
        **context,
    )


def _list_response(body: str, language: str, key: Hashable | None) -> Response:
    response = make_response(body)
    response.content_language.add(html_lang(language))
    return _cacheable(response, key)


@bp.get("/<language:lang>/")
def front(lang: str) -> Response:
    """List the articles published in ``lang``, newest first, a page at a time."""
    language = current_language()  # the URL's: the route matches only configured languages
    keys = cached_pages().keys
    key = keys.front(language) if keys is not None else None  # before rendering: a write meanwhile changes it
    published = keys.watch.published(language) if keys is not None else _published_in(language)
    body = _list_page("reader/front.html", language, published, "reader.front", url_for("reader.root", _external=True),
                      _languages())
    return _list_response(body, language, key)


@bp.get("/<language:lang>/categories/<key>/", endpoint="category")
def category_page(lang: str, key: str) -> Response:
    """List the articles of category ``key`` published in ``lang``, newest first, a page at a time."""
    language = current_language()  # the URL's: the route matches only configured languages
    if key not in CATEGORIES:
        abort(404)
    keys = cached_pages().keys
    page_key = keys.category(language, key) if keys is not None else None  # before rendering, as for the front
    listing = keys.watch.published_in_category if keys is not None else _published_in
    published = listing(language, key)
    # Translations of this page: the same category where it lists something, as the sitemap names them;
    # an empty page is nobody's translation and asks to stay out of search results.
    translated = [other for other in _languages() if listing(other, key)] if published else []
    body = _list_page("reader/category.html", language, published, "reader.category",
                      url_for("reader.negotiate_category", key=key, _external=True), translated,
                      current_category=key, heading=category_name(key))
    return _list_response(body, language, page_key)


def _published_in(language: str, category: str | None = None) -> list[str]:
    """List the slugs published in ``language`` (of ``category`` if given), newest first, from the folders themselves."""
    states = services().figures.variant_states(language)
    return [info.slug for info in _sources().listing()
            if (info.source_language == language or states.get(info.slug) in PUBLISHED_STATES)
            and (category is None or info.category == category)]


@bp.get("/<language:lang>/articles/<slug>")
def article(lang: str, slug: str) -> Response:
    """Show the article in ``lang``: translated, stale with a notice, or the original if unpublished."""
    language = current_language()  # the URL's: the route matches only configured languages
    keys = cached_pages().keys
    key = keys.article(language, slug) if keys is not None else None  # before rendering: a write meanwhile changes it
    localized = _localized(slug, language)
    source = localized.article.source_language
    published_in = _published_languages(slug, source)
    timezone_name = current_app.config["TIMEZONE"]
    targets = {other: url_for("reader.article", lang=other, slug=slug) if other in published_in
               else url_for("reader.front", lang=other) for other in _languages()}
    alternates = [{"hreflang": html_lang(other), "href": url_for("reader.article", lang=other, slug=slug, _external=True)}
                  for other in published_in]
    alternates.append({"hreflang": "x-default", "href": url_for("reader.negotiate_article", slug=slug, _external=True)})
    canonical = None if localized.published else url_for("reader.article", lang=source, slug=slug, _external=True)
    published = localized.article.published
    body = _render(
        "reader/article.html", language,
        item=localized,
        category=category_name(localized.article.category),
        category_key=localized.article.category,
        published_iso=published.isoformat(),
        published=format_moment(published, language, timezone_name),
        time_zone=format_time_zone(language, timezone_name),
        stale_since=format_moment(localized.stale_since, language, timezone_name) if localized.stale_since else None,
        minutes=localized.reading_minutes(),
        source_name=language_name(source, language),
        not_translated_notice=naming_its_language(NOT_YET_TRANSLATED, language,
                                                  language=language_name(source, language)),
        source_href=url_for("reader.article", lang=source, slug=slug),
        alternates=alternates,
        canonical=canonical,
        switcher=_language_links(language, targets),
        suggestions=[_suggestion(other, _switch_href(other, targets[other]), article=other in published_in)
                     for other in _languages() if other != language],
    )
    response = make_response(body)
    response.content_language.add(html_lang(language))
    return _cacheable(response, key)


def not_found_page() -> Response:
    """Answer 404 with the reader's page in the URL's language, or else the negotiated one."""
    negotiated = url_language() is None
    language = current_language()
    targets = {other: url_for("reader.front", lang=other) for other in _languages()}
    response = make_response(_render("reader/not_found.html", language, alternates=[], canonical=None,
                                     switcher=_language_links(language, targets), suggestions=[]), 404)
    response.content_language.add(html_lang(language))
    response.cache_control.no_cache = True
    return _negotiated(response) if negotiated else response


def init_app(app: Flask) -> None:
    """Add the reader's routes (their ``language`` part is :func:`.paths.init_app`'s converter)."""
    app.register_blueprint(bp)
    app.jinja_env.globals["reader_categories"] = CATEGORIES  # the category navigation's keys and names
