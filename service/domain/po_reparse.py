"""A catalog read again after a write: only the runs of lines that changed are parsed, the rest reused.

:func:`reparse_catalog` is :func:`~.po_format.parse_catalog` for a file whose previous parse
is at hand (another worker's save changed a few entries): the result is the same as a full
parse, which any other case falls back to.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polib

from .po_format import _PYTHON_ONLY_BREAKS, CatalogError, _blocks, _copy_entry, _is_utf8, _parse_text, decode


def content_digest(data: bytes) -> bytes:
    """Return a digest of a file's bytes: equal digests, equal bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class ParsedCatalog:
    """A catalog as parsed from some bytes, with what :func:`reparse_catalog` needs to read their next version.

    ``runs`` holds a digest of each run of non-blank lines of the text when the first run is
    the header and every other run holds exactly one entry, in the catalog's order (the
    layout this service writes); ``None`` for any other layout.
    """

    catalog: polib.POFile
    digest: bytes
    runs: tuple[bytes, ...] | None

    @classmethod
    def of(cls, data: bytes, catalog: polib.POFile) -> ParsedCatalog:
        """Describe ``catalog``, which is what ``data`` (UTF-8 text) reads as."""
        lines = _plain_lines(data.decode("utf-8"))
        runs = _blocks(lines) if lines is not None else None
        return cls(catalog, content_digest(data), _run_digests(lines, runs, catalog) if lines and runs else None)


def _plain_lines(text: str) -> list[str] | None:
    """Return the lines of ``text``; ``None`` when polib would count its lines differently (CR, U+2028 …)."""
    if "\r" in text or any(char in text for char in _PYTHON_ONLY_BREAKS):
        return None
    return text.split("\n")


def _run_digests(lines: list[str], runs: list[tuple[int, int]], catalog: polib.POFile | None) -> tuple[bytes, ...] | None:
    """Return a digest of each run of lines, or ``None`` unless the runs are the header then one entry each of ``catalog``.

    Without ``catalog`` (not parsed yet) the digests are returned whatever the runs hold.
    """
    if catalog is not None:
        if not runs or not any(line.startswith('msgid ""') for line in lines[runs[0][0]:runs[0][1]]):
            return None
        if [start + 1 for start, _end in runs[1:]] != [entry.linenum for entry in catalog]:
            return None
    return tuple(hashlib.blake2b("\n".join(lines[start:end]).encode("utf-8"), digest_size=16).digest()
                 for start, end in runs)


def reparse_catalog(data: bytes, path: str | Path, previous: ParsedCatalog | None = None) -> ParsedCatalog:
    """Parse PO ``data`` as :func:`parse_catalog` does, parsing again only the runs of lines that changed since ``previous``.

    ``previous`` is what an earlier version of the same file read as. When both versions have
    the header-then-one-entry-per-run layout, the same number of runs, the same charset (UTF-8)
    and plural rule, and few runs changed, the header and the changed runs are parsed alone (a
    run that holds one complete entry reads the same alone as in the file) and every other
    entry is reused, moved to its new line. Anything else, or any problem in the changed runs,
    is parsed whole, so errors name the file's own line. Unchanged entries are shared with
    ``previous``: treat the result as read-only, as the cached catalogs are.
    """
    path = str(path)
    digest = content_digest(data)
    if previous is not None and previous.digest == digest:
        return previous
    text = decode(data, path)
    lines = _plain_lines(text)
    runs = _blocks(lines) if lines is not None else None
    if lines is not None and runs and previous is not None and previous.runs is not None:
        digests = _run_digests(lines, runs, None)
        catalog = _reread_changed_runs(previous, lines, runs, digests, path) if digests is not None else None
        if catalog is not None:
            return ParsedCatalog(catalog, digest, digests)
    catalog = _parse_text(text, path)
    return ParsedCatalog(catalog, digest, _run_digests(lines, runs, catalog) if lines and runs else None)


def _ends_an_entry(line: str) -> bool:
    """Tell whether ``line`` can be an entry's last (a keyword or string, not a comment that opens the next one)."""
    line = line.strip()
    if line.startswith("#~"):
        rest = line[2:].strip()
        return bool(rest) and not rest.startswith("|")
    return not line.startswith("#")


def _reread_changed_runs(previous: ParsedCatalog, lines: list[str], runs: list[tuple[int, int]],
                         digests: tuple[bytes, ...], path: str) -> polib.POFile | None:
    """Return the catalog the text reads as, built from ``previous`` and its changed runs; ``None``: parse it whole."""
    assert previous.runs is not None
    old = previous.catalog
    if len(digests) != len(previous.runs) or not _is_utf8(old.metadata):
        return None
    changed = [index for index, (new, before) in enumerate(zip(digests[1:], previous.runs[1:]), start=1)
               if new != before]
    if len(changed) > max(1, len(runs) // 8):  # parsing the whole is then about as cheap
        return None
    ranges = [runs[0]] + [runs[index] for index in changed]
    if not all(_ends_an_entry(lines[end - 1]) for _start, end in ranges):
        return None  # a comment at a run's end belongs to the next run's entry
    pieces = ["\n".join(lines[start:end]) for start, end in ranges]
    starts, line = [], pieces[0].count("\n") + 3  # a blank line between pieces
    for piece in pieces[1:]:
        starts.append(line)
        line += piece.count("\n") + 2
    try:  # the header too, always: the entries are read with its charset and plural rule
        partial = _parse_text("\n\n".join(pieces) + "\n", path)
    except CatalogError:
        return None
    if ([entry.linenum for entry in partial] != starts or not _is_utf8(partial.metadata)
            or partial.metadata.get("Plural-Forms") != old.metadata.get("Plural-Forms")):
        return None
    replaced = dict(zip(changed, partial))
    entries: list[polib.POEntry] = []
    for index, (start, _end) in enumerate(runs[1:], start=1):
        entry = replaced.get(index)
        if entry is None:
            entry = old[index - 1]
            if entry.linenum != start + 1:
                entry = _copy_entry(entry)
        elif entry.obsolete != old[index - 1].obsolete:  # the runs before and after were read among the same kind
            return None
        entry.linenum = start + 1
        entries.append(entry)
    keys = [(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete]
    if len(set(keys)) != len(keys):  # a duplicate: parsed whole, the error names its line
        return None
    catalog = polib.POFile.__new__(polib.POFile)
    catalog.__dict__.update(old.__dict__)
    catalog.header, catalog.metadata = partial.header, partial.metadata
    catalog.metadata_is_fuzzy = partial.metadata_is_fuzzy
    catalog.extend(entries)
    return catalog
