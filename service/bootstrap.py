"""The composition root: every store of one service instance, built once from the settings.

``create_app`` and the ``l10n`` command line both start here, so the server and the CLI
read and write the same files through the same stores and locks. Building the services
writes nothing; :func:`prepare_tree` is the start-up step that does (``l10n serve`` and
the tests' fixtures call it).
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from . import pipeline
from .storage.accounts import Accounts, database_path
from .storage.catalogs import CatalogStore, Change, ChangeLog
from .storage.layout import Layout
from .domain.glossary import Glossary
from .storage.glossary import Glossaries, database_path as glossary_path
from .storage.locks import lock_folder
from .storage.memory import Learner, TranslationMemory, database_path as memory_path
from .storage.sources import SourceStore


class Services:
    """The stores of one instance: catalogs, sources, accounts and the history of changes.

    Stores that create files (the accounts database) are opened on first use, so a command
    that never needs them leaves ``INSTANCE_DIR`` as it was.
    """

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings
        self.languages: list[str] = list(settings["LANGUAGES"])
        self.layout = Layout(settings["LOCALES_DIR"])
        self.instance_dir: Path = settings["INSTANCE_DIR"]
        #: The catalogs' lock files: every writer of a catalog, server or CLI, holds its lock.
        self.lock_dir = lock_folder(self.instance_dir)
        self.sources = SourceStore(settings["CONTENT_DIR"], self.languages)

    @cached_property
    def accounts(self) -> Accounts:
        """Accounts, tokens, login throttling (the SQLite database in ``INSTANCE_DIR``)."""
        return Accounts(database_path(self.instance_dir))

    @property
    def history(self) -> Accounts:
        """Where every change of a catalog is recorded (the accounts database's history)."""
        return self.accounts

    def has_history(self) -> bool:
        """Tell whether a history exists yet (without creating the database)."""
        return "accounts" in self.__dict__ or database_path(self.instance_dir).exists()

    @cached_property
    def catalogs(self) -> CatalogStore:
        """The catalog store: cached reads, locked atomic writes, figures; saves recorded in the history."""
        return CatalogStore(self.layout, self.languages, lock_dir=self.lock_dir, history=_LazyHistory(self),
                            memory=self.memory_learner, glossary=self.glossary_of)

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

    @property
    def memory_learner(self) -> Learner:
        """What the write paths tell what they wrote: the memory, once it exists (until then, nothing to tell)."""
        return _LazyMemory(self)


class _LazyHistory(ChangeLog):
    """The history, opened when the first change is recorded (reading catalogs needs no database)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def record_change(self, change: Change) -> int:
        return self._services.history.record_change(change)


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


def prepare_tree(services: Services) -> pipeline.Report:
    """Compile every catalog whose ``.mo`` is missing or older than it (a fresh clone has none).

    Compiled catalogs are build output, not committed; each is compiled under its catalog's
    lock, so a save's fresh ``.mo`` is never replaced by an older one.
    """
    return pipeline.compile_all(services.layout, services.languages, only_outdated=True, lock_dir=services.lock_dir)
