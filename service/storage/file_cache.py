"""Values loaded from files, cached per process and keyed by file identity (inode, size, mtime, ctime).

A file rewritten by another worker process, by hand or by ``git pull`` gets a new identity,
so the next read loads it again without a restart; an unchanged file costs one ``stat``.
"""
from __future__ import annotations

import errno
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

from ..domain.names import is_valid_slug

T = TypeVar("T")
#: What changes when a file is replaced or rewritten: inode, size, mtime and ctime (nanoseconds).
FileIdentity = tuple[int, int, int, int]
#: A file time this close to now may still move within the same clock tick: do not trust it yet.
SETTLE_SECONDS = 2.0


def file_identity(path: Path | str) -> FileIdentity | None:
    """Return what changes when a file is replaced or rewritten, ``None`` if it is missing."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:  # a name from a URL too long to be any file
            return None
        raise
    return identity_of(status)


def identity_of(status: os.stat_result) -> FileIdentity:
    """Return the identity of a file from its status (``os.stat`` or ``os.DirEntry.stat``)."""
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def scan_by_slug(directory: Path, suffix: str) -> dict[str, tuple[str, FileIdentity]]:
    """Return the path and identity of every ``<slug><suffix>`` file in ``directory`` (one ``scandir``)."""
    listing: dict[str, tuple[str, FileIdentity]] = {}
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return listing
    with entries:
        for entry in entries:
            slug = entry.name[:-len(suffix)]
            if not entry.name.endswith(suffix) or not is_valid_slug(slug):
                continue
            try:
                listing[slug] = (entry.path, identity_of(entry.stat()))
            except FileNotFoundError:
                continue
    return listing


def modification_times(directory: Path) -> dict[str, int]:
    """Return the modification time (nanoseconds) of every file in ``directory`` by name (one ``scandir``)."""
    found: dict[str, int] = {}
    try:
        entries = os.scandir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return found
    with entries:
        for entry in entries:
            try:
                found[entry.name] = entry.stat().st_mtime_ns
            except FileNotFoundError:
                continue
    return found


class FileCache(Generic[T]):
    """A bounded least-recently-used cache of values loaded from files, reloaded when a file changes."""

    def __init__(self, load: Callable[[Path], T], max_entries: int) -> None:
        self._load = load
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[FileIdentity, T]] = OrderedDict()
        self._lock = threading.Lock()
        #: How many times a value was loaded from its file (not found in the cache).
        self.loads = 0

    def get(self, path: Path | str) -> T:
        """Return the value loaded from ``path``, loading it again if the file changed."""
        return self.get_with_identity(path)[1]

    def get_with_identity(self, path: Path | str, identity: FileIdentity | None = None) -> tuple[FileIdentity, T]:
        """Return the identity of the file at ``path`` and the value loaded from it.

        A caller that already has the file's status (from ``os.scandir``) passes its identity.
        """
        identity = identity or file_identity(path)
        if identity is None:
            raise FileNotFoundError(path)
        key = os.fspath(path)
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] == identity:
                self._entries.move_to_end(key)
                return cached
        value = self._load(Path(path))
        self.put(key, identity, value)
        self.loads += 1
        return identity, value

    def last(self, path: Path | str) -> T | None:
        """Return the value last loaded from ``path``, whatever the file holds now (``None`` if none is cached)."""
        with self._lock:
            cached = self._entries.get(os.fspath(path))
        return cached[1] if cached is not None else None

    def put(self, path: str, identity: FileIdentity, value: T) -> None:
        """Keep ``value`` as what the file at ``path`` with ``identity`` holds."""
        with self._lock:
            self._entries[path] = (identity, value)
            self._entries.move_to_end(path)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def loaded(self, path: str, identity: FileIdentity, value: T) -> None:
        """Keep ``value``, just loaded from the file at ``path`` with ``identity`` elsewhere, as :meth:`get` would."""
        self.put(path, identity, value)
        self.loads += 1

    def missing(self, entries: Iterable[tuple[str, FileIdentity]]) -> list[tuple[str, FileIdentity]]:
        """Return the ``(path, identity)`` entries with no value cached for that identity (they would be loaded)."""
        with self._lock:
            return [(path, identity) for path, identity in entries
                    if (cached := self._entries.get(path)) is None or cached[0] != identity]

    def items(self) -> list[tuple[str, FileIdentity, T]]:
        """Return every cached path with its file identity and value."""
        with self._lock:
            return [(path, identity, value) for path, (identity, value) in self._entries.items()]

    def __len__(self) -> int:
        return len(self._entries)
