"""``l10n check`` results remembered in ``INSTANCE_DIR``, so a run re-checks only the catalogs that changed.

As ``statistics.json`` keeps coverage figures, ``check-results.json`` keeps each catalog's check
results with the identity of the file they were found in (inode, size, mtime, ctime) and the
*context* they depend on besides the file (the ``--fuzzy`` flag, the glossary of the catalog's
language). The whole file also names the code that found them (a digest of the checks' source and
of the libraries they use): an entry counts only while all of that is unchanged, so a changed
file, glossary or check costs a re-check, never a stale result. A damaged or foreign file is
ignored (and replaced by the next run that checks something).
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .file_cache import FileIdentity
from .po_files import write_atomically

logger = logging.getLogger(__name__)

#: Where, in the instance folder, the results are remembered.
CHECK_RESULTS_FILE_NAME = "check-results.json"
FORMAT = 1
#: The source of the checks: every module of the service (the checks use the domain's parsing, numbers
#: and markup; the pipeline builds the rows; storage reads the files). New code, new results.
_CODE_DIR = Path(__file__).resolve().parent.parent
#: The libraries whose behaviour the results depend on.
_LIBRARIES = ("langdetect", "markdown-it-py", "polib", "babel")

#: One result row of a catalog: line, entry id, msgctxt, msgid, check, level, message.
Row = list[Any]


@dataclass(frozen=True)
class RememberedResults:
    """A catalog's results as a run found them: the file's identity, the context and the rows."""

    identity: FileIdentity
    context: str
    rows: list[Row]


@lru_cache(maxsize=1)
def checks_version() -> str:
    """Return a digest of the checks' code: the service's source and the versions of the libraries it uses."""
    from importlib import metadata  # slow to import, and only l10n check needs it

    digest = hashlib.sha256()
    for path in sorted(_CODE_DIR.rglob("*.py")):
        digest.update(path.relative_to(_CODE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def read_check_results(path: Path, version: str) -> dict[str, RememberedResults]:
    """Return the remembered results by catalog path; nothing when the file is missing, damaged, foreign or older code's."""
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("checks") != version:
            return {}
        return {catalog: _entry(catalog, *item) for catalog, item in data["catalogs"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        logger.warning("%s: not used (%s); every catalog is checked", path, error)
        return {}


def _entry(catalog: str, identity: list[int], context: str, rows: list[Row]) -> RememberedResults:
    if (len(identity) != 4 or set(map(type, identity)) != {int} or type(context) is not str
            or not isinstance(rows, list) or not all(isinstance(row, list) and len(row) == 7 for row in rows)):
        raise ValueError(f"a malformed entry for {catalog!r}")
    return RememberedResults((identity[0], identity[1], identity[2], identity[3]), context, rows)


def write_check_results(path: Path, version: str, entries: Iterable[tuple[str, RememberedResults]]) -> None:
    """Write the results for the next run; a failure is logged (the results are only a cache)."""
    data = {"format": FORMAT, "checks": version,
            "catalogs": {catalog: [list(entry.identity), entry.context, entry.rows] for catalog, entry in entries}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except OSError as error:
        logger.warning("%s: check results not remembered (%s)", path, error)
