"""The composition root: every store of one service instance, built once from the settings.

``create_app`` and the ``l10n`` command line both start here, so the server and the CLI
read and write the same files through the same stores and locks. Building the services
writes nothing; :func:`prepare_tree` is the start-up step that does (``l10n serve`` and
the tests' fixtures call it).
"""
from __future__ import annotations

from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .storage.accounts import Accounts
from .storage.catalogs import ORPHAN_AGE, CatalogStore
from .storage.database import database_path
from .storage.figures import STATISTICS_FILE_NAME, FiguresIndex
from .storage.history import History
from .storage.security_log import SecurityLog
from .storage.layout import Layout
from .storage.po_files import remove_stale_temporaries
from .domain.glossary import Glossary
from .storage.glossary import Glossaries, database_path as glossary_path
from .storage.published import PublishedIndex
from .storage.locks import lock_folder
from .storage.snapshots import Snapshots
from .storage.memory import TranslationMemory, database_path as memory_path
from .storage.images import ImageStore
from .storage.sources import SourceStore
from .storage.sources_file import SOURCES_FILE_NAME
from .storage.start_reading import read_in_background, wait_for_reading

if TYPE_CHECKING:
    from .pipeline import Report


class Services:
    """The stores of one instance: catalogs, figures, snapshots, sources, accounts and the history of changes.

    Stores that create files (the database) open them on first use, so a command that never
    needs them leaves ``INSTANCE_DIR`` as it was.
    """

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.languages: list[str] = list(settings["LANGUAGES"])
        self.layout = Layout(settings["LOCALES_DIR"])
        self.instance_dir: Path = settings["INSTANCE_DIR"]
        #: The catalogs' lock files: every writer of a catalog, server or CLI, holds its lock.
        self.lock_dir = lock_folder(self.instance_dir)
        #: The article sources; their front matter remembered for the next process (a front page lists them all).
        # A server that writes may have a start's reader filling both remembered files: wait for it.
        readers_only = bool(settings.get("READERS_ONLY"))
        before_recall = None if readers_only else partial(wait_for_reading, self.lock_dir)
        self.sources = SourceStore(settings["CONTENT_DIR"], self.languages,
                                   remembered=self.instance_dir / SOURCES_FILE_NAME,
                                   remember=not readers_only, before_recall=before_recall)
        self.images = ImageStore(settings["CONTENT_DIR"])
        #: The statistics of every catalog, told of every write the store makes.
        self.figures = FiguresIndex(self.layout, self.languages, self.instance_dir / STATISTICS_FILE_NAME,
                                    remember=not readers_only, before_recall=before_recall)
        #: The catalog store: cached reads, one locked way to write (``edit``).
        self.catalogs = CatalogStore(self.layout, self.languages, self.lock_dir, self.figures,
                                     memory=_LazyMemory(self), glossary=self.glossary_of,
                                     read_only=bool(settings.get("READERS_ONLY")))
        #: Downloaded catalogs as they were, for three-way merges of their uploads.
        self.snapshots = Snapshots(self.instance_dir / "snapshots", self.catalogs)
        #: Every change of a catalog: who, when, old → new (the database, opened on first use).
        self.history = History(database_path(self.instance_dir))
        #: Which article variants are published and when each last changed (sitemaps, feeds, cards).
        self.published = PublishedIndex(self.sources, self.figures, self.languages)

    @cached_property
    def accounts(self) -> Accounts:
        """Accounts, tokens, login throttling (the SQLite database in ``INSTANCE_DIR``, opened on first use)."""
        return Accounts(database_path(self.instance_dir), password_hash_method=self.settings["PASSWORD_HASH_METHOD"])

    @cached_property
    def security_log(self) -> SecurityLog:
        """Sign-ins, refusals, account changes, saves and uploads (the same database, opened on first use)."""
        return SecurityLog(database_path(self.instance_dir))

    def has_history(self) -> bool:
        """Tell whether a history exists yet (without creating the database)."""
        return self.history.exists()

    @cached_property
    def glossaries(self) -> Glossaries:
        """The glossaries of every language (``INSTANCE_DIR/glossary.sqlite3``, created by the first term)."""
        return Glossaries(glossary_path(self.instance_dir))

    def glossary_of(self, language: str) -> Glossary:
        """Return the glossary of ``language``, ready for matching and the ``glossary`` check."""
        return self.glossaries.glossary(language)

    @cached_property
    def memory(self) -> TranslationMemory:
        """The translation memory (``INSTANCE_DIR/memory.sqlite3``), built from every catalog on first use."""
        return TranslationMemory(memory_path(self.instance_dir), self.layout, self.languages)


class _LazyMemory:
    """The translation memory's :meth:`learn`, skipped while no memory exists (its first use reads every catalog)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def learn(self, language: str, domain: str, catalog: Any, entries: Any = None) -> None:
        if "memory" in self._services.__dict__ or memory_path(self._services.instance_dir).exists():
            self._services.memory.learn(language, domain, catalog, entries)


def build_services(settings: Mapping[str, Any]) -> Services:
    """Return the stores of the instance the settings describe (nothing is written yet)."""
    return Services(settings)


def prepare_tree(services: Services) -> Report:
    """Remove what killed writes left behind, then compile every catalog whose ``.mo`` is missing or older.

    A worker killed between writing a temporary file and renaming it leaves ``.<name>.*.tmp``
    beside the catalog; no live write can be under way for a catalog whose lock is held, so
    they go here. Compiled catalogs are build output, not committed; each is compiled under
    its catalog's lock, so a save's fresh ``.mo`` is never replaced by an older one.
    """
    from . import pipeline  # babel's extraction and the checks: only the commands that change the tree need them

    services.catalogs.remove_orphans()
    if services.instance_dir.is_dir():  # snapshots and remembered figures are written the same way
        remove_stale_temporaries(services.instance_dir, ORPHAN_AGE)
    return pipeline.compile_all(services.catalogs, only_outdated=True)


def read_archive_in_background(services: Services, processes: int) -> int:
    """Fork the start's reader of the archive (:mod:`.storage.start_reading`), at batch priority; return its pid.

    What each worker's first front page would read — every source's front matter, every
    article catalog's figures — is read once, spread over ``processes``, and remembered in
    ``INSTANCE_DIR``; the workers serve other pages meanwhile.
    """
    return read_in_background(services.sources, services.figures, services.lock_dir, processes,
                              services.settings["BATCH_NICENESS"])
