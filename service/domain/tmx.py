"""TMX 1.4b: the translation memory exchange format, written and read (pure: bytes in, units out).

Each ``<tu>`` holds one source (``srclang`` on the unit, else the header's, else the first
``<tuv>``) and its translations, one ``<tuv xml:lang="…">`` each. The catalog and context a
unit comes from travel as ``<prop type="x-domain">`` and ``<prop type="x-context">``.
"""
from __future__ import annotations

from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from .memory import MemoryUnit
from .xml_files import FileLineError, read_xml

#: The domain of an imported unit whose file does not name one.
IMPORTED_DOMAIN = "tmx"


class TmxError(FileLineError):
    """A TMX file that cannot be read: the line where the problem is, and what it is."""


def format_tmx(units: Iterable[MemoryUnit], tool_version: str = "0.1") -> bytes:
    """Return ``units`` as a TMX 1.4b document (UTF-8)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
             f'  <header creationtool="newsroom-l10n" creationtoolversion={quoteattr(tool_version)} '
             'segtype="sentence" o-tmf="PO" adminlang="en" srclang="*all*" datatype="plaintext"/>', "  <body>"]
    for unit in units:
        lines.append(f"    <tu srclang={quoteattr(unit.source_language or 'und')}>")
        lines.append(f'      <prop type="x-domain">{escape(unit.domain)}</prop>')
        if unit.context:
            lines.append(f'      <prop type="x-context">{escape(unit.context)}</prop>')
        for language, text in ((unit.source_language or "und", unit.source), (unit.language, unit.translation)):
            lines.append(f"      <tuv xml:lang={quoteattr(language)}><seg>{_text(text)}</seg></tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


def _text(text: str) -> str:
    # Carriage returns and tabs survive XML parsing only as character references.
    return escape(text).replace("\r", "&#13;").replace("\t", "&#9;")


def _language(code: str | None) -> str:
    """Return the primary language of a TMX language code (``uk-UA`` → ``uk``)."""
    return (code or "").replace("_", "-").split("-")[0].strip().lower()


def parse_tmx(data: bytes, languages: Iterable[str]) -> list[MemoryUnit]:
    """Return the units of a TMX document whose translations are in ``languages``; raise :class:`TmxError`."""
    reader = _Reader(set(languages))
    last_line = read_xml(data, reader, TmxError)
    if reader.root != "tmx":
        raise TmxError(1, f"the root element is <{reader.root}>, not <tmx>: this is not a TMX file")
    if not reader.body:
        raise TmxError(last_line, "the file has no <body>")
    return reader.units


class _Reader:
    """Collect the translation units while expat reads the document (it knows every element's line)."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.units: list[MemoryUnit] = []
        self.root: str | None = None
        self.body = False
        self.header_source = ""
        self.stack: list[str] = []
        self.props: dict[str, str] = {}
        self.prop: str | None = None
        self.variants: list[tuple[str, str]] = []
        self.tu_source = ""
        self.tuv_language: str | None = None
        self.seg: list[str] | None = None
        self.seg_seen = False

    def start(self, tag: str, attrs: dict[str, str], line: int) -> None:
        if self.root is None:
            self.root = tag
        parent = self.stack[-1] if self.stack else None
        self.stack.append(tag)
        if tag == "header" and parent == "tmx":
            self.header_source = attrs.get("srclang", "")
        elif tag == "body" and parent == "tmx":
            self.body = True
        elif tag == "tu":
            self.props, self.variants, self.tu_source = {}, [], attrs.get("srclang", "")
        elif tag == "prop" and parent == "tu":
            self.prop = attrs.get("type", "")
            self.props[self.prop] = ""
        elif tag == "tuv":
            code = attrs.get("xml:lang") or attrs.get("lang")
            if not code:
                raise TmxError(line, "a <tuv> without xml:lang")
            self.tuv_language, self.seg_seen = _language(code), False
        elif tag == "seg" and parent == "tuv":
            self.seg, self.seg_seen = [], True

    def text(self, data: str) -> None:
        if self.seg is not None:
            self.seg.append(data)  # inline codes (<ph>, <bpt>, …) keep their text: the original markup
        elif self.prop is not None:
            self.props[self.prop] += data

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag == "prop":
            self.prop = None
        elif tag == "seg" and self.seg is not None and self.stack and self.stack[-1] == "tuv":
            self.variants.append((self.tuv_language or "", "".join(self.seg)))
            self.seg = None
        elif tag == "tu":
            self._finish_unit()

    def _finish_unit(self) -> None:
        if len(self.variants) < 2:
            return
        source_code = _language(self.tu_source or self.header_source)
        if not source_code or source_code == "*all*":
            source_code = self.variants[0][0]
        sources = [text for code, text in self.variants if code == source_code and text]
        if not sources:
            return
        domain = self.props.get("x-domain") or IMPORTED_DOMAIN
        context = self.props.get("x-context", "")
        for code, text in self.variants:
            if code != source_code and code in self.wanted and text:
                self.units.append(MemoryUnit(code, source_code, domain, context, sources[0], text))
