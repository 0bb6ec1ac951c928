"""Glossary files: CSV (``term,translation,note,forbidden``) and TBX (TBX-Basic), written and read (pure).

Forbidden variants are one CSV cell separated by ``;``; in TBX they are terms of the target
language with ``administrativeStatus`` ``deprecatedTerm-admn-sts``. A file that cannot be read
raises :class:`GlossaryFileError` with the line.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from .glossary import Term
from .xml_files import FileLineError, read_xml

CSV_COLUMNS = ("term", "translation", "note", "forbidden")
#: A term read from a file: ``(line, term, translation, note, forbidden)``.
ReadTerm = tuple[int, str, str, str, tuple[str, ...]]


class GlossaryFileError(FileLineError):
    """A glossary file that cannot be read: the line and what is wrong."""


def format_csv(terms: Iterable[Term]) -> str:
    """Return the terms as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for term in terms:
        writer.writerow([term.term, term.translation, term.note, "; ".join(term.forbidden)])
    return out.getvalue()


def parse_csv(data: bytes) -> list[ReadTerm]:
    """Return the terms of a CSV file (UTF-8, a header row naming at least ``term`` and ``translation``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GlossaryFileError(data[: error.start].count(b"\n") + 1, "the file is not UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().casefold() for cell in next(reader, [])]
        if "term" not in header or "translation" not in header:
            raise GlossaryFileError(1, "the first row must name the columns: term,translation,note,forbidden")
        found = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = dict(zip(header, row))
            forbidden = tuple(part.strip() for part in cells.get("forbidden", "").split(";") if part.strip())
            found.append((reader.line_num, cells.get("term", ""), cells.get("translation", ""),
                          cells.get("note", ""), forbidden))
    except csv.Error as error:
        raise GlossaryFileError(reader.line_num, f"not valid CSV: {error}") from None
    return found


def format_tbx(terms: Iterable[Term], source_language: str, language: str) -> bytes:
    """Return the terms as a TBX-Basic document: a ``termEntry`` per term, a ``langSet`` per language."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<martif type="TBX-Basic" xml:lang="en">',
             "  <martifHeader><fileDesc><sourceDesc><p>newsroom-l10n glossary</p></sourceDesc></fileDesc>"
             "</martifHeader>", "  <text><body>"]
    for term in terms:
        lines.append(f'    <termEntry id="t{term.id}">')
        if term.note:
            lines.append(f'      <descrip type="definition">{escape(term.note)}</descrip>')
        lines.append(f"      <langSet xml:lang={quoteattr(source_language)}><tig><term>{escape(term.term)}</term>"
                     "</tig></langSet>")
        lines.append(f"      <langSet xml:lang={quoteattr(language)}>")
        lines.append(f"        <tig><term>{escape(term.translation)}</term>"
                     '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>')
        for variant in term.forbidden:
            lines.append(f"        <tig><term>{escape(variant)}</term>"
                         '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>')
        lines.append("      </langSet>")
        lines.append("    </termEntry>")
    lines += ["  </body></text>", "</martif>", ""]
    return "\n".join(lines).encode("utf-8")


def parse_tbx(data: bytes, language: str) -> list[ReadTerm]:
    """Return the terms of a TBX document: ``language``'s preferred term is the translation, the other language's the term."""
    reader = _TbxReader(language)
    read_xml(data, reader, GlossaryFileError)
    if reader.root not in ("martif", "tbx"):
        raise GlossaryFileError(1, f"the root element is <{reader.root}>, not <martif> or <tbx>: this is not TBX")
    return reader.found


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].strip().lower()


class _TbxReader:
    def __init__(self, language: str) -> None:
        self.language = language
        self.found: list[ReadTerm] = []
        self.root: str | None = None
        self.line = 0
        self.entry_language: str | None = None
        self.buffer: list[str] | None = None
        self.note = ""
        self.terms: list[tuple[str, str, str]] = []  # (language, text, status)
        self.term_text = ""
        self.status = ""
        self.capture: str | None = None

    def start(self, tag: str, attrs: dict[str, str], line: int) -> None:
        if self.root is None:
            self.root = tag
        if tag in ("termEntry", "conceptEntry"):
            self.line, self.note, self.terms = line, "", []
        elif tag == "langSet" or tag == "langSec":
            self.entry_language = _primary(attrs.get("xml:lang", ""))
        elif tag in ("tig", "ntig", "termSec"):
            self.term_text, self.status = "", ""
        elif tag == "term" or (tag == "descrip" and attrs.get("type") == "definition") or tag == "note" \
                or (tag == "termNote" and attrs.get("type") == "administrativeStatus"):
            self.capture, self.buffer = tag, []

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)

    def end(self, tag: str) -> None:
        if self.buffer is not None and tag == self.capture:
            value = "".join(self.buffer).strip()
            if tag == "term":
                self.term_text = value
            elif tag == "termNote":
                self.status = value
            elif not self.note:
                self.note = value
            self.buffer, self.capture = None, None
        elif tag in ("tig", "ntig", "termSec"):
            if self.term_text:
                self.terms.append((self.entry_language or "", self.term_text, self.status))
        elif tag in ("termEntry", "conceptEntry"):
            self._finish()

    def _finish(self) -> None:
        mine = [(text, status) for code, text, status in self.terms if code == self.language]
        others = [text for code, text, _status in self.terms if code != self.language]
        preferred = [text for text, status in mine if "deprecated" not in status and "superseded" not in status]
        forbidden = tuple(text for text, status in mine if "deprecated" in status or "superseded" in status)
        if not others and not preferred:
            return
        self.found.append((self.line, others[0] if others else "", preferred[0] if preferred else "",
                           self.note, forbidden))
