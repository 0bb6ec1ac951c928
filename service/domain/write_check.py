"""A catalog's new text judged as the file it will become, before it replaces the old one.

The editing rules refuse what they know to be wrong; this is the last word, for whatever they
miss: the text must read back through our own reader (:func:`.po_format.parse_catalog`) to
the very entries the edit meant, and its changed entries must pass ``msgfmt -c``'s rules
(line breaks at the ends, format directives). Otherwise :class:`.editing.CheckFailed` with a
``file`` result refuses the write (422), and nothing changes.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polib

from . import checks
from .editing import CheckFailed
from .interface_text import N_, Message
from .po_format import CatalogError, parse_catalog

#: The id of the check result that refuses a text which would not read back as meant.
FILE_CHECK = "file"


def _entry_key(entry: polib.POEntry) -> tuple[Any, ...]:
    """Return what an entry says, in a form two parses of the same text agree on."""
    plural = tuple(sorted((int(index), text) for index, text in entry.msgstr_plural.items()))
    return (entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural or "", entry.msgstr, plural,
            "fuzzy" in entry.flags, entry.previous_msgid or None)


def entry_keys(catalog: polib.POFile) -> list[tuple[Any, ...]]:
    """Return what each entry of ``catalog`` says, in its order (to tell later which entries an edit changed)."""
    return [_entry_key(entry) for entry in catalog]


def _entry_keys(catalog: polib.POFile) -> list[tuple[Any, ...]]:
    """Return what the entries say, current ones first (the order they are written in)."""
    return sorted((_entry_key(entry) for entry in catalog), key=lambda key: key[0])


def _header(catalog: polib.POFile) -> dict[str, str]:
    return {name.strip(): value.strip() for name, value in catalog.metadata.items()}


def _refuse(problem: str) -> CheckFailed:
    message = Message(N_("not saved: the catalog would not read back as it was meant (%(problem)s)"),
                      problem=problem)
    return CheckFailed([checks.CheckResult(FILE_CHECK, checks.Level.ERROR, message)])


def verify_catalog_text(text: str, catalog: polib.POFile, changed: Iterable[polib.POEntry] | None,
                        display_path: str, interface: bool = False) -> polib.POFile:
    """Refuse (:class:`CheckFailed`) ``text`` unless it reads back as ``catalog`` and its ``changed`` entries compile.

    ``changed`` ``None``: the whole catalog was replaced (``l10n update``, which, like ``msgmerge``,
    moves translations without judging them): only the read-back is judged. Returns the parse
    of ``text``. A text spliced into the old one is judged by :func:`verify_spliced` instead.
    """
    try:
        reread = parse_catalog(text.encode("utf-8"), display_path)
    except CatalogError as error:
        raise _refuse(f"line {error.line}: {error.message}") from None
    if _entry_keys(reread) != _entry_keys(catalog):
        raise _refuse("the text written differs from the translation saved")
    if _header(reread) != _header(catalog):
        raise _refuse("the header written differs from the header meant")
    if changed is not None:
        _check_compilable(reread, _reread_entries(reread, changed), interface)
    return reread


def verify_spliced(catalog: polib.POFile, changed: list[polib.POEntry], before: list[tuple[Any, ...]],
                   interface: bool = False) -> None:
    """Refuse (:class:`CheckFailed`) a spliced text unless it says what ``catalog`` says and its ``changed`` entries compile.

    For a text :func:`.po_format.splice_catalog` made, which read its rewritten pieces back
    already: every other byte is the old file's, which read as ``before`` (:func:`entry_keys`
    when the edit began). So every entry not named ``changed`` must still say what it said,
    and no message may now be defined twice, as reading the whole text back would find.
    """
    named = {id(entry) for entry in changed}
    if len(catalog) != len(before) or any(
            id(entry) not in named and _entry_key(entry) != key for entry, key in zip(catalog, before)):
        raise _refuse("the text written differs from the translation saved")
    defined = [(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete]
    if len(defined) != len(set(defined)):
        raise _refuse("a message is defined twice")
    _check_compilable(catalog, changed, interface)


def _check_compilable(catalog: polib.POFile, judged: Iterable[polib.POEntry], interface: bool) -> None:
    """Refuse the entries of ``judged`` that ``msgfmt -c`` would not compile (format directives, line breaks)."""
    plural_forms = checks.catalog_plural_forms(catalog)
    for entry in judged:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        problems = checks.check_formats(entry, plural_forms, interface)
        if problems:
            raise CheckFailed(problems)


def _reread_entries(reread: polib.POFile, changed: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    wanted = {(entry.msgctxt, entry.msgid) for entry in changed}
    return [entry for entry in reread if (entry.msgctxt, entry.msgid) in wanted]
