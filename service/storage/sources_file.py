"""Front matter remembered in ``INSTANCE_DIR``, so a new process need not read every source to list them.

A front page lists the archive newest first, which takes every source's date: over ten
thousand sources, reading them all is a second or more of a new worker's first front page.
``sources.json`` keeps each source's front matter with its file's identity (inode, size,
mtime, ctime); an entry counts only while its file still has that identity, so a changed,
copied or damaged file costs a re-read, never a wrong listing. A source with a lead image
is listed only while its image can be shown, which is that file's say: such an entry keeps
the image's identity too, and counts only while both files are as they were.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ..domain.articles import ArticleInfo
from ..domain.images import IMAGES_FOLDER
from .file_cache import FileIdentity, file_identity
from .po_files import write_atomically

logger = logging.getLogger(__name__)

#: Where, in the instance folder, the sources' front matter is remembered for the next process.
SOURCES_FILE_NAME = "sources.json"
FORMAT = 2

#: One remembered source: its path, the identity of the file it was read from, its front matter,
#: and the identity its lead image had (``None``: no lead image).
Remembered = tuple[str, FileIdentity, ArticleInfo, FileIdentity | None]


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
           source_language: str | None, image: str | None, image_identity: list[int] | None) -> Remembered:
    texts = (source, slug, title)
    optional = (category, published, source_language, image)
    identities = [identity] if image is None and image_identity is None else [identity, image_identity]
    if (any(type(found) is not list or len(found) != 4 or any(type(number) is not int for number in found)
            for found in identities)
            or any(type(text) is not str for text in texts)
            or any(value is not None and type(value) is not str for value in optional)):
        raise ValueError(f"a malformed entry for {source!r}")
    moment = datetime.fromisoformat(published) if published is not None else None
    if moment is not None and moment.tzinfo is None:
        raise ValueError(f"a date without a time zone for {source!r}")
    info = ArticleInfo(slug, title, category, moment, source_language, image)
    return source, _identity(identity), info, _identity(image_identity) if image_identity is not None else None


def _identity(numbers: list[int]) -> FileIdentity:
    return numbers[0], numbers[1], numbers[2], numbers[3]


def image_path(source: str, image: str) -> Path:
    """Return where the lead image ``image`` of the source at ``source`` is."""
    return Path(source).parent / IMAGES_FOLDER / image


def write_sources_file(path: Path, entries: Iterable[tuple[str, FileIdentity, ArticleInfo | None]]) -> None:
    """Write the front matter of every readable source, with its lead image's identity; a failure is logged (only a cache)."""
    rows = []
    for source, identity, info in entries:
        if info is None:
            continue
        image_identity = file_identity(image_path(source, info.image)) if info.image is not None else None
        if info.image is not None and image_identity is None:
            continue  # gone since it was read: read again next time
        rows.append([source, list(identity), info.slug, info.title, info.category,
                     info.published.isoformat() if info.published is not None else None, info.source_language,
                     info.image, list(image_identity) if image_identity is not None else None])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps({"format": FORMAT, "sources": rows}, ensure_ascii=False,
                                          separators=(",", ":")).encode("utf-8"))
    except OSError as error:
        logger.warning("%s: sources not remembered (%s)", path, error)
