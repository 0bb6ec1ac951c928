"""PO files in and out: validate as strictly as GNU ``msgfmt -c``, parse with polib, write GNU's layout.

polib parses leniently (a truncated string or a missing ``msgstr`` goes unnoticed), so
:func:`parse_catalog` first checks the syntax and the header itself and names the line
of the first problem. :func:`format_catalog` writes exactly what ``msgmerge --no-wrap``
writes: strings unwrapped except after embedded newlines, references wrapped at 79
columns, obsolete entries kept with their previous msgid (``#~|``), which polib drops.
"""
from __future__ import annotations

import codecs
import copy
import functools
import gettext
import re
from pathlib import Path

import polib

from .po_syntax import MAX_STRING_LINES, CatalogError, check_syntax, forbidden_character

__all__ = [
    "MAX_STRING_LINES",
    "CatalogError",
    "copy_catalog",
    "decode",
    "forbidden_character",
    "format_catalog",
    "parse_catalog",
    "parse_plural_forms",
    "same_plural_rule",
    "splice_catalog",
]

#: GNU gettext wraps ``#:`` reference lines at this width even with ``--no-wrap``.
REFERENCE_WIDTH = 79
DEFAULT_NPLURALS = 2
#: How many numbers (0, 1, 2, …) a Plural-Forms expression is tried on before it is trusted.
PLURAL_PROBE = 1000
#: The expression is what follows ``plural=``, less spaces and one final ``;`` (trimmed in code: a
#: pattern for them took minutes on a header padded with spaces in an uploaded file).
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*)", re.DOTALL)
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
#: Characters Python's ``str.splitlines`` (and so polib) takes for line breaks but GNU gettext does not:
#: inside a PO string they are ordinary text, so the reader hides them from polib and puts them back.
_PYTHON_ONLY_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


# --- reading -------------------------------------------------------------------------------


def decode(data: bytes, path: str) -> str:
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "UTF-8"
    if charset.upper() == "CHARSET":  # an unfilled template header
        charset = "UTF-8"
    try:
        is_text = codecs.lookup(charset)._is_text_encoding  # base64, rot13 … are codecs, not charsets
    except LookupError:
        is_text = False
    if not is_text:
        line = data[: match.start()].count(b"\n") + 1 if match else 1
        raise CatalogError(path, line, f"unknown charset {charset!r} in Content-Type")
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(
            path, line, f"the file is not valid {charset} (declared in Content-Type): byte {data[error.start]:#04x}"
        ) from None
    return text.removeprefix("\ufeff")


@functools.lru_cache(maxsize=64)
def parse_plural_forms(value: str | None) -> tuple[int, str]:
    """Return ``(nplurals, expression)`` from a Plural-Forms value; raise ValueError if invalid."""
    if value is None:
        return DEFAULT_NPLURALS, "(n != 1)"
    match = _PLURAL_FORMS.fullmatch(value)
    expression = match.group(2).strip().removesuffix(";").strip() if match else ""
    if not match or not expression:
        raise ValueError(f"Plural-Forms {value!r} is not 'nplurals=N; plural=EXPRESSION;'")
    nplurals = int(match.group(1))
    if not 1 <= nplurals <= 6:
        raise ValueError(f"nplurals={nplurals} is out of range")
    plural = gettext.c2py(expression)  # raises ValueError on an invalid expression
    for number in range(PLURAL_PROBE):  # as msgfmt -c: it must give a form for every number
        try:
            form = plural(number)
        except ArithmeticError:
            raise ValueError(f"the plural expression fails for n={number} (division by zero)") from None
        if not 0 <= form < nplurals:
            raise ValueError(f"the plural expression gives form {form} for n={number}, but nplurals={nplurals}")
    return nplurals, expression


def _header_line(text: str, field: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if f'"{field}:' in line:
            return number
    return 1


def same_plural_rule(first: tuple[int, str], second: tuple[int, str]) -> bool:
    """Tell whether two ``(nplurals, expression)`` rules pick the same form for every number probed."""
    if first[0] != second[0]:
        return False
    pick_first, pick_second = gettext.c2py(first[1]), gettext.c2py(second[1])
    return all(pick_first(number) == pick_second(number) for number in range(PLURAL_PROBE))


def _check_entries(path: str, text: str, catalog: polib.POFile, plural_rule: tuple[int, str] | None) -> None:
    try:
        nplurals, expression = parse_plural_forms(catalog.metadata.get("Plural-Forms"))
    except ValueError as error:
        raise CatalogError(path, _header_line(text, "Plural-Forms"), f"invalid Plural-Forms header: {error}") from None
    has_plurals = any(entry.msgid_plural and not entry.obsolete for entry in catalog)
    if plural_rule is not None and has_plurals and not same_plural_rule((nplurals, expression), plural_rule):
        raise CatalogError(
            path, _header_line(text, "Plural-Forms"),
            f"the file's Plural-Forms (nplurals={nplurals}; plural={expression}) picks other forms than the "
            f"catalog's (nplurals={plural_rule[0]}; plural={plural_rule[1]}): its plural translations would "
            "land in the wrong forms",
        )
    seen: dict[tuple[str | None, str], int | None] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(
                path, entry.linenum,
                f"duplicate message definition (first defined on line {seen[key]})",
            )
        seen[key] = entry.linenum
        _check_characters(path, entry)
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals:
            raise CatalogError(
                path, entry.linenum,
                f"Plural-Forms says nplurals={nplurals}, but this entry has {len(entry.msgstr_plural)} plural forms",
            )
        _check_newlines(path, entry)


def _check_characters(path: str, entry: polib.POEntry) -> None:
    """Refuse control characters that escapes (``\\b``, ``\\f``, ``\\v``) put in a string: no page or ``.mo`` carries them."""
    for text in (entry.msgctxt or "", entry.msgid, entry.msgid_plural, entry.msgstr, *entry.msgstr_plural.values()):
        character = forbidden_character(text)
        if character:
            raise CatalogError(path, entry.linenum, f"an escape sequence gives control character {character}, "
                                                    "which no page can show")


def _check_newlines(path: str, entry: polib.POEntry) -> None:
    sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid] + [entry.msgid_plural] * (len(entry.msgstr_plural) - 1)
    translations = [entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    for source, translation in zip(sources, translations):
        if not translation or not source:
            continue
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(source, "\n") != test(translation, "\n"):
                raise CatalogError(path, entry.linenum, f"msgid and msgstr do not both {where} with '\\n'")


class _HiddenBreaks:
    """PO text whose Python-only line breaks are swapped for unused private-use characters, and the way back."""

    def __init__(self, text: str, swaps: dict[str, str]) -> None:
        self.text = text
        self._back = {stand_in: original for original, stand_in in swaps.items()}
        self._pattern = re.compile("|".join(map(re.escape, self._back))) if swaps else None

    def _undo(self, value: str | None) -> str | None:
        if value is None or self._pattern is None:
            return value
        return self._pattern.sub(lambda match: self._back[match.group()], value)

    def restore(self, catalog: polib.POFile) -> None:
        """Put the original characters back in every string, comment and header of ``catalog``."""
        if self._pattern is None:
            return
        undo = self._undo
        catalog.header = undo(catalog.header) or ""
        catalog.metadata = {undo(key) or "": undo(value) or "" for key, value in catalog.metadata.items()}
        for entry in catalog:
            for name in ("msgctxt", "msgid", "msgid_plural", "msgstr", "previous_msgctxt", "previous_msgid",
                         "previous_msgid_plural", "comment", "tcomment"):
                setattr(entry, name, undo(getattr(entry, name)))
            entry.msgstr_plural = {index: undo(text) or "" for index, text in entry.msgstr_plural.items()}
            entry.flags = [undo(flag) or "" for flag in entry.flags]
            entry.occurrences = [(undo(name) or "", undo(line) or "") for name, line in entry.occurrences]


def _hide_breaks(text: str) -> _HiddenBreaks:
    """Swap the characters polib would split lines at, but GNU gettext does not, for characters absent from ``text``."""
    present = [char for char in _PYTHON_ONLY_BREAKS if char in text]
    if not present:
        return _HiddenBreaks(text, {})
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    swaps = {char: next(free) for char in present}
    return _HiddenBreaks(text.translate({ord(char): stand_in for char, stand_in in swaps.items()}), swaps)


def parse_catalog(data: bytes, path: str | Path, plural_rule: tuple[int, str] | None = None) -> polib.POFile:
    """Parse PO ``data``; raise :class:`CatalogError` with the line of the first problem.

    With ``plural_rule`` (the catalog's ``(nplurals, expression)``), plural messages must follow it.
    """
    path = str(path)
    return _parse_text(decode(data, path), path, plural_rule)


def _parse_text(text: str, path: str, plural_rule: tuple[int, str] | None = None) -> polib.POFile:
    check_syntax(path, text)
    # polib skips the previous msgid of obsolete entries ("#~|"); as "#|" lines it keeps
    # them, and the "#~ msgid" that follows still marks the entry obsolete.
    polib_text = re.sub(r"^#~\|", "#|", text, flags=re.MULTILINE)
    hidden = _hide_breaks(polib_text)
    try:
        catalog = polib.pofile(hidden.text, wrapwidth=0, check_for_duplicates=False)
    except (OSError, ValueError) as error:  # polib reports syntax errors as OSError
        match = re.search(r"line (\d+)", str(error))
        raise CatalogError(path, int(match.group(1)) if match else 1, f"not a PO file: {error}") from None
    hidden.restore(catalog)
    _check_entries(path, text, catalog, plural_rule)
    return catalog


# --- writing -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        .replace("\t", "\\t").replace("\r", "\\r")
    )


def _string_field(prefix: str, keyword: str, value: str) -> list[str]:
    if "\n" not in value[:-1]:
        return [f'{prefix}{keyword} "{_escape(value)}"']
    # Lines end at "\n" only: U+2028, U+0085 … are text to GNU gettext (str.splitlines would break there).
    chunks = re.findall(r"[^\n]*\n|[^\n]+", value)
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{_escape(chunk)}"' for chunk in chunks]


def _comment_lines(marker: str, text: str) -> list[str]:
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def _reference_lines(occurrences: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for filename, line in occurrences:
        reference = f"{filename}:{line}" if line else filename
        if current != "#:" and len(current) + 1 + len(reference) > REFERENCE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + reference
    if current != "#:":
        lines.append(current)
    return lines


def _entry_lines(entry: polib.POEntry) -> list[str]:
    lines: list[str] = []
    if entry.tcomment:
        lines += _comment_lines("#", entry.tcomment)
    if not entry.obsolete:
        if entry.comment:
            lines += _comment_lines("#.", entry.comment)
        lines += _reference_lines(entry.occurrences)
    flags = (["fuzzy"] if "fuzzy" in entry.flags else []) + [f for f in entry.flags if f != "fuzzy"]
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous_prefix = "#~| " if entry.obsolete else "#| "
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += _string_field(previous_prefix, keyword, value)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += _string_field(prefix, "msgctxt", entry.msgctxt)
    lines += _string_field(prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        lines += _string_field(prefix, "msgid_plural", entry.msgid_plural)
        for index in sorted(entry.msgstr_plural, key=int):
            lines += _string_field(prefix, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        lines += _string_field(prefix, "msgstr", entry.msgstr)
    return lines


def format_catalog(catalog: polib.POFile) -> str:
    """Return ``catalog`` as PO text, laid out as ``msgmerge --no-wrap`` writes it."""
    blocks = [_header_lines(catalog)]
    blocks += [_entry_lines(entry) for entry in catalog if not entry.obsolete]
    blocks += [_entry_lines(entry) for entry in catalog if entry.obsolete]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _header_lines(catalog: polib.POFile) -> list[str]:
    header: list[str] = []
    if catalog.header:
        header += _comment_lines("#", catalog.header)
    if catalog.metadata_is_fuzzy:
        header.append("#, fuzzy")
    header += _string_field("", "msgid", "")
    header += _string_field("", "msgstr", "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items()))
    return header


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Return the ``(first, last + 1)`` line indexes of each run of non-blank lines."""
    spans, start = [], None
    for index, line in enumerate(lines):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(lines)))
    return spans


def splice_catalog(original: str, catalog: polib.POFile, changed: list[polib.POEntry]) -> str | None:
    """Return ``original`` with only the header and the ``changed`` entries rewritten from ``catalog``.

    ``catalog`` must have been parsed from ``original`` (entries keep the line they start on).
    Every other byte stays as it was, whatever layout the file had. ``None`` when the layout
    does not allow that: a rewritten entry (or the header) must fill a run of non-blank lines
    of its own, so that it reads the same alone as in the file, and the header must keep the
    charset and the plural rule the other entries were read with. The rewritten pieces are
    read back (:func:`parse_catalog`, on them alone) and must say exactly what ``catalog``
    says, else ``None`` too. On success the entries' line numbers are moved to where they are
    in the new text, so ``catalog`` is what parsing that text gives.
    """
    if "\r" in original or not _is_utf8(catalog.metadata):  # polib counts a lone CR as a line break
        return None
    lines = original.split("\n")
    blocks = _blocks(lines)
    if not blocks or not _same_reading_rules(lines[blocks[0][0]:blocks[0][1]], catalog.metadata):
        return None
    starts = sorted(entry.linenum - 1 for entry in catalog if entry.linenum)
    block_starts = [start for start, _ in blocks]
    if not set(block_starts[1:]) <= set(starts):  # every other run of lines begins an entry …
        return None
    if len(starts) != len(set(starts)) or len(starts) != len(blocks) - 1:  # … and holds exactly one
        return None
    by_start = {start: index for index, start in enumerate(block_starts)}
    replacements: dict[int, list[str]] = {0: _header_lines(catalog)}
    for entry in changed:
        index = by_start.get(entry.linenum - 1) if entry.linenum else None
        if index is None or index in replacements:
            return None
        replacements[index] = _entry_lines(entry)
    if not _reads_back(catalog, changed, replacements[0]):
        return None
    pieces: list[str] = []
    position = shift = 0
    moved: dict[int, int] = {}  # old first line → new first line (0-based), of every entry
    for index, (start, end) in enumerate(blocks):
        moved[start] = start + shift
        if index in replacements:
            pieces += lines[position:start] + replacements[index]
            position = end
            shift += len(replacements[index]) - (end - start)
    pieces += lines[position:]
    for entry in catalog:
        if entry.linenum:
            entry.linenum = moved[entry.linenum - 1] + 1
    return "\n".join(pieces)


def _is_utf8(metadata: dict[str, str]) -> bool:
    """Tell whether a header declares UTF-8 (what the store writes) or no charset at all."""
    match = _CHARSET.search(metadata.get("Content-Type", "").encode("utf-8", "replace"))
    return match is None or match.group(1).decode("ascii").upper() in ("UTF-8", "UTF8")


def _same_reading_rules(header_block: list[str], metadata: dict[str, str]) -> bool:
    """Tell whether the old header (its lines) read the file with the charset and plural rule of ``metadata``."""
    if not any(line.startswith('msgid ""') for line in header_block):
        return False
    try:
        old = parse_catalog(("\n".join(header_block) + "\n").encode("utf-8"), "header").metadata
    except CatalogError:
        return False
    return _is_utf8(old) and old.get("Plural-Forms") == metadata.get("Plural-Forms")


def _reads_back(catalog: polib.POFile, changed: list[polib.POEntry], header: list[str]) -> bool:
    """Tell whether the header and ``changed`` entries, written alone, parse back to exactly what they say."""
    text = "\n\n".join("\n".join(block) for block in [header] + [_entry_lines(entry) for entry in changed]) + "\n"
    try:
        reread = parse_catalog(text.encode("utf-8"), "spliced")
    except CatalogError:
        return False
    return (_header_lines(reread) == header and len(reread) == len(changed)
            and all(_entry_lines(again) == _entry_lines(entry) for again, entry in zip(reread, changed)))


def copy_catalog(catalog: polib.POFile) -> polib.POFile:
    """Return a copy of ``catalog`` whose header and entries can be changed without touching it.

    What :func:`copy.deepcopy` gives for a parsed catalog (strings are immutable, so only the
    lists and dicts are copied), in a fraction of its time.
    """
    copied = polib.POFile.__new__(polib.POFile)
    copied.__dict__.update(catalog.__dict__)
    copied.metadata = dict(catalog.metadata)
    copied.metadata_is_fuzzy = copy.copy(catalog.metadata_is_fuzzy)  # a list, whatever the stubs say
    copied.extend(_copy_entry(entry) for entry in catalog)
    return copied


def _copy_entry(entry: polib.POEntry) -> polib.POEntry:
    copied = polib.POEntry.__new__(polib.POEntry)
    copied.__dict__.update(entry.__dict__)
    copied.msgstr_plural = dict(entry.msgstr_plural)
    copied.occurrences = list(entry.occurrences)
    copied.flags = list(entry.flags)
    return copied
