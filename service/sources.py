"""Article sources as the editor dashboard sees them: title, category, date, source language.

Only the front matter is read (the body is the catalogs' business), cached per file and
reloaded when the file changes, so listing ten thousand articles costs a ``stat`` each.
"""
from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import os
from typing import Any

from .articles import SourceError, _split_front_matter
from .catalogs import FileCache
from .coverage import ArticleInfo
from .layout import is_valid_slug


def read_article_info(path: Path | str) -> ArticleInfo | None:
    """Read the front matter of the source at ``path``; ``None`` if it cannot be read."""
    path = Path(path)
    try:
        front, _body, _first = _split_front_matter(str(path), path.read_text(encoding="utf-8"))
        data = tomllib.loads("\n".join(front))
    except (SourceError, UnicodeDecodeError, tomllib.TOMLDecodeError, OSError):
        return None
    title = data.get("title")
    category = data.get("category")
    published = data.get("published")
    if isinstance(published, str):
        try:
            published = datetime.fromisoformat(published)
        except ValueError:
            published = None
    if not isinstance(published, datetime) or published.tzinfo is None:
        published = None
    source_language = data.get("source_language")
    return ArticleInfo(
        slug=path.stem,
        title=title.strip() if isinstance(title, str) and title.strip() else path.stem,
        category=category if isinstance(category, str) else None,
        published=published,
        source_language=source_language if isinstance(source_language, str) else None,
    )


class SourceIndex:
    """The front matter of every source in ``CONTENT_DIR``, cached by file identity."""

    def __init__(self, content_dir: Path, max_cached: int = 200_000) -> None:
        self.content_dir = content_dir
        self._cache: FileCache[ArticleInfo | None] = FileCache(read_article_info, max_cached)
        self._last: tuple[Any, dict[str, ArticleInfo]] | None = None

    def _listing(self) -> dict[str, tuple[str, tuple[int, int, int, int]]]:
        listing = {}
        try:
            entries = os.scandir(self.content_dir)
        except FileNotFoundError:
            return listing
        with entries:
            for entry in entries:
                slug = entry.name[:-3]
                if not entry.name.endswith(".md") or not is_valid_slug(slug):
                    continue
                try:
                    status = entry.stat()
                except FileNotFoundError:
                    continue
                listing[slug] = (entry.path, (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns))
        return listing

    def articles(self) -> dict[str, ArticleInfo]:
        """Return every readable source by slug (the same dict as last time if no file changed)."""
        listing = self._listing()
        if self._last is not None and self._last[0] == listing:
            return self._last[1]
        found = {}
        for slug in sorted(listing):
            path, identity = listing[slug]
            try:
                info = self._cache.get_with_identity(path, identity)[1]  # type: ignore[arg-type]
            except FileNotFoundError:
                continue
            if info is not None:
                found[slug] = info
        self._last = (listing, found)
        return found
