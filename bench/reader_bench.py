"""Benchmark: reader pages of the real app against a plain-Flask render and a Flask-Babel app.

Three apps serve the same pages from the same files, all rendering the project's own
templates (``reader/article.html``, ``reader/front.html``; the Flask-Babel app also
``reader/category.html``, for ``floor_bench.py``), checked to give identical HTML:

- ``ours``: the real app (``service.create_app``): article text from the catalogs through the
  catalog store, UI strings from ``messages.mo``, every file checked for changes per request;
- ``plain``: plain Flask whose page contexts and UI strings were translated once at start into
  in-memory dicts: a request is a dict lookup and a Jinja render, no gettext at all (the floor);
- ``flask-babel``: Flask-Babel 4.0 reading the same compiled ``.mo`` catalogs (``messages`` and
  one ``Domain`` per article, ``articles/<slug>``) through its gettext/pgettext on every request,
  dates through its ``format_date``/``format_time``; the parsed sources are kept in memory.

Measured in one run: warm time per request through the Flask test client (in-process, one
thread: the apps' own cost without a network), the same through a real gunicorn (one sync
worker, one client on the other core), cold starts (a new process: app start and first request)
and the first request after an article catalog changed, and the scale case: thousands of
synthetic articles (``synthetic.generate``) with requests spread over all of them, so the
catalog store's least-recently-used cache misses. Needs ``pip install -e '.[bench]'``. Usage::

    .venv/bin/python bench/reader_bench.py [--requests 300] [--rounds 3] [--articles 2500] [--no-gunicorn]
"""
from __future__ import annotations

import argparse
import gettext
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.dates import get_datetime_format  # noqa: E402
from flask import Blueprint, Flask, abort, g, make_response, redirect, render_template, request, url_for  # noqa: E402

from service.web.extension import services
from service import create_app  # noqa: E402
from service.web import display_names, publishing, reader
from service.domain.articles import Article  # noqa: E402
from service.storage.catalogs import CatalogStore  # noqa: E402
from service.storage.figures import STATISTICS_FILE_NAME, FiguresIndex  # noqa: E402
from service.domain.categories import CATEGORIES  # noqa: E402
from service.domain.dates import format_ago, format_moment, format_time_zone  # noqa: E402
from service.storage.layout import Layout  # noqa: E402
from service.bootstrap import build_services, prepare_tree  # noqa: E402
from service.config import load_settings  # noqa: E402
from service.pipeline import compile_all  # noqa: E402
from service.storage.sources import SourceStore  # noqa: E402
from service.domain.variant_state import COMPLETE, PUBLISHED_STATES  # noqa: E402
from service.domain.variants import LocalizedArticle, LocalizedBlock, Text, localize  # noqa: E402
from synthetic import generate  # noqa: E402

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)  # one clock for every app: same "N days ago"
TIMEZONE = "Europe/Kyiv"
KINDS = ("ours", "plain", "flask-babel")
REAL_PAGES = ["/uk/articles/nordic-baltic-grid-repair-fund", "/en/articles/odesa-ports-grain-exports", "/uk/", "/en/"]


# --- what the baselines know: the sources in memory, and where each article is published ------------

@dataclass
class Site:
    """What a conventional app keeps in memory: parsed sources, and which variants it serves."""

    languages: list[str]
    locales_dir: Path
    articles: dict[str, Article]
    newest_first: list[Article]
    published_in: dict[str, list[str]]  # slug -> languages with a published variant (or the source)
    complete: set[tuple[str, str]]  # (language, slug) pages a .mo can render as the real app does


def load_site(root: Path, languages: list[str]) -> Site:
    """Read the sources and the variants' states once (start-up work, not measured per request)."""
    sources = SourceStore(root / "content", languages)
    figures = FiguresIndex(Layout(root / "locales"), languages, root / "instance" / STATISTICS_FILE_NAME)
    newest_first = [sources.article(info.slug) for info in sources.listing()]
    published_in, complete = {}, set()
    for article in newest_first:
        states = {language: COMPLETE if language == article.source_language
                  else figures.variant_state(language, article.slug) for language in languages}
        published_in[article.slug] = [language for language, state in states.items() if state in PUBLISHED_STATES]
        complete |= {(language, article.slug) for language, state in states.items() if state == COMPLETE}
    return Site(languages, root / "locales", {a.slug: a for a in newest_first}, newest_first, published_in, complete)


class Words(Protocol):
    """Where a baseline gets translated words from."""

    def ui(self, language: str, message: str) -> str: ...
    def segment(self, language: str, slug: str, role: str, text: str) -> str: ...
    def moment(self, moment: datetime, language: str) -> str: ...
    def ago(self, moment: datetime, language: str) -> str: ...


class GettextWords:
    """Python's gettext over the compiled catalogs: what the plain app uses once, at start."""

    def __init__(self, locales_dir: Path) -> None:
        self.locales_dir = locales_dir

    def catalog(self, language: str, domain: str) -> gettext.NullTranslations:
        return gettext.translation(domain, self.locales_dir, [language], fallback=True)

    def ui(self, language: str, message: str) -> str:
        return self.catalog(language, "messages").gettext(message)

    def ui_plural(self, language: str, singular: str, plural: str, number: int) -> str:
        return self.catalog(language, "messages").ngettext(singular, plural, number)

    def segment(self, language: str, slug: str, role: str, text: str) -> str:
        return self.catalog(language, f"articles/{slug}").pgettext(role, text)

    def moment(self, moment: datetime, language: str) -> str:
        return format_moment(moment, language, TIMEZONE)

    def ago(self, moment: datetime, language: str) -> str:
        return format_ago(moment, NOW, language)


class FlaskBabelWords:
    """Flask-Babel on every request: the default domain for UI strings, one Domain per article."""

    def __init__(self, locales_dir: Path) -> None:
        import flask_babel

        self.babel = flask_babel
        self.locales_dir = locales_dir
        self.domains: dict[str, Any] = {}

    def ui(self, language: str, message: str) -> str:
        if language == str(self.babel.get_locale()):
            return self.babel.gettext(message)
        with self.babel.force_locale(language):
            return self.babel.gettext(message)

    def segment(self, language: str, slug: str, role: str, text: str) -> str:
        domain = self.domains.get(slug)
        if domain is None:
            domain = self.domains[slug] = self.babel.Domain(str(self.locales_dir), domain=f"articles/{slug}")
        return domain.pgettext(role, text)

    def moment(self, moment: datetime, language: str) -> str:
        pattern = str(get_datetime_format("long", locale=self.babel.get_locale()))
        date, time_ = self.babel.format_date(moment, "long"), self.babel.format_time(moment, "short")
        return pattern.replace("'", "").replace("{0}", time_).replace("{1}", date)

    def ago(self, moment: datetime, language: str) -> str:
        return self.babel.format_timedelta(min(moment - NOW, -timedelta(seconds=1)), add_direction=True)


# --- the page contexts the templates get, built from Words -----------------------------------------

def localized(words: Words, article: Article, language: str) -> LocalizedArticle:
    """The article in ``language``: its source text, or every segment through ``words``."""
    if language == article.source_language:
        return localize(article, language, None)

    def text(segment) -> Text:
        return Text(words.segment(language, article.slug, segment.role, segment.text), language)

    return LocalizedArticle(
        article=article, language=language, state=COMPLETE, text_language=language,
        title=text(article.title), summary=text(article.summary) if article.summary else None,
        points=tuple(text(point) for point in article.points),
        body=tuple(LocalizedBlock(block.kind, tuple(text(s) for s in block.segments)) for block in article.body),
    )


def _chrome(site: Site, words: Words, language: str, targets: dict[str, str], article: bool) -> dict[str, Any]:
    """The language switcher and the banner's words, as the real reader builds them."""
    def href(other: str) -> str:
        return url_for("reader.set_language", lang=other, next=targets[other])

    return {
        "switcher": [reader.LanguageLink(other, display_names.language_label(other, other),
                                         "" if other == language else href(other), other == language)
                     for other in site.languages],
        "suggestions": [{
            "language": other, "html_lang": reader.html_lang(other), "href": href(other),
            "message": words.ui(other, reader.BANNER_ARTICLE if article else reader.BANNER_FRONT),
            "switch": words.ui(other, reader.BANNER_SWITCH), "stay": words.ui(other, reader.BANNER_STAY),
            "label": words.ui(other, reader.BANNER_LABEL),
        } for other in site.languages if other != language],
    }


def article_context(site: Site, words: Words, language: str, slug: str) -> dict[str, Any]:
    """What ``reader/article.html`` gets for a published variant."""
    article = site.articles[slug]
    item = localized(words, article, language)
    published_in = site.published_in[slug]
    targets = {other: url_for("reader.article", lang=other, slug=slug) if other in published_in
               else url_for("reader.front", lang=other) for other in site.languages}
    alternates = [{"hreflang": reader.html_lang(other),
                   "href": url_for("reader.article", lang=other, slug=slug, _external=True)} for other in published_in]
    alternates.append({"hreflang": "x-default", "href": url_for("reader.negotiate_article", slug=slug, _external=True)})
    source = article.source_language
    return {
        "language": language, "page_language": reader.html_lang(language), "item": item,
        "category": words.ui(language, CATEGORIES.get(article.category, article.category)),
        "category_key": article.category,
        "published_iso": article.published.isoformat(), "published": words.moment(article.published, language),
        "time_zone": format_time_zone(language, TIMEZONE), "stale_since": None,
        "minutes": item.reading_minutes(), "source_name": display_names.language_name(source, language),
        "not_translated_notice": "", "source_href": url_for("reader.article", lang=source, slug=slug),
        "alternates": alternates, "canonical": None,
        **_chrome(site, words, language, targets, article=True),
    }


def front_context(site: Site, words: Words, language: str, size: int = 10, category: str | None = None) -> dict[str, Any]:
    """What ``reader/front.html`` gets for the first page (``reader/category.html``, given a ``category``)."""
    published = [article for article in site.newest_first if language in site.published_in[article.slug]
                 and (category is None or article.category == category)]
    items = []
    for article in published[:size]:
        item = localized(words, article, language)
        items.append({"slug": article.slug, "localized": item,
                      "category": words.ui(language, CATEGORIES.get(article.category, article.category)),
                      "category_key": article.category,
                      "published_iso": article.published.isoformat(),
                      "published": words.moment(article.published, language), "minutes": item.reading_minutes()})
    endpoint, values = ("reader.front", {}) if category is None else ("reader.category", {"key": category})
    targets = {other: url_for(endpoint, lang=other, **values) for other in site.languages}
    alternates = [{"hreflang": reader.html_lang(other), "href": url_for(endpoint, lang=other, _external=True, **values)}
                  for other in site.languages]
    alternates.append({"hreflang": "x-default", "href": url_for("reader.root", _external=True) if category is None
                       else url_for("reader.negotiate_category", key=category, _external=True)})
    context = {"language": language, "page_language": reader.html_lang(language), "items": items, "page": 1,
               "time_zone": format_time_zone(language, TIMEZONE),
               "pages": max(1, -(-len(published) // size)), "alternates": alternates,
               "canonical": url_for(endpoint, lang=language, _external=True, **values),
               **_chrome(site, words, language, targets, article=False)}
    if category is not None:
        context.update(current_category=category, heading=words.ui(language, CATEGORIES[category]))
    return context


# --- the baseline apps --------------------------------------------------------------------------------

def _plain_text(translate: Callable[[str], str]) -> Callable[[Text], str]:
    """The real reader's ``plain_text``: text without markup, a previous translation said so."""
    from service.domain.markup import strip_markup
    from service.web.publishing import PREVIOUS_TRANSLATION

    def plain_text(shown: Text) -> str:
        plain = strip_markup(shown.text)
        return translate(PREVIOUS_TRANSLATION) % {"text": plain} if shown.outdated else plain

    return plain_text


def _cards(site: Site, translate: Callable[[str], str]) -> Callable[[LocalizedArticle], dict[str, Any]]:
    """The social cards and JSON-LD the real reader adds, built from what the baseline keeps in memory."""
    from markupsafe import Markup

    from service.domain.cards import CardFacts, describe, meta_tags, news_article, script_json

    plain_text = _plain_text(translate)

    def article_cards(item: LocalizedArticle) -> dict[str, Any]:
        article = item.article
        variants = {language: url_for("reader.article", lang=language, slug=article.slug, _external=True)
                    for language in site.published_in[article.slug]}
        shown = item.text_language if item.text_language in variants else article.source_language
        paragraphs = [block.texts[0] for block in item.body if block.kind == "paragraph"]
        card = CardFacts(
            title=plain_text(item.title),
            description=describe(plain_text(item.summary) if item.summary else None,
                                 plain_text(paragraphs[0]) if paragraphs else None),
            language=shown, url=variants[shown], published=article.published, modified=article.published,
            section=translate(CATEGORIES[article.category]) if article.category in CATEGORIES else None,
            site_name=translate("Newsroom"), variants=variants, source_language=article.source_language)
        return {"meta": meta_tags(card), "json_ld": Markup(script_json(news_article(card)))}

    return article_cards


def _negotiating(languages: list[str], target: str) -> Callable[..., Any]:
    """A view redirecting as a conventional app does: the ``lang`` cookie, else ``Accept-Language``'s best match."""
    def view(**values: str) -> Any:
        language = request.cookies.get("lang")
        if language not in languages:
            language = request.accept_languages.best_match(languages) or languages[0]
        response = redirect(target.format(language, **values))
        response.vary.update(("Accept-Language", "Cookie"))
        return response

    return view


def _baseline_app(name: str, page: Callable[[str, str | None], Any], site: Site | None = None,
                  translate: Callable[[str], str] = str,
                  category_page: Callable[[str, str], Any] = lambda lang, key: abort(404)) -> Flask:
    """A Flask app with the reader's URLs and templates, whose pages come from ``page(lang, slug)``
    and ``category_page(lang, key)``."""
    app = Flask(name, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "service" / "static"))
    feeds = Blueprint("publishing", name + "_publishing")
    feeds.get("/<lang>/feed.xml", endpoint="feed")(lambda lang: abort(404))
    app.register_blueprint(feeds)
    if site is not None:
        app.add_template_global(_cards(site, translate), "article_cards")
    app.add_template_global(_plain_text(translate), "plain_text")
    app.add_template_global(publishing.site_cards, "site_cards")  # the list pages' cards: the template's words only
    bp = Blueprint("reader", name)
    languages = site.languages if site is not None else ["uk", "en"]
    bp.get("/", endpoint="root")(_negotiating(languages, "/{}/"))
    bp.get("/articles/<slug>", endpoint="negotiate_article")(_negotiating(languages, "/{}/articles/{slug}"))
    bp.get("/set-language/<lang>", endpoint="set_language")(lambda lang: redirect("/"))
    bp.get("/<lang>/", endpoint="front")(lambda lang: page(lang, None))
    bp.get("/<lang>/articles/<slug>", endpoint="article")(lambda lang, slug: page(lang, slug))
    bp.get("/categories/<key>/", endpoint="negotiate_category")(_negotiating(languages, "/{}/categories/{key}/"))
    bp.get("/<lang>/categories/<key>/", endpoint="category")(lambda lang, key: category_page(lang, key))
    app.register_blueprint(bp)
    # The real reader's filters (render_inline is cached the same way).
    app.add_template_filter(reader._render_inline_filter, "render_inline")
    app.add_template_filter(reader._strip_markup_filter, "strip_markup")
    app.add_template_filter(reader._html_lang_filter, "html_lang")
    app.jinja_env.globals["current_language"] = lambda: g.language
    app.jinja_env.globals["reader_categories"] = CATEGORIES
    return app


class Phrasebook:
    """The UI strings the templates ask for, translated at start; afterwards only dict lookups."""

    def __init__(self, words: GettextWords) -> None:
        self.words = words
        self.known: dict[tuple, str] = {}
        self.learning = True

    def _look_up(self, key: tuple, translate: Callable[[], str]) -> str:
        try:
            return self.known[key]
        except KeyError:
            if not self.learning:
                raise
            self.known[key] = value = translate()
            return value

    def gettext(self, message: str) -> str:
        language = g.language
        return self._look_up((language, message), lambda: self.words.ui(language, message))

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        language = g.language
        return self._look_up((language, singular, number),
                             lambda: self.words.ui_plural(language, singular, plural, number))


def plain_app(site: Site, pages: list[str], base_url: str = "http://localhost") -> Flask:
    """Plain Flask: each page's context and UI strings translated once at start, then only rendered."""
    contexts: dict[tuple[str, str | None], dict[str, Any]] = {}
    phrasebook = Phrasebook(GettextWords(site.locales_dir))

    def page(lang: str, slug: str | None) -> Any:
        context = contexts.get((lang, slug))
        if context is None:
            abort(404)
        g.language = lang
        return make_response(render_template("reader/front.html" if slug is None else "reader/article.html", **context))

    app = _baseline_app("plain", page, site, phrasebook.gettext)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext=phrasebook.gettext, ngettext=phrasebook.ngettext,  # type: ignore
                                            newstyle=True)
    for path in pages:
        lang, slug = _page_of(path)
        with app.test_request_context(path, base_url=base_url):
            g.language = lang
            contexts[lang, slug] = (front_context(site, phrasebook.words, lang) if slug is None
                                    else article_context(site, phrasebook.words, lang, slug))
            page(lang, slug)  # learn the UI strings this page's template asks for
    phrasebook.learning = False
    return app


def flask_babel_app(site: Site) -> Flask:
    """Flask-Babel: every string of every request through its gettext from the compiled catalogs."""
    from flask_babel import Babel

    words = FlaskBabelWords(site.locales_dir)

    def page(lang: str, slug: str | None) -> Any:
        if lang not in site.languages or (slug is not None and (lang, slug) not in site.complete):
            abort(404)
        g.language = lang
        if slug is None:
            return make_response(render_template("reader/front.html", **front_context(site, words, lang)))
        return make_response(render_template("reader/article.html", **article_context(site, words, lang, slug)))

    def category_page(lang: str, key: str) -> Any:
        if lang not in site.languages or key not in CATEGORIES:
            abort(404)
        g.language = lang
        return make_response(render_template("reader/category.html",
                                             **front_context(site, words, lang, category=key)))

    import flask_babel

    app = _baseline_app("flask_babel_app", page, site, flask_babel.gettext, category_page)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(site.locales_dir), BABEL_DEFAULT_TIMEZONE=TIMEZONE,
                      BABEL_DEFAULT_LOCALE="en")
    Babel(app, locale_selector=lambda: (request.view_args or {}).get("lang"))
    return app


def our_app(root: Path, languages: list[str]) -> Flask:
    """The real app over the tree at ``root``, its clock fixed like the baselines'."""
    settings = {"LANGUAGES": languages, "CONTENT_DIR": str(root / "content"), "LOCALES_DIR": str(root / "locales"),
                "INSTANCE_DIR": str(root / "instance"), "SECRET_KEY": "bench", "CLOCK": lambda: NOW}
    prepare_tree(build_services(load_settings(settings)))
    return create_app(settings)


def make_app(kind: str, root: Path, languages: list[str], pages: list[str], base_url: str = "http://localhost") -> Flask:
    """Build the app of ``kind`` (one of :data:`KINDS`) over the tree at ``root``."""
    if kind == "ours":
        return our_app(root, languages)
    site = load_site(root, languages)
    return plain_app(site, pages, base_url) if kind == "plain" else flask_babel_app(site)


def wsgi_app() -> Flask:
    """gunicorn's entry point: the app named by ``BENCH_KIND`` over ``BENCH_ROOT``."""
    environ = os.environ
    return make_app(environ["BENCH_KIND"], Path(environ["BENCH_ROOT"]), environ["BENCH_LANGUAGES"].split(","),
                    environ["BENCH_PAGES"].split(","), environ.get("BENCH_BASE_URL", "http://localhost"))


def _page_of(path: str) -> tuple[str, str | None]:
    parts = path.strip("/").split("/")
    return parts[0], parts[2] if len(parts) == 3 else None


# --- measuring --------------------------------------------------------------------------------------

def _get(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.data


def per_request(client, paths: list[str], count: int) -> float:
    """Seconds per request, ``count`` requests cycling through ``paths``."""
    began = time.perf_counter()
    for index in range(count):
        _get(client, paths[index % len(paths)])
    return (time.perf_counter() - began) / count


def warm_in_process(clients: dict[str, Any], groups: dict[str, list[str]], count: int, rounds: int) -> dict:
    """Median seconds per request per (group, kind); rounds interleave the apps against machine noise."""
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for group, paths in groups.items():
            for kind, client in clients.items():
                for path in paths:
                    _get(client, path)  # warm
                samples.setdefault((group, kind), []).append(per_request(client, paths, count))
    return {key: statistics.median(values) for key, values in samples.items()}


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _http_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, (path, response.status)
        return body
    finally:
        connection.close()


def start_gunicorn(kind: str, root: Path, languages: list[str], pages: list[str], log: Path) -> tuple[Any, int]:
    """Start one gunicorn sync worker serving the app of ``kind`` on loopback; return it and its port."""
    port = _free_port()
    environ = {**os.environ, "BENCH_KIND": kind, "BENCH_ROOT": str(root), "BENCH_LANGUAGES": ",".join(languages),
               "BENCH_PAGES": ",".join(pages), "BENCH_BASE_URL": f"http://127.0.0.1:{port}"}
    with open(log, "ab") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "--pythonpath", str(ROOT / "bench"), "--workers", "1",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "reader_bench:wsgi_app()"],
            env=environ, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while True:
        try:
            _http_get(port, pages[0])
            return server, port
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"gunicorn ({kind}) did not start: see {log}")
            time.sleep(0.2)


def warm_through_gunicorn(root: Path, languages: list[str], pages: list[str], groups: dict[str, list[str]],
                          count: int, rounds: int, log: Path) -> dict:
    """Median seconds per request per (group, kind): one sync worker each, one sequential client."""
    servers = {}
    try:
        for kind in KINDS:
            servers[kind] = start_gunicorn(kind, root, languages, pages, log)
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(rounds):
            for group, paths in groups.items():
                for kind, (_server, port) in servers.items():
                    for path in paths:
                        _http_get(port, path)  # warm
                    began = time.perf_counter()
                    for index in range(count):
                        _http_get(port, paths[index % len(paths)])
                    samples.setdefault((group, kind), []).append((time.perf_counter() - began) / count)
        return {key: statistics.median(values) for key, values in samples.items()}
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(timeout=30)


def probe(kind: str, root: Path, languages: list[str], pages: list[str], path: str, change: Path | None) -> dict:
    """In a new process: app start, first request, warm request, and the first one after ``change``."""
    began = time.perf_counter()
    app = make_app(kind, root, languages, pages)
    start = time.perf_counter() - began
    client = app.test_client()
    began = time.perf_counter()
    _get(client, path)
    first = time.perf_counter() - began
    warm = statistics.median(per_request(client, [path], 1) for _ in range(20))
    result = {"start": start, "first": first, "warm": warm}
    if change is not None:
        marker = rewrite_title(change)
        began = time.perf_counter()
        body = _get(client, path)
        result["after_change"] = time.perf_counter() - began
        result["reloaded"] = marker in body.decode("utf-8")
    return result


def rewrite_title(catalog: Path) -> str:
    """Change an article catalog's title translation, as a save does (``.po`` and ``.mo``); return it."""
    import polib

    po = polib.pofile(str(catalog))
    entry = next(entry for entry in po if entry.msgctxt == "title")
    marker = f"(changed {time.time_ns()})"
    entry.msgstr += " " + marker
    po.save(str(catalog))
    po.save_as_mofile(str(catalog.with_suffix(".mo")))
    return marker


def cold(kind: str, root: Path, languages: list[str], pages: list[str], path: str, change: Path | None,
         repeat: int) -> dict:
    """Median of ``repeat`` probes, each in a new process on a copy of the tree at ``root``."""
    samples = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="reader-probe-") as copy:
            tree = Path(copy) / "tree"
            shutil.copytree(root, tree, symlinks=True, ignore=shutil.ignore_patterns("instance"))
            moved = tree / change.relative_to(root) if change else None
            output = subprocess.run(
                [sys.executable, __file__, "--probe", kind, "--root", str(tree), "--languages", ",".join(languages),
                 "--pages", ",".join(pages), "--path", path] + (["--change", str(moved)] if moved else []),
                capture_output=True, text=True, check=True).stdout
            samples.append(json.loads(output.strip().splitlines()[-1]))
    return {key: (statistics.median(s[key] for s in samples) if key != "reloaded" else all(s[key] for s in samples))
            for key in samples[0]}


def check_same_html(clients: dict[str, Any], paths: list[str]) -> list[str]:
    """Say which pages the apps render differently (nothing: the comparison is fair)."""
    differences = []
    for path in paths:
        bodies = {kind: _get(client, path) for kind, client in clients.items()}
        for kind, body in bodies.items():
            if body != bodies["ours"]:
                differences.append(f"{path}: {kind} differs from ours")
    return differences


# --- the run ------------------------------------------------------------------------------------------

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def print_table(title: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    """One row per page group: ms/request and requests/s per app, and ours against each baseline."""
    print(f"\n{title}")
    print(f"{'pages':<38} {'ours ms':>8} {'plain ms':>8} {'babel ms':>8} {'ours r/s':>8} "
          f"{'ours÷plain':>10} {'ours÷babel':>10}")
    for name, by_kind in rows:
        ours, plain, babel = by_kind.get("ours"), by_kind.get("plain"), by_kind.get("flask-babel")
        print(f"{name:<38} {_ms(ours)} {_ms(plain) if plain else '       -'} {_ms(babel) if babel else '       -'} "
              f"{1 / ours:8.0f} {(f'{ours / plain:9.2f}×' if plain else '         -')} "
              f"{(f'{ours / babel:9.2f}×' if babel else '         -')}")


def prepare_real(root: Path) -> None:
    """Copy the project's content and catalogs into ``root`` and compile the catalogs."""
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    compile_all(CatalogStore(Layout(root / "locales"), ["uk", "en"], root / "instance" / "locks"))


def prepare_synthetic(root: Path, articles: int) -> tuple[list[str], float]:
    """Generate ``articles`` synthetic articles with one catalog each (uk ↔ en), compiled."""
    began = time.perf_counter()
    generate(root, articles, languages=["uk", "en"], empty_mo=False)
    compile_all(CatalogStore(Layout(root / "locales"), ["uk", "en"], root / "instance" / "locks"))
    return sorted(p.stem for p in (root / "content").glob("*.md")), time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="warm requests per app and page group, per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the median is reported)")
    parser.add_argument("--cold", type=int, default=3, help="new processes per cold measurement (median)")
    parser.add_argument("--articles", type=int, default=2500, help="synthetic articles for the scale case")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the measurements through gunicorn")
    parser.add_argument("--probe", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--languages", default="uk,en", help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--change", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.probe:
        print(json.dumps(probe(options.probe, options.root, options.languages.split(","), options.pages.split(","),
                               options.path, options.change)))
        return 0

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    languages = ["uk", "en"]
    workdir = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    try:
        real = workdir / "real"
        prepare_real(real)
        clients = {kind: make_app(kind, real, languages, REAL_PAGES).test_client() for kind in KINDS}
        differences = check_same_html(clients, REAL_PAGES)
        print("same HTML from all three apps:", "yes" if not differences else "NO\n  " + "\n  ".join(differences))
        groups = {"/uk/articles/<slug> (uk translation)": REAL_PAGES[:1],
                  "/en/articles/<slug> (en translation)": REAL_PAGES[1:2],
                  "/uk/ front page": REAL_PAGES[2:3], "/en/ front page": REAL_PAGES[3:4]}
        warm = warm_in_process(clients, groups, options.requests, options.rounds)
        print_table(f"Warm, Flask test client, in-process ({options.requests} requests × {options.rounds} rounds, "
                    "median; ms per request)",
                    [(group, {kind: warm[group, kind] for kind in KINDS}) for group in groups])

        if not options.no_gunicorn:
            served = warm_through_gunicorn(real, languages, REAL_PAGES, groups, options.requests, options.rounds,
                                           workdir / "gunicorn.log")
            print_table(f"Warm, real gunicorn (1 sync worker per app, 1 sequential client on loopback; "
                        f"{options.requests} requests × {options.rounds} rounds, median; ms per request)",
                        [(group, {kind: served[group, kind] for kind in KINDS}) for group in groups])

        print(f"\nCold (new process each, median of {options.cold}; ms): app start = create the app, "
              "first = first request, after change = first request after the article's catalog was rewritten")
        print(f"{'app':<12} {'page':<42} {'start':>8} {'first':>8} {'warm':>8} {'after change':>13} reloaded")
        for path in REAL_PAGES[:2]:
            lang, slug = _page_of(path)
            change = real / "locales" / lang / "LC_MESSAGES" / "articles" / f"{slug}.po"
            for kind in KINDS:
                result = cold(kind, real, languages, REAL_PAGES, path, change if kind != "plain" else None, options.cold)
                after = _ms(result["after_change"]) if "after_change" in result else "      -"
                reloaded = {True: "yes", False: "no (old text)"}.get(result.get("reloaded"), "-")
                print(f"{kind:<12} {path:<42} {_ms(result['start'])} {_ms(result['first'])} {_ms(result['warm'])} "
                      f"{after:>13} {reloaded}")

        synthetic = workdir / "synthetic"
        slugs, seconds = prepare_synthetic(synthetic, options.articles)
        print(f"\nScale: {len(slugs)} synthetic articles, one catalog each, generated and compiled in {seconds:.1f} s")
        site = load_site(synthetic, languages)
        translated = sorted(f"/{language}/articles/{slug}" for language, slug in site.complete
                            if language != site.articles[slug].source_language)
        rng = random.Random(7)
        every = rng.sample(translated, len(translated))  # each article once: more than the cache holds
        weights = [1 / (rank + 1) for rank in range(len(translated))]  # Zipf: a few articles get most readers
        zipf = rng.choices(translated, weights=weights, k=len(translated))
        fronts = ["/uk/", "/en/"]
        pages = translated + fronts
        began = time.perf_counter()
        scale_clients = {kind: make_app(kind, synthetic, languages, pages).test_client() for kind in KINDS}
        print(f"apps built in {time.perf_counter() - began:.1f} s; {len(translated)} translated pages")
        # Front pages list stale variants too, whose fuzzy text a .mo leaves out: those may differ.
        print("same HTML:", "; ".join(check_same_html(scale_clients, translated[:50] + fronts)) or "yes")
        rows = []
        for name, paths in [(f"each of {len(translated)} articles once", every),
                            ("Zipf-skewed over the same", zipf), ("front pages /uk/, /en/", fronts)]:
            by_kind = {}
            for kind, client in scale_clients.items():
                by_kind[kind] = statistics.median(per_request(client, paths, len(paths))
                                                  for _ in range(options.rounds))
            rows.append((name, by_kind))
        print_table(f"Scale, Flask test client ({len(translated)} requests × {options.rounds} rounds, "
                    "median; ms per request)", rows)
        ours_store = services(scale_clients["ours"].application).catalogs
        print("our catalog store's caches after the run:", ours_store.cache_sizes())
        return 0 if not differences else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
