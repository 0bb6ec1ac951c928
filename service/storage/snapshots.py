"""Snapshots of downloaded catalogs, so an upload can tell its own edits from others' (a three-way merge).

A download names its revision in the ``X-Base-Revision`` header and keeps the file as it was
under ``INSTANCE_DIR/snapshots``; the upload of that file finds it again as its base.
Snapshots not downloaded for :data:`SNAPSHOT_MAX_AGE` seconds are removed.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import polib

from ..domain.names import CatalogKey
from ..domain.po_format import CatalogError, format_catalog, parse_catalog
from ..domain.uploads import BASE_REVISION_HEADER
from .catalogs import CatalogStore
from .po_files import read_catalog, write_atomically

__all__ = ["BASE_REVISION_HEADER", "SNAPSHOT_MAX_AGE", "Snapshots"]

#: Seconds a downloaded catalog's snapshot is kept after its last download (90 days).
SNAPSHOT_MAX_AGE = 90 * 24 * 60 * 60
_REVISION = re.compile(r"^[0-9a-f]{20}$")


class Snapshots:
    """The snapshots of the catalogs of one store, in ``folder``."""

    def __init__(self, folder: Path, catalogs: CatalogStore) -> None:
        self.folder = folder
        self.catalogs = catalogs

    def download(self, key: CatalogKey) -> bytes:
        """Return the catalog as a PO file naming its revision, kept as a snapshot for merging its upload."""
        data, shown = self.catalogs.file_bytes(key)
        revision = hashlib.sha256(data).hexdigest()[:20]
        snapshot = self._path(key, revision)
        if snapshot.exists():
            os.utime(snapshot)  # downloaded again: kept as long as if it were new
        else:
            write_atomically(snapshot, data)
            _prune(snapshot.parent)
        catalog = parse_catalog(data, shown)
        catalog.metadata[BASE_REVISION_HEADER] = revision
        return format_catalog(catalog).encode("utf-8")

    def base_catalog(self, key: CatalogKey, revision: str | None) -> polib.POFile | None:
        """Return the catalog as downloaded at ``revision``; ``None`` when unknown, removed or unreadable."""
        if not revision or not _REVISION.match(revision.strip()):
            return None
        try:
            return read_catalog(self._path(key, revision.strip()))
        except (OSError, CatalogError):
            return None

    def _path(self, key: CatalogKey, revision: str) -> Path:
        return self.folder / key.language / key.domain.replace("/", "__") / f"{revision}.po"


def _prune(folder: Path) -> None:
    """Remove a catalog's snapshots not downloaded for :data:`SNAPSHOT_MAX_AGE` seconds.

    An upload based on a removed snapshot still merges; without its base, every entry
    changed on both sides is reported as a conflict rather than told apart.
    """
    oldest = time.time() - SNAPSHOT_MAX_AGE
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.name.endswith(".po") and entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)
            except FileNotFoundError:  # another worker removed it first
                continue
