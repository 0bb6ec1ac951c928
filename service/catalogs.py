"""The catalog store: the one door through which the service reads and writes PO/MO files.

Reading is cached per process and keyed by file identity (inode, size, mtime), so a
catalog saved by another worker process is picked up on the next request without a
restart, and the cache holds at most ``max_cached`` catalogs (least recently used out).
Writing happens under a per-catalog lock that works across processes (``flock``), through
a temporary file renamed over the catalog, and recompiles the ``.mo`` beside it.
"""
from __future__ import annotations

import fcntl
import hashlib
import gettext
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Generic, Iterator, TypeVar

import polib

from .layout import Layout, UnknownDomain, is_valid_language
from .pofiles import format_catalog, read_catalog, write_atomically

T = TypeVar("T")
FileIdentity = tuple[int, int, int, int]


class CatalogNotFound(LookupError):
    """No catalog of that language and domain."""


def file_identity(path: Path) -> FileIdentity | None:
    """Return what changes when a file is replaced or rewritten, ``None`` if it is missing."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class FileCache(Generic[T]):
    """A bounded least-recently-used cache of values loaded from files, reloaded when a file changes."""

    def __init__(self, load: Callable[[Path], T], max_entries: int) -> None:
        self._load = load
        self._max_entries = max_entries
        self._entries: OrderedDict[Path, tuple[FileIdentity, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path) -> T:
        """Return the value loaded from ``path``, loading it again if the file changed."""
        identity = file_identity(path)
        if identity is None:
            raise FileNotFoundError(path)
        with self._lock:
            cached = self._entries.get(path)
            if cached is not None and cached[0] == identity:
                self._entries.move_to_end(path)
                return cached[1]
        value = self._load(path)
        with self._lock:
            self._entries[path] = (identity, value)
            self._entries.move_to_end(path)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def _load_translations(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as stream:
        return gettext.GNUTranslations(stream)


class CatalogStore:
    """Read, cache, lock and write the catalogs of one ``LOCALES_DIR``."""

    def __init__(self, layout: Layout, languages: list[str], lock_dir: Path, max_cached: int = 512) -> None:
        self.layout = layout
        self.languages = list(languages)
        self.lock_dir = lock_dir
        self._parsed: FileCache[polib.POFile] = FileCache(read_catalog, max_cached)
        self._compiled: FileCache[gettext.GNUTranslations] = FileCache(_load_translations, max_cached)
        self._thread_locks: dict[Path, threading.Lock] = {}
        self._thread_locks_guard = threading.Lock()

    def path(self, language: str, domain: str) -> Path:
        """Return the catalog path; raise :class:`CatalogNotFound` for an unknown language or domain."""
        if language not in self.languages or not is_valid_language(language):
            raise CatalogNotFound(f"unknown language {language!r}")
        try:
            return self.layout.catalog(language, domain)
        except (UnknownDomain, ValueError) as error:
            raise CatalogNotFound(str(error)) from None

    def exists(self, language: str, domain: str) -> bool:
        """Tell whether a catalog of ``domain`` in ``language`` exists."""
        try:
            return self.path(language, domain).exists()
        except CatalogNotFound:
            return False

    def catalog(self, language: str, domain: str) -> polib.POFile:
        """Return the parsed catalog, shared and cached: treat it as read-only."""
        try:
            return self._parsed.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def read(self, language: str, domain: str) -> polib.POFile:
        """Return a fresh parse of the catalog, to change and :meth:`write` back."""
        path = self.path(language, domain)
        if not path.exists():
            raise CatalogNotFound(f"no catalog {language}/{domain}")
        return read_catalog(path)

    def translations(self, language: str, domain: str) -> gettext.NullTranslations:
        """Return the compiled translations (``.mo``); empty ones when there is no catalog."""
        try:
            compiled = self.path(language, domain).with_suffix(".mo")
            return self._compiled.get(compiled)
        except (CatalogNotFound, FileNotFoundError):
            return gettext.NullTranslations()

    @contextmanager
    def lock(self, language: str, domain: str) -> Iterator[None]:
        """Hold the catalog's lock, shared by every thread and process of this store."""
        path = self.path(language, domain)
        with self._thread_locks_guard:
            thread_lock = self._thread_locks.setdefault(path, threading.Lock())
        lock_path = self.lock_dir / language / (domain.replace("/", "__") + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with thread_lock, open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, language: str, domain: str, catalog: polib.POFile) -> None:
        """Write ``catalog`` atomically and recompile its ``.mo``; call while holding :meth:`lock`."""
        path = self.path(language, domain)
        write_atomically(path, format_catalog(catalog).encode("utf-8"))
        write_atomically(path.with_suffix(".mo"), catalog.to_binary())
        os.utime(path.with_suffix(".mo"))  # never older than the catalog it came from


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """Return the stable id of an entry: 16 hex digits of SHA-1 over ``msgctxt + "\\x04" + msgid``."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
