"""Front matter remembered in ``INSTANCE_DIR``, so a new process need not read every source to list them.

A front page lists the archive newest first, which takes every source's date: over ten
thousand sources, reading them all is a second or more of a new worker's first front page.
``sources.json`` keeps each source's front matter with its file's identity (inode, size,
mtime, ctime); an entry counts only while its file still has that identity, so a changed,
copied or damaged file costs a re-read, never a wrong listing. Sources with a lead image are
not remembered: whether the image can be shown depends on another file, checked on reading.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ..domain.articles import ArticleInfo
from .file_cache import FileIdentity
from .po_files import write_atomically

logger = logging.getLogger(__name__)

#: Where, in the instance folder, the sources' front matter is remembered for the next process.
SOURCES_FILE_NAME = "sources.json"
FORMAT = 1

#: One remembered source: its path, the identity of the file it was read from, its front matter.
Remembered = tuple[str, FileIdentity, ArticleInfo]


def read_sources_file(path: Path) -> list[Remembered]:
    """Return the remembered front matter; nothing when the file is missing, unreadable or not ours."""
    try:
        data = json.loads(path.read_bytes())
        return [_entry(*item) for item in data["sources"]] if data.get("format") == FORMAT else []
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("%s: not used (%s); the sources are read instead", path, error)
        return []


def _entry(source: str, identity: list[int], slug: str, title: str, category: str | None, published: str | None,
           source_language: str | None) -> Remembered:
    texts = (source, slug, title)
    optional = (category, published, source_language)
    if (len(identity) != 4 or any(type(number) is not int for number in identity)
            or any(type(text) is not str for text in texts)
            or any(value is not None and type(value) is not str for value in optional)):
        raise ValueError(f"a malformed entry for {source!r}")
    moment = datetime.fromisoformat(published) if published is not None else None
    if moment is not None and moment.tzinfo is None:
        raise ValueError(f"a date without a time zone for {source!r}")
    return source, (identity[0], identity[1], identity[2], identity[3]), ArticleInfo(slug, title, category, moment, source_language)


def write_sources_file(path: Path, entries: Iterable[tuple[str, FileIdentity, ArticleInfo | None]]) -> None:
    """Write the front matter of every readable source without a lead image; a failure is logged (only a cache)."""
    data = {"format": FORMAT, "sources": [
        [source, list(identity), info.slug, info.title, info.category,
         info.published.isoformat() if info.published is not None else None, info.source_language]
        for source, identity, info in entries if info is not None and info.image is None]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except OSError as error:
        logger.warning("%s: sources not remembered (%s)", path, error)
