"""Article sources (``content/<slug>.md``): parse the front matter and split the text into segments.

A source is a TOML front-matter block between ``+++`` lines, then a body of paragraphs,
``## `` subheadings and ``- `` list items. Each translatable piece becomes a
:class:`Segment` whose role (``title``, ``summary``, ``point``, ``heading``, ``paragraph``,
``item``) is its gettext context, so its position can change without touching its translation.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from .categories import CATEGORIES
from .images import ImageError, ImageSize, check_image_name
from .markup import find_markup_problems, strip_markup

FRONT_MATTER_FENCE = "+++"
REQUIRED_KEYS = ("title", "category", "published", "source_language")
OPTIONAL_KEYS = ("summary", "points", "image", "image_alt", "image_caption", "image_credit")
#: How a segment's position is described to the translator, by role.
ROLE_LABELS = {
    "title": "title",
    "summary": "summary",
    "point": "point of attention",
    "image_alt": "lead image description (alt text)",
    "image_caption": "lead image caption",
    "heading": "subheading",
    "paragraph": "paragraph",
    "item": "list item",
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Block syntax a source may not use, with the reason given to its author.
_FORBIDDEN_BLOCKS = (
    (re.compile(r"^#{3,}\s"), "only '## ' subheadings are allowed"),
    (re.compile(r"^#\s"), "the title belongs in the front matter, not a '# ' heading"),
    (re.compile(r"^#+[^#\s]"), "a heading needs a space after '##'"),
    (re.compile(r"^>"), "block quotes are not allowed"),
    (re.compile(r"^\d+[.)]\s"), "numbered lists are not allowed; use '- ' items"),
    (re.compile(r"^[*+]\s"), "list items start with '- '"),
    (re.compile(r"^(```|~~~)"), "code blocks are not allowed"),
    (re.compile(r"^(-{3,}|\*{3,}|_{3,})\s*$"), "horizontal rules are not allowed"),
    (re.compile(r"^\|"), "tables are not allowed"),
    (re.compile(r"^(\t| {4})"), "indented blocks are not allowed"),
)
#: Characters a source may not carry: C0 controls but tab (and the line ends), DEL, lone surrogates,
#: and the line separators Python would split a line at (U+0085, U+2028, U+2029) where editors and
#: GNU gettext do not — invisible, they would put a line break inside a segment and its PO string.
_UNUSABLE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


class SourceError(ValueError):
    """A source file that cannot be used, with the file and line to fix."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Segment:
    """One translatable piece of an article."""

    role: str
    text: str
    line: int
    position: int  # 1-based, counted within the role

    @property
    def label(self) -> str:
        """Describe where the segment sits, for the translator ("paragraph 5")."""
        if self.role in ("title", "summary", "image_alt", "image_caption"):
            return ROLE_LABELS[self.role]
        return f"{ROLE_LABELS[self.role]} {self.position}"


@dataclass(frozen=True)
class Block:
    """A piece of the body as it is laid out: a heading, a paragraph or a list of items."""

    kind: str  # "heading", "paragraph" or "list"
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LeadImage:
    """An article's lead image: a file in ``images/``, its translatable description and caption, its size."""

    name: str
    alt: Segment
    caption: Segment | None
    line: int  # of ``image`` in the source, for what reading the file finds
    size: ImageSize | None = None  # read from the file by :func:`load_article`
    digest: str = ""  # of the file's content: the page's URL of the image names it


@dataclass(frozen=True)
class Article:
    """A parsed article source."""

    slug: str
    title: Segment
    category: str
    published: datetime
    source_language: str
    summary: Segment | None
    points: tuple[Segment, ...]
    image_credit: str | None
    body: tuple[Block, ...]
    path: str = field(default="", compare=False)
    image: LeadImage | None = None

    @property
    def image_segments(self) -> list[Segment]:
        """The lead image's description and caption, if there is an image."""
        if self.image is None:
            return []
        return [self.image.alt] + ([self.image.caption] if self.image.caption else [])

    @property
    def segments(self) -> list[Segment]:
        """Every translatable segment in reading order."""
        head = [self.title] + ([self.summary] if self.summary else []) + list(self.points) + self.image_segments
        return head + [segment for block in self.body for segment in block.segments]

    def word_count(self) -> int:
        """Count the words of the source text (title, summary, points and body)."""
        return count_words(segment.text for segment in self.segments)


def count_words(texts: Iterable[str]) -> int:
    """Count the words in ``texts``, markup left out."""
    return sum(len(strip_markup(text).split()) for text in texts)


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"\(at line (\d+)", str(error))
    return int(match.group(1)) if match else 1


def _key_line(lines: list[str], key: str, first_line: int) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for offset, text in enumerate(lines):
        if pattern.match(text):
            return first_line + offset
    return first_line


def _value_line(lines: list[str], text: str, from_line: int, first_line: int) -> int:
    """Find the line (at or after ``from_line``) where the TOML string ``text`` is written."""
    probe = text[:40]
    for offset in range(from_line - first_line, len(lines)):
        if probe in lines[offset]:
            return first_line + offset
    return from_line


def split_front_matter(path: str, text: str) -> tuple[list[str], list[str], int]:
    """Split a source into front-matter lines, body lines and the line number where the body starts.

    Lines end at ``\n`` (``\r\n`` too) as editors and GNU gettext count them, not at every
    character ``str.splitlines`` takes for a line end; such characters are refused, naming the line.
    """
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and not lines[-1]:
        lines.pop()  # the final line end starts no line
    if _UNUSABLE_CHARACTER.search(text):  # one search over the text; line by line only to name the line
        for number, line in enumerate(lines, start=1):
            _unusable_character(path, number, line)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise SourceError(path, 1, "a source must start with a '+++' front-matter line")
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return lines[1:index], lines[index + 1 :], index + 2
    raise SourceError(path, 1, "the front matter opened on line 1 is never closed with '+++'")


def _parse_published(path: str, line: int, value: object) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise SourceError(path, line, f"published {value!r} is not an ISO-8601 datetime") from None
    if not isinstance(value, datetime):
        raise SourceError(path, line, "published must be a datetime such as 2026-11-20T09:15:00+02:00")
    if value.tzinfo is None or value.utcoffset() is None:
        raise SourceError(path, line, "published needs a UTC offset, e.g. +02:00 or Z")
    return value


def _unusable_character(path: str, line: int, text: str, what: str = "the line") -> None:
    """Raise :class:`SourceError` if ``text`` carries a character no segment may hold."""
    match = _UNUSABLE_CHARACTER.search(text)
    if match:
        raise SourceError(path, line, f"{what} contains the character U+{ord(match.group()):04X}, which is not "
                                      "allowed (a control character or an invisible line separator)")


def _checked_text(path: str, line: int, what: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SourceError(path, line, f"{what} must be non-empty text")
    _unusable_character(path, line, value, what)
    if "\n" in value.strip():
        raise SourceError(path, line, f"{what} must be a single line")
    problems = find_markup_problems(value)
    if problems:
        raise SourceError(path, line, f"{what}: {'; '.join(problems)}")
    return value.strip()


def _parse_body(path: str, lines: list[str], first_line: int) -> tuple[Block, ...]:
    blocks: list[Block] = []
    counters: dict[str, int] = {}
    paragraph: list[str] = []
    paragraph_line = 0
    items: list[Segment] = []

    def segment(role: str, text: str, line: int) -> Segment:
        counters[role] = counters.get(role, 0) + 1
        return Segment(role, _checked_text(path, line, ROLE_LABELS[role], text), line, counters[role])

    def flush() -> None:
        nonlocal paragraph, items
        if paragraph:
            blocks.append(Block("paragraph", (segment("paragraph", " ".join(paragraph), paragraph_line),)))
            paragraph = []
        if items:
            blocks.append(Block("list", tuple(items)))
            items = []

    for offset, raw in enumerate(lines):
        number = first_line + offset
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        for pattern, reason in _FORBIDDEN_BLOCKS:
            if pattern.match(line):
                raise SourceError(path, number, reason)
        if line.startswith("## "):
            flush()
            blocks.append(Block("heading", (segment("heading", line[3:], number),)))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(segment("item", line[2:], number))
        else:
            if items:
                raise SourceError(path, number, "a list item is one line; leave a blank line after a list")
            if not paragraph:
                paragraph_line = number
            paragraph.append(line.strip())
    flush()
    return tuple(blocks)


def parse_article(
    path: str | Path,
    text: str,
    languages: Iterable[str],
    slug: str | None = None,
) -> Article:
    """Parse the source ``text`` of the article at ``path``; raise :class:`SourceError` if unusable."""
    path = str(path)
    slug = slug if slug is not None else Path(path).stem
    if not _SLUG.match(slug):
        raise SourceError(path, 1, f"the file name {slug!r} is not a slug (lowercase letters, digits, hyphens)")
    front_lines, body_lines, body_first_line = split_front_matter(path, text)
    try:
        meta = tomllib.loads("\n".join(front_lines))
    except tomllib.TOMLDecodeError as error:
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise SourceError(path, 1 + _toml_error_line(error), f"front matter is not valid TOML: {message}") from None

    def line_of(key: str) -> int:
        return _key_line(front_lines, key, 2)

    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            known = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            raise SourceError(path, line_of(key), f"unknown front-matter key {key!r} (known: {known})")
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise SourceError(path, 1, f"the front matter has no {key!r}")

    languages = list(languages)
    if meta["source_language"] not in languages:
        raise SourceError(
            path, line_of("source_language"),
            f"source_language {meta['source_language']!r} is not one of {', '.join(languages)}",
        )
    if meta["category"] not in CATEGORIES:
        raise SourceError(
            path, line_of("category"),
            f"unknown category {meta['category']!r} (known: {', '.join(CATEGORIES)})",
        )
    published = _parse_published(path, line_of("published"), meta["published"])
    title = Segment("title", _checked_text(path, line_of("title"), "title", meta["title"]), line_of("title"), 1)
    summary = None
    if "summary" in meta:
        line = line_of("summary")
        summary = Segment("summary", _checked_text(path, line, "summary", meta["summary"]), line, 1)
    points_value = meta.get("points", [])
    if not isinstance(points_value, list):
        raise SourceError(path, line_of("points"), "points must be a list of texts")
    points = []
    for number, value in enumerate(points_value, start=1):
        line = _value_line(front_lines, value, line_of("points"), 2) if isinstance(value, str) else line_of("points")
        points.append(Segment("point", _checked_text(path, line, f"point {number}", value), line, number))
    image_credit = meta.get("image_credit")
    if image_credit is not None and not isinstance(image_credit, str):
        raise SourceError(path, line_of("image_credit"), "image_credit must be text")
    if image_credit is not None:
        _unusable_character(path, line_of("image_credit"), image_credit, "image_credit")
    image = _parse_image(path, meta, line_of)
    body = _parse_body(path, body_lines, body_first_line)
    if not body:
        raise SourceError(path, body_first_line, "the article has no body text")
    return Article(
        slug=slug,
        title=title,
        category=meta["category"],
        published=published,
        source_language=meta["source_language"],
        summary=summary,
        points=tuple(points),
        image_credit=image_credit,
        body=body,
        path=path,
        image=image,
    )


def _parse_image(path: str, meta: dict[str, object], line_of: Callable[[str], int]) -> LeadImage | None:
    """Read ``image``, ``image_alt`` and ``image_caption``: a file name in ``images/`` and two texts."""
    if "image" not in meta:
        for key in ("image_alt", "image_caption"):
            if key in meta:
                raise SourceError(path, line_of(key), f"{key} needs an image")
        return None
    name = meta["image"]
    line = line_of("image")
    try:
        check_image_name(name if isinstance(name, str) else "")
    except ImageError as error:
        raise SourceError(path, line, str(error) if isinstance(name, str) else "image must be a file name") from None
    if "image_alt" not in meta:
        raise SourceError(path, line, "an image needs image_alt: what it shows, for readers who cannot see it")
    alt_line = line_of("image_alt")
    alt = Segment("image_alt", _checked_text(path, alt_line, "image_alt", meta["image_alt"]), alt_line, 1)
    caption = None
    if "image_caption" in meta:
        caption_line = line_of("image_caption")
        caption = Segment("image_caption", _checked_text(path, caption_line, "image_caption", meta["image_caption"]),
                          caption_line, 1)
    return LeadImage(str(name), alt, caption, line)


@dataclass(frozen=True)
class ArticleInfo:
    """An article's front matter as lists show it: title, category, date, source language (and lead image)."""

    slug: str
    title: str
    category: str | None
    published: datetime | None
    source_language: str | None
    image: str | None = None  # the lead image's file name, checked usable when the front matter was read
