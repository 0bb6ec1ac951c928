"""The article sources of ``CONTENT_DIR``, parsed once per process and again when a file changes.

The list of sources is read again only when the directory changes (a source added,
removed or renamed); each source is parsed again only when its own file changes. A
source that cannot be parsed is logged and left out: readers never see a half-parsed article.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Iterable

from .articles import Article, SourceError, load_article
from .catalogs import FileCache, file_identity
from .layout import is_valid_slug

logger = logging.getLogger(__name__)


class ArticleNotFound(LookupError):
    """No readable article source by that slug."""


class SourceStore:
    """Read the article sources of one content directory, cached by file identity."""

    def __init__(self, content_dir: Path, languages: Iterable[str], max_cached: int = 16384) -> None:
        self.content_dir = content_dir
        self.languages = list(languages)
        self._parsed: FileCache[Article | SourceError] = FileCache(self._load, max_cached)
        self._listing: tuple[object, tuple[str, ...]] | None = None
        self._listing_lock = threading.Lock()

    def _load(self, path: Path) -> Article | SourceError:
        try:
            return load_article(path, self.languages, f"{self.content_dir.name}/{path.name}")
        except (SourceError, OSError) as error:
            logger.error("article source not served: %s", error)
            return error if isinstance(error, SourceError) else SourceError(path, 1, str(error))

    def slugs(self) -> tuple[str, ...]:
        """Return the slugs of every source file, sorted (read again when the directory changes)."""
        identity = file_identity(self.content_dir)
        with self._listing_lock:
            if self._listing is not None and self._listing[0] == identity:
                return self._listing[1]
        found = tuple(sorted(path.stem for path in self.content_dir.glob("*.md") if is_valid_slug(path.stem)))
        with self._listing_lock:
            self._listing = (identity, found)
        return found

    def article(self, slug: str) -> Article:
        """Return the parsed article ``slug``; raise :class:`ArticleNotFound` if missing or broken."""
        if not is_valid_slug(slug):
            raise ArticleNotFound(slug)
        try:
            parsed = self._parsed.get(self.content_dir / f"{slug}.md")
        except FileNotFoundError:
            raise ArticleNotFound(slug) from None
        if isinstance(parsed, SourceError):
            raise ArticleNotFound(slug)
        return parsed

    def articles(self) -> list[Article]:
        """Return every readable article, newest first."""
        found = []
        for slug in self.slugs():
            try:
                found.append(self.article(slug))
            except ArticleNotFound:
                continue
        return sorted(found, key=lambda article: (article.published, article.slug), reverse=True)
