"""PO files on disk: read and validate one, write one atomically (temporary file + rename), clean up after a crash.

A write is staged first (the whole text in a temporary file beside the target, synced) and
then renamed over the target, so a reader sees the old file or the new one, never a part.
A fault of the file system (disk full, read-only folder, missing folder) while staging
raises :class:`StorageUnavailable` naming the file, and leaves the target as it was.
"""
from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polib

#: Faults of the file system rather than of the request: the service answers them with 503.
UNAVAILABLE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT,
                                errno.ENOTDIR, errno.EIO})
_TEMPORARY_SUFFIX = ".tmp"


class StorageUnavailable(OSError):
    """The file system refused a write (disk full, read-only, folder missing): nothing was changed."""

    def __init__(self, path: Path | str, cause: OSError) -> None:
        reason = cause.strerror or str(cause)
        super().__init__(cause.errno, f"cannot write {path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def unavailable(path: Path | str, error: OSError) -> OSError:
    """Return ``error`` as :class:`StorageUnavailable` when it is a fault of the file system, else as it is."""
    if isinstance(error, StorageUnavailable) or error.errno not in UNAVAILABLE_ERRNOS:
        return error
    return StorageUnavailable(path, error)


def read_catalog(path: Path, display_path: str | None = None) -> polib.POFile:
    """Read and validate the PO (or POT) file at ``path``."""
    # The parser is heavy to import; writing files needs none of it.
    from ..domain.po_format import parse_catalog

    return parse_catalog(path.read_bytes(), display_path or str(path))


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file beside ``path`` and return it; raise :class:`StorageUnavailable`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX)
    except OSError as error:
        raise unavailable(path, error) from error
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temporary, mode)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise unavailable(path, error) from error
        raise
    return temporary


def commit(temporary: Path, path: Path) -> None:
    """Rename a staged ``temporary`` file over ``path``; raise :class:`StorageUnavailable` (the file unchanged)."""
    try:
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise unavailable(path, error) from error


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it."""
    commit(stage(path, data), path)


def temporary_files(path: Path) -> list[Path]:
    """Return the temporary files a write of ``path`` left behind (a process killed between stage and commit)."""
    return sorted(path.parent.glob(f".{_glob_escape(path.name)}.*{_TEMPORARY_SUFFIX}"))


def temporary_targets(folder: Path) -> set[str]:
    """Return the names of the files in ``folder`` that a write left temporary files of (one listing of it).

    A temporary file is ``.<name>.<random>.tmp`` (:func:`stage`); listing the folder once is
    what lets start-up look at every catalog without a listing per catalog.
    """
    targets: set[str] = set()
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return targets
    with entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") and name.endswith(_TEMPORARY_SUFFIX):
                target, _dot, _random = name[1:-len(_TEMPORARY_SUFFIX)].rpartition(".")
                if target:
                    targets.add(target)
    return targets


def remove_stale_temporaries(folder: Path, min_age: float) -> list[Path]:
    """Remove the ``.<name>.*.tmp`` files under ``folder`` older than ``min_age`` seconds (no live write is that slow)."""
    removed: list[Path] = []
    now = time.time()
    for orphan in folder.rglob(f".*{_TEMPORARY_SUFFIX}"):
        try:
            if orphan.is_file() and now - orphan.stat().st_mtime >= min_age:
                orphan.unlink()
                removed.append(orphan)
        except FileNotFoundError:
            continue
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)
