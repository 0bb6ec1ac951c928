"""The inline markup articles may use: ``*emphasis*``, ``**strong**`` and ``[links](https://…)``.

Source text and translations go through the same parser (markdown-it-py with only the
emphasis and link rules enabled), so what a check accepts is exactly what a page renders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

from .interface_text import N_, Message

#: What a browser would take for a tag or a comment: attributes may follow a space or a slash ("<svg/onload=…>").
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<!--")
#: Markdown a writer may reach for that the page would show as literal text.
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")
_STRIKETHROUGH = "~~"
#: The characters any summarized markup needs: emphasis (``*``, ``_``), links and images (``[``, ``]``),
#: code spans (a backquote) and tags (``<``). Text without them summarizes to nothing, unparsed.
_MARKUP_CHARACTER = re.compile(r"[*_\[\]`<]")
#: What, left in plain text after parsing, shows the markup did not render: markers and a link's "](".
_STRAY_MARKER = re.compile(r"\*+|`+|\]\(")


def _only_https(url: str) -> bool:
    return url.startswith("https://")


@cache
def _parser() -> MarkdownIt:
    """The one parser, built on first use: a command that renders and checks no text never imports markdown-it."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("zero").enable(["emphasis", "link", "escape"])
    parser.validateLink = _only_https  # type: ignore[method-assign]  # markdown-it-py's documented hook
    return parser


@dataclass(frozen=True)
class MarkupSummary:
    """What markup a piece of text carries, for comparing a translation with its source."""

    emphasis: int = 0
    strong: int = 0
    links: tuple[str, ...] = ()
    html_tags: tuple[str, ...] = ()
    stray_markers: tuple[str, ...] = field(default=())


#: The summary of text without markup characters.
_NO_MARKUP = MarkupSummary()


@lru_cache(maxsize=4096)
def summarize_markup(text: str) -> MarkupSummary:
    """Count the emphasis, strong and link spans of ``text`` and list what cannot render.

    Remembered per text: the markup check reads each source and translation twice, and every
    language's catalog of an article has the same sources.
    """
    if not _MARKUP_CHARACTER.search(text):
        return _NO_MARKUP
    emphasis = strong = 0
    links: list[str] = []
    stray: list[str] = []
    for block in _parser().parseInline(text):
        for token in block.children or []:
            if token.type == "em_open":
                emphasis += 1
                if token.markup != "*":
                    stray.append(token.markup)
            elif token.type == "strong_open":
                strong += 1
                if token.markup != "**":
                    stray.append(token.markup)
            elif token.type == "link_open":
                links.append(str(token.attrGet("href") or ""))
            elif token.type == "text" and _MARKUP_CHARACTER.search(token.content):
                stray.extend(_STRAY_MARKER.findall(token.content))
    stray.extend(["!["] * text.count("!["))
    tags = tuple(match.group(0) for match in _HTML_TAG.finditer(text))
    return MarkupSummary(emphasis, strong, tuple(links), tags, tuple(stray))


def find_markup_problems(text: str) -> list[Message]:
    """Describe each piece of markup in ``text`` outside the allowed set (empty when fine)."""
    summary = summarize_markup(text)
    problems = [Message(N_("HTML is not allowed: %(tag)s"), tag=tag) for tag in summary.html_tags]
    for marker in summary.stray_markers:
        if marker.startswith("_"):
            problems.append(Message(N_("use * for emphasis, not %(marker)s"), marker=marker))
        elif marker.startswith("`"):
            problems.append(Message(N_("code spans are not allowed")))
        elif marker == "![":
            problems.append(Message(N_("images are not allowed")))
        elif marker == "](":
            problems.append(Message(N_("links must be [text](https://…)")))
        else:
            problems.append(Message(N_("unbalanced emphasis marker %(marker)s"), marker=marker))
    if _AUTOLINK.search(text):
        problems.append(Message(N_("links must be [text](https://…), not <…>")))
    if _STRIKETHROUGH in text:
        problems.append(Message(N_("strikethrough (~~) is not allowed")))
    return list(dict.fromkeys(problems))


def render_inline(text: str) -> Markup:
    """Render ``text`` to safe HTML: everything escaped except the allowed markup."""
    return Markup(_parser().renderInline(text))


def strip_markup(text: str) -> str:
    """Return ``text`` as plain words, markup removed (for word counts and summaries)."""
    words: list[str] = []
    for block in _parser().parseInline(text):
        words.extend(token.content for token in block.children or [] if token.type == "text")
    return "".join(words)
