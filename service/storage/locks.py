"""The per-catalog lock that every writer of a catalog holds, across processes.

The service's saves and uploads, ``l10n update`` and ``l10n compile`` all read a catalog,
change it and write it back. Each holds the catalog's lock from the read to the write, so
none of them writes over what another wrote meanwhile: a translator's save made while an
editor runs ``l10n update`` is merged, not lost. The lock is an ``flock`` on a file under
``INSTANCE_DIR/locks``, which the CLI and the server find through the same settings.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .po_files import StorageUnavailable


def lock_folder(instance_dir: Path) -> Path:
    """Return the folder of the catalogs' lock files in ``INSTANCE_DIR``."""
    return instance_dir / "locks"


@contextmanager
def catalog_lock(lock_dir: Path, language: str, domain: str) -> Iterator[None]:
    """Hold the lock of the catalog of ``domain`` in ``language`` (waiting for whoever has it)."""
    lock_path = lock_dir / language / (domain.replace("/", "__") + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")
    except OSError as error:  # INSTANCE_DIR missing and not creatable, read-only, full
        raise StorageUnavailable(lock_path, error) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
