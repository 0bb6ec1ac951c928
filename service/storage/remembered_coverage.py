"""The last ``l10n coverage`` output, remembered in ``INSTANCE_DIR`` and printed again while nothing it shows changed.

Over 20,000 catalogs, recalling every catalog's figures, checking each file's identity and
building and printing the table takes over a second; printing a remembered output takes a few
milliseconds. One file per format and languages (``INSTANCE_DIR/coverage/``) keeps the output
with a *witness* of what it was made from, and it is printed only while the witness is the same:

- the folders of the templates and of each language's catalogs (inode, mtime, ctime): a file
  created, removed or renamed into a folder — the catalog store's atomic saves (the workspace,
  uploads, ``l10n update``), ``git pull``, ``rsync``, editors that save by renaming — changes
  the folder's ctime, which, unlike its mtime (``rsync -t`` sets it back), no tool can restore;
- ``messages.pot`` and each ``messages.po``: their own identity (inode, size, mtime, ctime);
- the history: the id of its last row (a state change is recorded just after its catalog is written);
- what else the output depends on: ``LOCALES_DIR``, the languages, the format, the code's files.

A catalog rewritten *in place* (``cp`` over it, ``rsync --inplace``, an editor that writes
without renaming) changes no folder. That is found by a look at the ctime of every catalog and
template (one ``stat`` each, as a computation costs anyway), made when the last look is older
than ``revalidate_every`` seconds (``COVERAGE_REVALIDATE_EVERY``; the file's own mtime records
when): such an edit is shown within that bound, every other change at once.

A witness whose newest change is less than :data:`SETTLE_SECONDS` old is not remembered: a
second change within the same clock tick could leave it as it is. A missing, damaged or
unwritable file (a read-only instance folder) costs a computation, never a wrong figure.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..domain.names import MESSAGES_DOMAIN
from .file_cache import SETTLE_SECONDS, file_identity
from .layout import Layout

#: Where, in the instance folder, the outputs are remembered (one file per format and languages).
COVERAGE_FOLDER = "coverage"
FORMAT = 1
_CODE_DIR = Path(__file__).resolve().parent.parent  # the service package: its files are part of the witness


@dataclass(frozen=True)
class CoverageOutput:
    """What ``l10n coverage`` prints, whatever ``--fail-under`` asks."""

    data: bytes  # standard output, exactly (UTF-8)
    errors: list[str]  # catalogs that could not be read (each an ``error:`` line, exit 1)
    below: list[tuple[float, str]]  # (percent, "language domain") of each catalog under 100 %, in report order

    def failing(self, threshold: float) -> list[tuple[float, str]]:
        """Return the catalogs whose percent is below ``threshold`` (at most 100), in report order."""
        return [(percent, name) for percent, name in self.below if percent < threshold]


@dataclass(frozen=True)
class _Witness:
    identities: str  # what it is made of, as text: compared whole (a digest would cost more to import than to compare)
    taken: int  # wall clock (ns) when it was taken, before the output was computed
    newest: int  # the newest ctime among what it looked at (ns)


class RememberedCoverage:
    """The remembered output of one ``l10n coverage`` run (format and languages), with its witness."""

    def __init__(self, instance_dir: Path, layout: Layout, languages: list[str], output_format: str,
                 database: Path, revalidate_every: float, timezone: str, remember: bool = True) -> None:
        self.path = instance_dir / COVERAGE_FOLDER / f"{output_format}-{','.join(languages)}.txt"
        self.layout = layout
        self.languages = list(languages)
        self.output_format = output_format
        self.database = database
        self.revalidate_every = revalidate_every
        #: The zone the table writes its times in: part of what the output is made from.
        self.timezone = timezone
        #: False on a reader replica, which writes nothing.
        self.remember_outputs = remember
        self._witness: _Witness | None = None

    def recall(self) -> CoverageOutput | None:
        """Return the remembered output if nothing it was made from changed since; ``None`` otherwise."""
        witness = self.witness()
        if witness is None:
            return None
        try:
            with open(self.path, "rb") as file:
                header = json.loads(file.readline())
                if header.get("format") != FORMAT or header.get("witness") != witness.identities:
                    return None
                checked = os.fstat(file.fileno()).st_mtime_ns
                data = file.read()
            if len(data) != header["size"]:
                raise ValueError("cut short")
            output = CoverageOutput(data, [str(error) for error in header["errors"]],
                                    [(float(percent), str(name)) for percent, name in header["below"]])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            _warn("%s: not used (%s); the coverage is computed", self.path, error)
            return None
        if time.time_ns() - checked >= self.revalidate_every * 1e9:
            if self._changed_in_place(header["taken"] - int(SETTLE_SECONDS * 1e9)):
                return None
            try:
                os.utime(self.path)  # checked now
            except OSError:
                pass
        return output

    def remember(self, output: CoverageOutput) -> None:
        """Keep ``output`` for the next run, under the witness taken before it was computed (unless too recent)."""
        witness = self.witness()
        if witness is None or not self.remember_outputs or witness.taken - witness.newest < SETTLE_SECONDS * 1e9:
            return
        header = {"format": FORMAT, "witness": witness.identities, "taken": witness.taken, "size": len(output.data),
                  "errors": output.errors, "below": output.below}
        # With tempfile and more: only a run that computed the output writes.
        from .po_files import write_atomically

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + output.data)
        except OSError as error:
            _warn("%s: coverage not remembered (%s)", self.path, error)

    def witness(self) -> _Witness | None:
        """Return what the output is made from, taken once per run (before it is computed); ``None``: unknowable."""
        if self._witness is None:
            taken = time.time_ns()
            history = _last_history_row(self.database)
            if history is _UNREADABLE:
                return None
            paths = [self.layout.locales_dir, self.layout.locales_dir / "articles", self.layout.template(MESSAGES_DOMAIN)]
            for language in self.languages:
                messages = self.layout.catalog(language, MESSAGES_DOMAIN)
                paths += [messages.parent.parent, messages.parent, messages, messages.parent / "articles"]
            identities = [file_identity(path) for path in paths]  # a folder's too: inode, size, mtime, ctime
            parts = [FORMAT, str(self.layout.locales_dir), self.languages, self.output_format, self.timezone,
                     identities, history, _code_files()]
            newest = max((identity[3] for identity in identities if identity), default=0)
            self._witness = _Witness(repr(parts), taken, newest)
        return self._witness

    def _changed_in_place(self, since: int) -> bool:
        """Tell whether a template or article catalog changed at or after ``since`` (ns; one ``stat`` each)."""
        folders = [(self.layout.locales_dir / "articles", ".pot")] + [
            (self.layout.catalog(language, MESSAGES_DOMAIN).parent / "articles", ".po") for language in self.languages]
        for folder, suffix in folders:
            try:
                entries = os.scandir(folder)
            except FileNotFoundError:
                continue
            with entries:
                for entry in entries:
                    try:
                        if entry.name.endswith(suffix) and entry.stat().st_ctime_ns >= since:
                            return True
                    except FileNotFoundError:  # removed since the listing: a change
                        return True
        return False


def _warn(message: str, *args: object) -> None:
    import logging  # only a damaged file or a read-only folder needs it: a remembered output prints without

    logging.getLogger(__name__).warning(message, *args)


#: What :func:`_last_history_row` answers for a history it cannot read.
_UNREADABLE = "unreadable"


def _last_history_row(database: Path) -> int | str | None:
    """Return the id of the history's last row (rows are only ever added); ``None`` without a database.

    Read-only: opening the database as :class:`~service.storage.history.History` does would
    create it and change its files, which a witness must not do.
    """
    if not database.exists():
        return None
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = connection.execute("SELECT max(id) FROM history").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:  # locked for long, damaged, a read-only folder without the WAL's files …
        return _UNREADABLE
    return row[0]


def _code_files() -> list[tuple[str, int, int]]:
    """Return the name, size and mtime of every module of the service: new code, new output."""
    found: list[tuple[str, int, int]] = []
    folders = [str(_CODE_DIR)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith((".", "__")):
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    status = entry.stat()
                    found.append((entry.path, status.st_size, status.st_mtime_ns))
    return sorted(found)
