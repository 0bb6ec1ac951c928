"""Article sources as the editor dashboard sees them: title, category, date, source language.

Only the front matter is read (the body is the catalogs' business), cached per file and
reloaded when the file changes, so listing ten thousand articles costs a ``stat`` each.
"""
from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

from .articles import SourceError, _split_front_matter
from .catalogs import FileCache
from .coverage import ArticleInfo
from .layout import is_valid_slug


def read_article_info(path: Path) -> ArticleInfo | None:
    """Read the front matter of the source at ``path``; ``None`` if it cannot be read."""
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

    def articles(self) -> dict[str, ArticleInfo]:
        """Return every readable source by slug."""
        found = {}
        for path in sorted(self.content_dir.glob("*.md")):
            if not is_valid_slug(path.stem):
                continue
            try:
                info = self._cache.get(path)
            except FileNotFoundError:
                continue
            if info is not None:
                found[path.stem] = info
        return found
