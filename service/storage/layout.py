"""Where templates and catalogs live under ``LOCALES_DIR``, built from validated names only."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..domain.names import (
    MESSAGES_DOMAIN, CatalogKey, UnknownDomain, article_domain, article_slug, is_valid_language, is_valid_slug,
)


#: The longest file name (in bytes) common file systems keep (ext4, XFS, btrfs, tmpfs: 255).
NAME_MAX = 255


class CatalogNotFound(LookupError):
    """No catalog of that language and domain."""


class UnknownLanguage(LookupError):
    """A language code that is not one of the configured languages."""


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

    def known_catalog(self, key: CatalogKey, languages: list[str]) -> Path:
        """Return the path of a catalog of ``languages``; raise :class:`CatalogNotFound` for any other key."""
        if key.language not in languages or not is_valid_language(key.language):
            raise CatalogNotFound(f"unknown language {key.language!r}")
        try:
            path = self.catalog(key.language, key.domain)
        except (UnknownDomain, ValueError) as error:
            raise CatalogNotFound(str(error)) from None
        if len(path.name.encode("utf-8")) > NAME_MAX:  # no file system keeps such a name: no such catalog
            raise CatalogNotFound(f"no catalog {key}: the name is too long to be a file")
        return path

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
            articles = base / "articles"
            for name in _names_ending(articles, ".po"):  # names, not paths, sorted: 20,000 of them at start
                slug = name[:-len(".po")]
                if is_valid_slug(slug):
                    found.append((language, article_domain(slug), articles / name))
        return found


def _names_ending(folder: Path, suffix: str) -> list[str]:
    """Return the sorted names in ``folder`` that end with ``suffix`` (none when it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries if entry.name.endswith(suffix))
    except (FileNotFoundError, NotADirectoryError):
        return []
