"""Catalog statistics remembered in ``INSTANCE_DIR``, so a new process need not read every catalog.

A gunicorn worker (or an ``l10n coverage`` run) starts with empty caches; over ten thousand
articles, reading every catalog for its figures takes seconds. The figures are kept in
``statistics.json`` with each file's identity (inode, size, mtime, ctime): an entry counts
only while its file still has that identity, so a stale, copied or damaged file costs a
re-read, never a wrong figure.
"""
from __future__ import annotations

import json
import logging
from dataclasses import fields
from pathlib import Path
from typing import Iterable

from ..domain.statistics import CatalogStatistics
from .po_files import write_atomically

logger = logging.getLogger(__name__)

FORMAT = 2
_COUNTS = tuple(field.name for field in fields(CatalogStatistics) if field.name != "headers")

#: One remembered catalog: its path, the identity of the file the figures were read from, the figures.
Remembered = tuple[str, tuple[int, ...], CatalogStatistics]


def read_statistics_file(path: Path) -> list[Remembered]:
    """Return the remembered figures; nothing when the file is missing, unreadable or not ours."""
    try:
        data = json.loads(path.read_bytes())
        return [_entry(*item) for item in data["catalogs"]] if data.get("format") == FORMAT else []
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("%s: not used (%s); the catalogs are read instead", path, error)
        return []


def _entry(catalog: str, identity: list[int], counts: list[int], headers: dict[str, str]) -> Remembered:
    if (type(catalog) is not str or len(identity) != 4 or len(counts) != len(_COUNTS)
            or set(map(type, identity + counts)) != {int} or set(map(type, headers.values())) - {str}):
        raise ValueError(f"a malformed entry for {catalog!r}")
    figures = CatalogStatistics(**dict(zip(_COUNTS, counts)), headers=tuple(headers.items()))
    return catalog, tuple(identity), figures


def write_statistics_file(path: Path, entries: Iterable[Remembered]) -> None:
    """Write the figures for the next process; a failure is logged (the figures are only a cache)."""
    data = {"format": FORMAT, "catalogs": [
        [catalog, list(identity), [getattr(figures, name) for name in _COUNTS], dict(figures.headers)]
        for catalog, identity, figures in entries]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except OSError as error:
        logger.warning("%s: statistics not remembered (%s)", path, error)
