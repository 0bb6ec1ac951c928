"""PO syntax, line by line, as strictly as GNU ``msgfmt``: complete strings, valid escapes, keywords in order.

polib parses leniently (a truncated string or a missing ``msgstr`` goes unnoticed), so the
reader checks the syntax here first and names the line of the first problem. Lines end at
``"\\n"`` only, as GNU gettext reads them (``str.splitlines`` also breaks at U+2028, U+0085, …).
"""
from __future__ import annotations

import re
from pathlib import Path

_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(".*)$')
_ESCAPES = set('\\"ntrabfv?\'')
#: What no PO string may carry: C0 controls but tab, newline and carriage return (a NUL would cut
#: the text short in the ``.mo``), DEL, and lone surrogates (not encodable in UTF-8).
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: A complete string with valid escapes and nothing but blanks after it: what :func:`_check_string`
#: accepts, matched in one pass (its character loop runs only to name the problem of a bad string).
_COMPLETE_STRING = re.compile(r'"[^"\\]*+(?:\\[\\"ntrabfv?\'0-7x][^"\\]*+)*+"\s*\Z')


class CatalogError(ValueError):
    """A PO file that cannot be used, with the file and line to fix."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        line = line or 1  # polib knows no line for an entry it did not read from a file
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


def forbidden_character(text: str) -> str | None:
    """Return the first character of ``text`` that a PO string cannot carry, as ``U+XXXX``, if any."""
    match = _FORBIDDEN_CHARACTER.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def _check_string(path: str, number: int, literal: str) -> None:
    """Check that ``literal`` is one complete C string: ``"…"`` with valid escapes."""
    if _COMPLETE_STRING.match(literal) and not _FORBIDDEN_CHARACTER.search(literal):
        return
    problem = string_problem(literal)
    if problem:
        raise CatalogError(path, number, problem)


def string_problem(literal: str) -> str | None:
    """Return what keeps ``literal`` from being one complete C string, read character by character (``None``: nothing)."""
    if not literal.startswith('"'):
        return "a string must start with '\"'"
    character = forbidden_character(literal)
    if character:
        return f"control character {character} in a string"
    index = 1
    while index < len(literal):
        char = literal[index]
        if char == "\\":
            following = literal[index + 1 : index + 2]
            if not following:
                break
            if following not in _ESCAPES and following not in "01234567x":
                return f"invalid escape sequence \\{following}"
            index += 2
            continue
        if char == '"':
            if literal[index + 1 :].strip():
                return "unexpected text after the end of the string"
            return None
        index += 1
    return "end-of-line within string (the closing '\"' is missing)"


class _EntryShape:
    """Track which keywords one entry has had, to report a missing or misplaced one."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.seen: list[str] = []
        self.start = 0

    def close(self, path: str) -> None:
        if self.seen and not any(key.startswith("msgstr") for key in self.seen):
            raise CatalogError(path, self.start, "missing 'msgstr' section")
        self.reset()

    def add(self, path: str, number: int, keyword: str, index: str | None) -> None:
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in self.seen):
            self.close(path)
        if keyword == "msgctxt":
            if self.seen:
                raise CatalogError(path, number, "msgctxt must come before msgid")
        elif keyword == "msgid":
            if "msgid" in self.seen:
                raise CatalogError(path, number, "missing 'msgstr' section before the next msgid")
        elif keyword == "msgid_plural":
            if self.seen[-1:] != ["msgid"]:
                raise CatalogError(path, number, "msgid_plural must follow msgid")
        else:
            if "msgid" not in self.seen:
                raise CatalogError(path, number, "msgstr without msgid")
            plural = "msgid_plural" in self.seen
            if plural and index is None:
                raise CatalogError(path, number, "an entry with msgid_plural needs msgstr[0], msgstr[1], …")
            if not plural and index is not None:
                raise CatalogError(path, number, f"msgstr[{index}] without msgid_plural")
            expected = sum(1 for k in self.seen if k.startswith("msgstr"))
            if index is not None and int(index) != expected:
                raise CatalogError(path, number, f"expected msgstr[{expected}], found msgstr[{index}]")
            if index is None and expected:
                raise CatalogError(path, number, "msgstr without msgid (this entry already has one)")
        if not self.seen:
            self.start = number
        self.seen.append(keyword)


#: Lines one string may run over. polib joins a string's lines one by one (quadratic time): an upload
#: of 8 MB of '"a"' lines would keep a worker busy for half a minute.
MAX_STRING_LINES = 10_000


def check_syntax(path: str, text: str) -> None:
    """Raise :class:`CatalogError` at the first line that is not PO syntax."""
    active, obsolete = _EntryShape(), _EntryShape()
    last_keyword: dict[int, str | None] = {id(active): None, id(obsolete): None}
    string_lines = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if "\r" in line:  # GNU gettext ends lines with "\n" only ("\r\n" is stripped above)
            raise CatalogError(path, number, "a carriage return in the middle of a line (write it as \\r)")
        shape = active
        if line.startswith("#~"):
            line = line[2:].strip()
            shape = obsolete
            if not line or line.startswith("|"):
                continue
        elif not line:
            continue
        elif line.startswith("#|"):
            payload = line[2:].strip()
            match = _KEYWORD_LINE.match(payload)
            _check_string(path, number, match.group(3) if match else payload)
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            if last_keyword[id(shape)] is None:
                raise CatalogError(path, number, "a string continuation without a keyword before it")
            _check_string(path, number, line)
            string_lines += 1
            if string_lines > MAX_STRING_LINES:
                raise CatalogError(path, number, f"a string longer than {MAX_STRING_LINES:,} lines")
            continue
        string_lines = 0
        match = _KEYWORD_LINE.match(line)
        if not match:
            word = line.split()[0] if line.split() else line
            raise CatalogError(path, number, f"keyword {word!r} unknown: this is not PO syntax")
        keyword = match.group(1).split("[")[0]
        shape.add(path, number, keyword, match.group(2))
        last_keyword[id(shape)] = keyword
        _check_string(path, number, match.group(3))
    active.close(path)
    obsolete.close(path)
