"""Article sources of ``CONTENT_DIR``, parsed once per process and again when a file changes.

Two views of the same files: :class:`SourceStore` parses whole articles for the reader;
:class:`SourceIndex` reads only the front matter (title, category, date, source language),
so listing ten thousand articles — the editor dashboard, a front page — costs a ``stat``
each. A source that cannot be parsed is logged and left out.
"""
from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.articles import (
    Article,
    ArticleInfo,
    SourceError,
    parse_article,
    split_front_matter,
)
from ..domain.images import IMAGES_FOLDER, ImageError, check_image_name
from ..domain.names import is_valid_slug
from . import parallel_reads
from .file_cache import FileCache, FileIdentity, file_identity, scan_by_slug
from .images import read_image
from .remember_pace import RememberPace
from .sources_file import image_path, read_sources_file, write_sources_file

logger = logging.getLogger(__name__)


#: Parsed articles one process keeps (least recently used out). A parsed article takes ~15 KB;
#: the reader's page cache keeps the rendered pages, so more would only cost memory.
MAX_PARSED_ARTICLES = 512


class ArticleNotFound(LookupError):
    """No readable article source by that slug."""


class SourceStore:
    """Read the article sources of one content directory, cached by file identity."""

    def __init__(self, content_dir: Path, languages: Iterable[str], max_cached: int = MAX_PARSED_ARTICLES,
                 remembered: Path | None = None, remember: bool = True,
                 before_recall: Callable[[], None] | None = None) -> None:
        self.content_dir = content_dir
        self.languages = list(languages)
        #: Each parsed article with its lead image file's identity when it was read.
        self._parsed: FileCache[tuple[Article | SourceError, FileIdentity | None]] = FileCache(self._load, max_cached)
        self._index = SourceIndex(content_dir, remembered=remembered, remember=remember, before_recall=before_recall)
        self._listing: tuple[dict[str, ArticleInfo], list[ArticleInfo]] | None = None

    def _load(self, path: Path) -> tuple[Article | SourceError, FileIdentity | None]:
        try:
            article = load_article(path, self.languages, f"{self.content_dir.name}/{path.name}")
        except (SourceError, OSError) as error:
            logger.error("article source not served: %s", error)
            return (error if isinstance(error, SourceError) else SourceError(path, 1, str(error))), None
        image = self.image_path(article)
        return article, file_identity(image) if image is not None else None

    def article(self, slug: str) -> Article:
        """Return the parsed article ``slug``; raise :class:`ArticleNotFound` if missing or broken.

        The parsed copy is read again when the source changes or when its lead image file does
        (its size and digest are part of the page).
        """
        if not is_valid_slug(slug):
            raise ArticleNotFound(slug)
        path = self.content_dir / f"{slug}.md"
        try:
            identity, (parsed, image_identity) = self._parsed.get_with_identity(path)
        except FileNotFoundError:
            raise ArticleNotFound(slug) from None
        image = self.image_path(parsed)
        if image is not None and file_identity(image) != image_identity:
            loaded = self._load(path)
            self._parsed.put(str(path), identity, loaded)
            parsed = loaded[0]
        if isinstance(parsed, SourceError):
            raise ArticleNotFound(slug)
        return parsed

    def image_path(self, article: Article | SourceError) -> str | None:
        """Return the path of ``article``'s lead image file, ``None`` if it names none."""
        if isinstance(article, SourceError) or article.image is None:
            return None
        return str(self.content_dir / IMAGES_FOLDER / article.image.name)

    def articles(self) -> dict[str, ArticleInfo]:
        """Return the front matter of every readable source by slug (the same dict while none changed)."""
        return self._index.articles()

    def read_all(self, processes: int = 1, progress: Callable[[int], None] | None = None) -> int:
        """Read the front matter of every source not known yet (spread over ``processes``); return how many were read."""
        return self._index.read_all(processes, progress)

    def cached_articles(self) -> int:
        """Count the parsed articles held in memory (at most ``max_cached``)."""
        return len(self._parsed)

    def folder_listing(self) -> dict[str, tuple[str, FileIdentity]]:
        """Return the path and identity of every source as the last :meth:`listing` found them."""
        return self._index.folder_listing()

    def listing(self) -> list[ArticleInfo]:
        """Return the front matter of every dated source in a supported language, newest first.

        Only front matter is read, so listing thousands of sources stays cheap; an article's
        body is parsed when it is shown (:meth:`article`).
        """
        found = self._index.articles()  # the same dict as last time when no source changed
        if self._listing is not None and self._listing[0] is found:
            return self._listing[1]
        listed = sorted((info for info in found.values()
                         if info.published is not None and info.source_language in self.languages),
                        key=lambda info: (info.published, info.slug), reverse=True)
        self._listing = (found, listed)
        return listed


def load_article(path: Path, languages: Iterable[str], display_path: str | None = None) -> Article:
    """Read and parse the source file at ``path``, its lead image checked; errors name ``display_path`` (default: ``path``)."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:  # a directory named *.md, a broken link, no permission
        raise SourceError(shown, 1, f"cannot read the file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(shown, line, "the file is not UTF-8 text") from None
    article = parse_article(shown, text, languages, slug=path.stem)
    if article.image is None:
        return article
    try:
        image = read_image(path.parent / IMAGES_FOLDER / article.image.name)
    except ImageError as error:
        raise SourceError(shown, article.image.line, f"image {article.image.name!r}: {error}") from None
    return replace(article, image=replace(article.image, size=image.size, digest=image.etag))


def read_article_info(path: Path | str) -> ArticleInfo | None:
    """Read the front matter of the source at ``path``; ``None`` if it cannot be read."""
    path = Path(path)
    try:
        front, _body, _first = split_front_matter(str(path), path.read_text(encoding="utf-8"))
        data = tomllib.loads("\n".join(front))
    except (SourceError, UnicodeDecodeError, tomllib.TOMLDecodeError, OSError):
        return None
    if "image" in data and not _image_usable(path, data["image"]):
        return None  # its page answers 404: no list, sitemap or feed names it
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
        image=data["image"] if "image" in data else None,
    )


def _image_usable(source: Path, name: object) -> bool:
    """Tell whether a source's lead image is a file its page can show (as :func:`load_article` checks it)."""
    try:
        if not isinstance(name, str):
            return False
        read_image(source.parent / IMAGES_FOLDER / check_image_name(name))
    except ImageError:
        return False
    return True


class SourceIndex:
    """The front matter of every source in ``CONTENT_DIR``, cached by file identity.

    With ``remembered`` (``INSTANCE_DIR/sources.json``), a new process takes the front matter
    the last one read for every source that has not changed since (:mod:`.sources_file`), and
    writes what it read for the next (unless ``remember`` is off: a reader replica).
    ``before_recall`` is called before the file is first read (a start's reader may be writing it).
    """

    def __init__(self, content_dir: Path, max_cached: int = 200_000, remembered: Path | None = None,
                 remember: bool = True, before_recall: Callable[[], None] | None = None) -> None:
        self.content_dir = content_dir
        self.remembered = remembered
        self.remember = remember
        self._before_recall = before_recall
        self._cache: FileCache[ArticleInfo | None] = FileCache(read_article_info, max_cached)
        self._last: tuple[Any, dict[str, ArticleInfo]] | None = None
        self._recalled = False
        self._pace = RememberPace()

    def folder_listing(self) -> dict[str, tuple[str, FileIdentity]]:
        """Return the path and identity of every source as the last :meth:`articles` found them."""
        return self._last[0] if self._last is not None else {}

    def articles(self) -> dict[str, ArticleInfo]:
        """Return every readable source by slug (the same dict as last time if no file changed)."""
        return self._articles(scan_by_slug(self.content_dir, ".md"))

    def _articles(self, listing: dict[str, tuple[str, FileIdentity]]) -> dict[str, ArticleInfo]:
        if self._last is not None and self._last[0] == listing:
            return self._last[1]
        self._recall(listing)
        found = {}
        for slug in sorted(listing):
            path, identity = listing[slug]
            try:
                info = self._cache.get_with_identity(path, identity)[1]
            except FileNotFoundError:
                continue
            if info is not None:
                found[slug] = info
        self._last = (listing, found)
        if self.remembered is not None and self.remember and self._pace.due(self._cache.loads, len(self._cache)):
            write_sources_file(self.remembered, self._cache.items())
        return found

    def read_all(self, processes: int = 1, progress: Callable[[int], None] | None = None) -> int:
        """Read the front matter of every source neither cached nor remembered, spread over up to ``processes``.

        A start reads the whole archive this way once, before its workers fork, instead of
        each worker reading it on its first front page; the result is remembered as
        :meth:`articles` remembers it. Return how many sources were read; ``progress`` is
        told how many more are done, as they are.
        """
        listing = scan_by_slug(self.content_dir, ".md")
        self._recall(listing)
        todo = self._cache.missing(listing.values())
        for (path, identity), info in zip(todo, parallel_reads.read_all(read_article_info, [path for path, _identity in todo],
                                                                        processes, progress)):
            self._cache.loaded(path, identity, info)
        self._articles(listing)
        return len(todo)

    def _recall(self, listing: dict[str, tuple[str, FileIdentity]]) -> None:
        """Take the front matter the last process remembered, for every source listed as it was then."""
        if self._recalled or self.remembered is None:
            return
        self._recalled = True
        if self._before_recall is not None:
            self._before_recall()
        for path, identity, info, image_identity in read_sources_file(self.remembered):
            if listing.get(info.slug) != (path, identity):
                continue
            if info.image is not None and file_identity(image_path(path, info.image)) != image_identity:
                continue  # the image changed since: whether it can be shown is read again
            self._cache.put(path, identity, info)
