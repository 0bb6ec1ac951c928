"""What a reader page is made of, as a key: file identities, the archive's fingerprint, a version.

A page's key changes whenever something it shows may have changed: the article's source
and its lead image file (its size and digest are on the page), its catalog in any language
(which variants are published changes the links), the UI catalogs (``.mo``) of every
language (the banner speaks each of them), the archive's listing for front pages and
category pages, the templates, the reader's code and the settings. Computing a key
costs a handful of ``stat`` calls on precomputed paths: no template, no gettext, no
pathlib. The stored page keeps its ETag (the bytes' hash) beside the key, so a conditional
GET is answered ``304`` from the key alone; instances over copies of the same files (other
inodes) still give the same ETag.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Hashable

from flask import Flask

from ..domain.categories import CATEGORIES
from ..domain.names import MESSAGES_DOMAIN, is_valid_slug
from ..storage.archive_watch import ArchiveWatch
from ..storage.file_cache import file_identity
from ..storage.sources import ArticleNotFound
from .extension import services

#: Bump when the cached pages' format changes without a template changing.
PAGE_FORMAT = 1
#: The settings a reader page depends on.
PAGE_SETTINGS = ("LANGUAGES", "DEFAULT_LANGUAGE", "TIMEZONE", "READER_PAGE_SIZE", "READER_MAX_AGE", "READERS_ONLY",
                 "EDITING_HOST", "APPLICATION_ROOT", "PREFERRED_URL_SCHEME", "SERVER_NAME", "TRUSTED_HOSTS")
#: The code that shapes a reader page besides its templates: the whole service (cards and feeds,
#: the domain's rendering and dates, the stores' reading), one ``stat`` per module at start.
PAGE_CODE_DIR = Path(__file__).resolve().parent.parent


def _version(app: Flask) -> str:
    """Return a digest of the templates, the service's code and the settings, taken once at start."""
    parts: list[Any] = [PAGE_FORMAT, [(name, repr(app.config.get(name))) for name in PAGE_SETTINGS]]
    folder = Path(app.root_path, app.template_folder or "templates")
    for directory, _subdirectories, files in sorted(os.walk(folder)):
        parts.extend((name, file_identity(os.path.join(directory, name))) for name in sorted(files))
    for directory, _subdirectories, files in sorted(os.walk(PAGE_CODE_DIR)):
        parts.extend((name, file_identity(os.path.join(directory, name))) for name in sorted(files)
                     if name.endswith(".py"))
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


class PageKeys:
    """The keys of one app's reader pages."""

    def __init__(self, app: Flask) -> None:
        found = services(app)
        self.languages: list[str] = list(app.config["LANGUAGES"])
        self.version = _version(app)
        self._content = os.fspath(found.sources.content_dir)
        self._catalogs = {language: os.fspath(found.layout.catalog(language, MESSAGES_DOMAIN).parent)
                          for language in self.languages}
        self._ui = [os.fspath(found.layout.compiled(language, MESSAGES_DOMAIN)) for language in self.languages]
        self._sources = found.sources
        #: Each article's lead image file (its size and digest are on the page), by the source's identity.
        self._images: dict[str, tuple[Hashable, str | None]] = {}
        settings = app.config
        self.watch = ArchiveWatch(found.sources, found.figures, self.languages,
                                  check_every=float(settings["ARCHIVE_CHECK_EVERY"]),
                                  revalidate_every=float(settings["ARCHIVE_REVALIDATE_EVERY"]))

    def _ui_key(self) -> tuple[Hashable, ...]:
        return tuple(_identity(path) for path in self._ui)

    def root(self) -> Hashable:
        """Return the key of ``/``: it depends on the settings only (and on who asks, in its address)."""
        return ("root", self.version)

    def front(self, language: str) -> Hashable:
        """Return the key of a front page in ``language``: the archive's fingerprint and the UI catalogs."""
        return ("front", language, self.version, self.watch.current(), self._ui_key())

    def category(self, language: str, category: str) -> Hashable | None:
        """Return the key of a category page, made like a front page's; ``None`` for an unknown category."""
        if category not in CATEGORIES:
            return None
        return ("category", language, category, self.version, self.watch.current(), self._ui_key())

    def article(self, language: str, slug: str) -> Hashable | None:
        """Return the key of an article page; ``None`` when there is no such source (not cached)."""
        if not is_valid_slug(slug):
            return None
        source = _identity(f"{self._content}/{slug}.md")
        if source is None:
            return None
        catalogs = tuple(_identity(f"{folder}/articles/{slug}.po") for folder in self._catalogs.values())
        known = self._images.get(slug)
        if known is None or known[0] != source:
            known = self._images[slug] = (source, self._lead_image(slug))
        image = known[1]
        return ("article", language, slug, self.version, source, catalogs, self._ui_key(),
                _identity(image) if image is not None else None)

    def _lead_image(self, slug: str) -> str | None:
        """Return the path of the lead image file the article ``slug`` shows, if any."""
        try:
            return self._sources.image_path(self._sources.article(slug))
        except ArticleNotFound:
            return None

    def of(self, page: tuple[str, ...]) -> Hashable | None:
        """Return the key of a page named as :func:`.page_cache.page_of` names it."""
        kind = page[0]
        if kind == "article":
            return self.article(page[1], page[2])
        if kind == "front":
            return self.front(page[1])
        if kind == "category":
            return self.category(page[1], page[2])
        return self.root()


def _identity(path: str) -> tuple[int, int, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
