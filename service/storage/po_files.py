"""PO files on disk: read and validate one, write one atomically (temporary file + rename)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib

from ..domain.po_format import parse_catalog


def read_catalog(path: Path, display_path: str | None = None) -> polib.POFile:
    """Read and validate the PO (or POT) file at ``path``."""
    return parse_catalog(path.read_bytes(), display_path or str(path))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
