"""Atom feeds (RFC 4287) of the newest variants published in one language.

Plain data in, XML text out: the web floor gathers the entries, in the feed's language,
and this module writes them. Machine dates are RFC 3339; the human-readable date in each
entry's content is written the way the feed's language writes it (the caller passes it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

from .publishing import xml_attribute, xml_text

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
#: How many entries a feed carries.
FEED_SIZE = 20


@dataclass(frozen=True)
class FeedEntry:
    """One article variant as a feed entry, every text in the feed's language."""

    id: str
    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime
    category: str | None = None  # the category's key (Atom ``term``)
    category_label: str | None = None  # its display name in the feed's language
    content_html: str | None = None  # HTML, already escaped where it holds text (a localized byline)


@dataclass(frozen=True)
class Feed:
    """A feed: its identity, title and language, its own URL and the page it follows."""

    id: str
    title: str
    language: str  # BCP 47, for ``xml:lang``
    self_url: str
    page_url: str
    entries: Sequence[FeedEntry]
    updated: datetime | None = None  # default: the newest entry's; an empty feed needs one

    def last_update(self) -> datetime:
        """Return when the feed last changed: its newest entry's update."""
        if self.updated is not None:
            return self.updated
        moments = [entry.updated for entry in self.entries]
        return max(moments) if moments else datetime(1970, 1, 1, tzinfo=timezone.utc)


def rfc3339(moment: datetime) -> str:
    """Write an aware ``moment`` as RFC 3339, keeping its offset (``2026-11-03T14:20:00+02:00``)."""
    return moment.replace(microsecond=0).isoformat()


def _text(tag: str, value: str) -> str:
    return f"<{tag}>{xml_text(value)}</{tag}>"


def render_entry(entry: FeedEntry) -> str:
    """Write one ``<entry>``."""
    lines = [
        "<entry>",
        _text("id", entry.id),
        f'<title type="text">{xml_text(entry.title)}</title>',
        f'<link rel="alternate" type="text/html" href={xml_attribute(entry.url)}/>',
        _text("published", rfc3339(entry.published)),
        _text("updated", rfc3339(entry.updated)),
    ]
    if entry.category:
        label = f" label={xml_attribute(entry.category_label)}" if entry.category_label else ""
        lines.append(f"<category term={xml_attribute(entry.category)}{label}/>")
    if entry.summary:
        lines.append(f'<summary type="text">{xml_text(entry.summary)}</summary>')
    if entry.content_html:
        lines.append(f'<content type="html">{xml_text(entry.content_html)}</content>')
    lines.append("</entry>")
    return "\n  ".join(lines[:-1]) + "\n" + lines[-1] + "\n"


def render_atom(feed: Feed) -> str:
    """Write the whole Atom document."""
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NAMESPACE}" xml:lang={xml_attribute(feed.language)}>',
        _text("id", feed.id),
        f'<title type="text">{xml_text(feed.title)}</title>',
        _text("updated", rfc3339(feed.last_update())),
        f'<link rel="self" type="application/atom+xml" href={xml_attribute(feed.self_url)}/>',
        f'<link rel="alternate" type="text/html" hreflang={xml_attribute(feed.language)} href={xml_attribute(feed.page_url)}/>',
        f"<author><name>{xml_text(feed.title)}</name></author>",
    ]
    return "\n".join(head) + "\n" + "".join(render_entry(entry) for entry in feed.entries) + "</feed>\n"
