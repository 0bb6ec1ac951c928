"""Which names languages, articles and catalog domains may have, and how domains are spelled.

Languages and domains come from URLs and command lines: every path is built from names
these rules accept, so nothing outside ``LOCALES_DIR`` can be reached through them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MESSAGES_DOMAIN = "messages"
ARTICLES_PREFIX = "articles/"
#: The language the UI strings are written in; it needs no ``messages`` catalog.
UI_SOURCE_LANGUAGE = "en"
#: The header in which an article's template and catalogs name the article's source language.
SOURCE_LANGUAGE_HEADER = "X-Source-Language"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


class UnknownDomain(ValueError):
    """A domain that is neither ``messages`` nor ``articles/<slug>``."""


def is_valid_slug(slug: str) -> bool:
    """Tell whether ``slug`` can name an article (lowercase letters, digits, hyphens)."""
    return bool(_SLUG.match(slug))


def is_valid_language(language: str) -> bool:
    """Tell whether ``language`` looks like a language code (``uk``, ``en``, ``pt_BR``)."""
    return bool(_LANGUAGE.match(language))


def article_domain(slug: str) -> str:
    """Return the gettext domain of the article ``slug``."""
    return ARTICLES_PREFIX + slug


def article_slug(domain: str) -> str | None:
    """Return the article slug of ``domain``, ``None`` for ``messages``; raise UnknownDomain otherwise."""
    if domain == MESSAGES_DOMAIN:
        return None
    if domain.startswith(ARTICLES_PREFIX) and is_valid_slug(domain[len(ARTICLES_PREFIX):]):
        return domain[len(ARTICLES_PREFIX):]
    raise UnknownDomain(f"unknown catalog domain {domain!r}: use 'messages' or 'articles/<slug>'")


@dataclass(frozen=True)
class CatalogKey:
    """Which catalog: a language and a domain (``messages`` or ``articles/<slug>``)."""

    language: str
    domain: str

    @property
    def slug(self) -> str | None:
        """Return the article slug of the domain, ``None`` for ``messages``."""
        return article_slug(self.domain)

    def __str__(self) -> str:
        return f"{self.language}/{self.domain}"
