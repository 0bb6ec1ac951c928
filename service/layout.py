"""Where templates and catalogs live under ``LOCALES_DIR``, and which names are allowed.

Languages and domains come from URLs and command lines, so every path is built here from
validated names only: nothing outside ``LOCALES_DIR`` can be reached through them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MESSAGES_DOMAIN = "messages"
ARTICLES_PREFIX = "articles/"
#: The language the UI strings are written in; it needs no ``messages`` catalog.
UI_SOURCE_LANGUAGE = "en"
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
class Layout:
    """The file layout of one ``LOCALES_DIR``."""

    locales_dir: Path

    def template(self, domain: str) -> Path:
        """Path of the ``.pot`` template of ``domain``."""
        slug = article_slug(domain)
        if slug is None:
            return self.locales_dir / "messages.pot"
        return self.locales_dir / "articles" / f"{slug}.pot"

    def catalog(self, language: str, domain: str) -> Path:
        """Path of the ``.po`` catalog of ``domain`` in ``language``."""
        if not is_valid_language(language):
            raise ValueError(f"invalid language code {language!r}")
        slug = article_slug(domain)
        base = self.locales_dir / language / "LC_MESSAGES"
        return base / "messages.po" if slug is None else base / "articles" / f"{slug}.po"

    def compiled(self, language: str, domain: str) -> Path:
        """Path of the compiled ``.mo`` beside the catalog."""
        return self.catalog(language, domain).with_suffix(".mo")

    def template_domains(self) -> list[str]:
        """Every domain that has a template, ``messages`` first, then articles by slug."""
        domains = [MESSAGES_DOMAIN] if self.template(MESSAGES_DOMAIN).exists() else []
        articles = sorted((self.locales_dir / "articles").glob("*.pot"))
        return domains + [article_domain(path.stem) for path in articles if is_valid_slug(path.stem)]

    def catalog_files(self, languages: list[str]) -> list[tuple[str, str, Path]]:
        """Every existing catalog as ``(language, domain, path)``, by language then domain."""
        found = []
        for language in languages:
            base = self.locales_dir / language / "LC_MESSAGES"
            if (base / "messages.po").exists():
                found.append((language, MESSAGES_DOMAIN, base / "messages.po"))
            for path in sorted((base / "articles").glob("*.po")):
                if is_valid_slug(path.stem):
                    found.append((language, article_domain(path.stem), path))
        return found
