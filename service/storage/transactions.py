"""Several files and the history changed as one step: all of it, or none of it.

A catalog write replaces the ``.po`` and its ``.mo`` and records the change in the history.
The order chosen: stage every file first (a full disk fails here, before anything changed),
keep the old files aside as hard links (a link takes no data blocks), rename the new files
in, sync their folders (a rename is on disk only once its folder is), then record the history. If the history cannot be written (its database full, locked or
gone), the old files are renamed back — a rename needs no free space, so undoing cannot
fail the way writing did — and the error is raised. The other order (history first, rows
deleted on failure) would need the database to accept a delete on the disk that just
refused a write.
"""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .po_files import StorageUnavailable, commit, stage, unavailable

_BACKUP_SUFFIX = ".previous.tmp"


def run_steps(steps: Iterable[Callable[[], None]], path: Path) -> None:
    """Run the steps that belong to a write of ``path``; a database fault becomes :class:`StorageUnavailable`."""
    try:
        for step in steps:
            step()
    except sqlite3.Error as error:
        raise StorageUnavailable("the history database", OSError(errno.EIO, str(error))) from error
    except OSError as error:
        raise unavailable(path, error) from error


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk, so the renames in it survive a power loss; raise :class:`StorageUnavailable`."""
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as error:
        if error.errno in (errno.EINVAL, errno.ENOTSUP):  # a file system that cannot sync a folder
            return
        raise unavailable(folder, error) from error


def _keep_aside(path: Path) -> Path | None:
    """Keep the current file at ``path`` under another name (a hard link, else a copy); ``None`` if there is none."""
    if not path.exists():
        return None
    backup = path.with_name(f".{path.name}{_BACKUP_SUFFIX}")
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links: a copy
        staged = stage(path, path.read_bytes())
        shutil.move(staged, backup)
    return backup


def _put_back(path: Path, backup: Path | None) -> None:
    if backup is None:
        path.unlink(missing_ok=True)
    else:
        os.replace(backup, path)


def replace_together(files: Mapping[Path, bytes], steps: Iterable[Callable[[], None]] = ()) -> None:
    """Replace every file of ``files`` with its data, then run ``steps``; on any failure leave every file as it was."""
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            staged[path] = stage(path, data)
        try:
            for path in files:
                backups[path] = _keep_aside(path)
        except OSError as error:
            raise unavailable(path, error) from error
        for path, temporary in staged.items():
            commit(temporary, path)
            replaced.append(path)
        for folder in dict.fromkeys(path.parent for path in replaced):
            sync_folder(folder)
        run_steps(steps, next(iter(files)))
    except BaseException:
        for path in reversed(replaced):
            _put_back(path, backups.get(path))
        raise
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        for backup in backups.values():
            if backup is not None:
                backup.unlink(missing_ok=True)

