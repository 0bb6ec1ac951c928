"""Exchange files in XML (TMX, TBX): read with expat, element by element, errors naming the line."""
from __future__ import annotations

from typing import Protocol
from xml.parsers import expat


class FileLineError(ValueError):
    """A file that cannot be read: the line where the problem is, and what it is."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class ElementReader(Protocol):
    """What collects a document's content as expat reads it."""

    def start(self, tag: str, attrs: dict[str, str], line: int) -> None: ...
    def end(self, tag: str) -> None: ...
    def text(self, data: str) -> None: ...


def read_xml(data: bytes, reader: ElementReader, error: type[FileLineError]) -> int:
    """Feed the XML document ``data`` to ``reader``; return its last line; raise ``error`` if it is not well-formed."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda tag, attrs: reader.start(tag, attrs, parser.CurrentLineNumber)
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as problem:
        raise error(problem.lineno, f"not well-formed XML: {expat.ErrorString(problem.code)}") from None
    return parser.CurrentLineNumber
