"""The catalog store: the one door through which the service reads and writes PO/MO files.

Reading is cached per process and keyed by file identity (inode, size, mtime), so a
catalog saved by another worker process is picked up on the next request without a
restart, and the cache holds at most ``max_cached`` catalogs (least recently used out).
Writing happens under a per-catalog lock that works across processes (``flock``), through
a temporary file renamed over the catalog, and recompiles the ``.mo`` beside it.
Statistics (the figures coverage shows) are cached the same way, for every catalog and
template at once: a warm request only ``stat``s the files.
"""
from __future__ import annotations

import copy
import errno
import gettext
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Iterator, Protocol, TypeVar, Union

import polib

from ..domain import checks
from ..domain.statistics import (
    CatalogStatistics, ScanError, scan_statistics, statistics_of,
)
from ..domain.coverage import catalog_state, percent
from ..domain.names import (
    SOURCE_LANGUAGE_HEADER,
    ARTICLES_PREFIX, MESSAGES_DOMAIN, UI_SOURCE_LANGUAGE, UnknownDomain, article_domain, article_slug, is_valid_language, is_valid_slug,
)
from .layout import Layout
from .locks import catalog_lock
from .memory import Learner
from ..domain.po_format import (
    CatalogError, decode, forbidden_character, format_catalog, parse_catalog, splice_catalog,
)
from .po_files import read_catalog, write_atomically
from ..domain.states import TRANSITION_ACTION, Transition, record_state, state_change, variant_state
from .figures_file import read_statistics_file, write_statistics_file
from ..domain.counting import count_messages, messages
from ..domain.glossary import Glossary
from ..domain.translatable import N_, Message
from ..domain.variants import ArticleVariant, read_variant

logger = logging.getLogger(__name__)

#: Where, in the instance folder, the catalog figures are remembered for the next process.
STATISTICS_FILE_NAME = "statistics.json"
#: Seconds between two writes of that file by one process.
REMEMBER_EVERY = 60

T = TypeVar("T")
FileIdentity = tuple[int, int, int, int]


class CatalogNotFound(LookupError):
    """No catalog of that language and domain."""


def file_identity(path: Path) -> FileIdentity | None:
    """Return what changes when a file is replaced or rewritten, ``None`` if it is missing."""
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:  # a name from a URL too long to be any file
            return None
        raise
    return identity_of(status)


def identity_of(status: os.stat_result) -> FileIdentity:
    """Return the identity of a file from its status (``os.stat`` or ``os.DirEntry.stat``)."""
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def scan_by_slug(directory: Path, suffix: str) -> dict[str, tuple[str, FileIdentity]]:
    """Return the path and identity of every ``<slug><suffix>`` file in ``directory`` (one ``scandir``)."""
    listing: dict[str, tuple[str, FileIdentity]] = {}
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return listing
    with entries:
        for entry in entries:
            slug = entry.name[:-len(suffix)]
            if not entry.name.endswith(suffix) or not is_valid_slug(slug):
                continue
            try:
                listing[slug] = (entry.path, identity_of(entry.stat()))
            except FileNotFoundError:
                continue
    return listing


class FileCache(Generic[T]):
    """A bounded least-recently-used cache of values loaded from files, reloaded when a file changes."""

    def __init__(self, load: Callable[[Path], T], max_entries: int) -> None:
        self._load = load
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[FileIdentity, T]] = OrderedDict()
        self._lock = threading.Lock()
        #: How many times a value was loaded from its file (not found in the cache).
        self.loads = 0

    def get(self, path: Path) -> T:
        """Return the value loaded from ``path``, loading it again if the file changed."""
        return self.get_with_identity(path)[1]

    def get_with_identity(self, path: Path, identity: FileIdentity | None = None) -> tuple[FileIdentity, T]:
        """Return the identity of the file at ``path`` and the value loaded from it.

        A caller that already has the file's status (from ``os.scandir``) passes its identity.
        """
        identity = identity or file_identity(path)
        if identity is None:
            raise FileNotFoundError(path)
        key = os.fspath(path)
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] == identity:
                self._entries.move_to_end(key)
                return cached
        value = self._load(path)
        self.put(key, identity, value)
        self.loads += 1
        return identity, value

    def put(self, path: str, identity: FileIdentity, value: T) -> None:
        """Keep ``value`` as what the file at ``path`` with ``identity`` holds."""
        with self._lock:
            self._entries[path] = (identity, value)
            self._entries.move_to_end(path)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def items(self) -> list[tuple[str, FileIdentity, T]]:
        """Return every cached path with its file identity and value."""
        with self._lock:
            return [(path, identity, value) for path, (identity, value) in self._entries.items()]

    def __len__(self) -> int:
        return len(self._entries)


def _load_translations(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as stream:
        return gettext.GNUTranslations(stream)


def load_statistics(path: Path, display_path: str | None = None) -> CatalogStatistics:
    """Compute a catalog's figures: the fast scanner, or the strict parser when it is unsure."""
    shown = display_path or str(path)
    data = path.read_bytes()
    try:
        return scan_statistics(decode(data, shown))
    except ScanError:
        return statistics_of(parse_catalog(data, shown))  # raises CatalogError with the line


@dataclass(frozen=True)
class CatalogFigures:
    """The statistics of one (language, domain) that needs a catalog, or has one."""

    language: str
    domain: str
    statistics: CatalogStatistics | None  # None: no catalog yet (or a broken one, see error)
    template: CatalogStatistics | None  # None: no template (the source was removed)
    modified: datetime | None = None  # when the catalog file last changed
    error: str | None = None  # why the catalog or its template could not be read


class CatalogStore:
    """Read, cache, lock and write the catalogs of one ``LOCALES_DIR``."""

    def __init__(
        self, layout: Layout, languages: list[str], lock_dir: Path, max_cached: int = 512,
        max_statistics: int = 200_000, history: ChangeLog | None = None, memory: Learner | None = None,
        glossary: Callable[[str], Glossary] | None = None,
    ) -> None:
        self.layout = layout
        self.languages = list(languages)
        self.lock_dir = lock_dir
        self._parsed: FileCache[polib.POFile] = FileCache(read_catalog, max_cached)
        self._compiled: FileCache[gettext.GNUTranslations] = FileCache(_load_translations, max_cached)
        # Readers: the article texts of recently read variants (a front page over thousands of
        # articles reads their states from the statistics below instead).
        self._variants: FileCache[ArticleVariant | None] = FileCache(_load_variant, max_cached)
        self._thread_locks: dict[Path, threading.Lock] = {}
        self._thread_locks_guard = threading.Lock()
        self.snapshot_dir = lock_dir.parent / "snapshots"
        #: Where saves and uploads are recorded (the accounts database); None records nothing.
        self.history = history
        #: Told what every save and upload wrote (the translation memory); None tells nobody.
        self.memory = memory
        #: A language's glossary, for the ``glossary`` check of saves, uploads and entry lists.
        self.glossary = glossary
        self._checked_with: dict[str, Glossary | None] = {}  # the glossary each language's cached checks used
        self._checks: FileCache[dict[str, list[checks.CheckResult]]] = FileCache(_load_checks(self), 64)
        # Small objects, one per catalog and template: big enough for a whole newsroom. Remembered
        # in the instance folder for the next process, written at most once a minute.
        self._statistics: FileCache[CatalogStatistics] = FileCache(self._load_statistics, max_statistics)
        self.statistics_file = lock_dir.parent / STATISTICS_FILE_NAME
        self._statistics_recalled = False
        self._statistics_remembered: tuple[float, int] | None = None  # when, and after how many loads
        # Per language, the last listing of its article catalogs and the states read from it.
        self._last_states: dict[str, tuple[dict[str, tuple[str, FileIdentity]], dict[str, str | None]]] = {}
        # The last listing of every catalog and template, and the figures built from it.
        self._last_figures: dict[tuple[str, ...], tuple[Any, list[CatalogFigures]]] = {}

    def path(self, language: str, domain: str) -> Path:
        """Return the catalog path; raise :class:`CatalogNotFound` for an unknown language or domain."""
        if language not in self.languages or not is_valid_language(language):
            raise CatalogNotFound(f"unknown language {language!r}")
        try:
            return self.layout.catalog(language, domain)
        except (UnknownDomain, ValueError) as error:
            raise CatalogNotFound(str(error)) from None

    def exists(self, language: str, domain: str) -> bool:
        """Tell whether a catalog of ``domain`` in ``language`` exists."""
        try:
            return self.path(language, domain).exists()
        except CatalogNotFound:
            return False

    def catalog(self, language: str, domain: str) -> polib.POFile:
        """Return the parsed catalog, shared and cached: treat it as read-only."""
        try:
            return self._parsed.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def read(self, language: str, domain: str) -> polib.POFile:
        """Return a fresh parse of the catalog, to change and :meth:`write` back."""
        path = self.path(language, domain)
        if not path.exists():
            raise CatalogNotFound(f"no catalog {language}/{domain}")
        return read_catalog(path)

    def translations(self, language: str, domain: str) -> gettext.NullTranslations:
        """Return the compiled translations (``.mo``); empty ones when there is no catalog."""
        try:
            compiled = self.path(language, domain).with_suffix(".mo")
            return self._compiled.get(compiled)
        except (CatalogNotFound, FileNotFoundError):
            return gettext.NullTranslations()

    @contextmanager
    def lock(self, language: str, domain: str) -> Iterator[None]:
        """Hold the catalog's lock, shared by every thread and process of this store."""
        path = self.path(language, domain)
        with self._thread_locks_guard:
            thread_lock = self._thread_locks.setdefault(path, threading.Lock())
        with thread_lock, catalog_lock(self.lock_dir, language, domain):
            yield

    def write(self, language: str, domain: str, catalog: polib.POFile) -> None:
        """Write ``catalog`` atomically and recompile its ``.mo``; call while holding :meth:`lock`."""
        path = self.path(language, domain)
        write_atomically(path, format_catalog(catalog).encode("utf-8"))
        write_atomically(path.with_suffix(".mo"), catalog.to_binary())
        os.utime(path.with_suffix(".mo"))  # never older than the catalog it came from

    def variant(self, language: str, slug: str) -> ArticleVariant | None:
        """Return what the catalog of article ``slug`` in ``language`` holds for readers.

        ``None`` when there is no catalog (the source language never has one) or it cannot
        be read; fuzzy translations are included, unlike in the ``.mo``.
        """
        path = self._article_catalog(language, slug)
        if path is None:
            return None
        try:
            return self._variants.get(path)
        except FileNotFoundError:
            return None

    def variant_state(self, language: str, slug: str) -> str | None:
        """Return the state of article ``slug`` in ``language`` (``None``: no readable catalog)."""
        path = self._article_catalog(language, slug)
        if path is None:
            return None
        return self._state_of(path)

    def variant_states(self, language: str) -> dict[str, str | None]:
        """Return the state of every article catalog of ``language`` by slug (``None``: unreadable).

        One ``stat`` per catalog (a ``scandir``); the same dict as last time, shared, while
        no catalog of the language changed: a front page over thousands of articles.
        """
        listing = scan_by_slug(self.path(language, MESSAGES_DOMAIN).parent / "articles", ".po")
        last = self._last_states.get(language)
        if last is None or last[0] != listing:
            self._recall_statistics()
            states = {slug: self._state_of(path, identity) for slug, (path, identity) in listing.items()}
            self._last_states[language] = last = (listing, states)
        self._remember_statistics()
        return last[1]

    def cache_sizes(self) -> dict[str, int]:
        """Count the entries each in-process cache holds."""
        return {"parsed": len(self._parsed), "compiled": len(self._compiled),
                "variants": len(self._variants), "statistics": len(self._statistics)}

    def _article_catalog(self, language: str, slug: str) -> Path | None:
        if not is_valid_slug(slug):
            return None
        try:
            return self.path(language, article_domain(slug))
        except CatalogNotFound:
            return None

    def _state_of(self, path: Path | str, identity: FileIdentity | None = None) -> str | None:
        # From the fast scanner's figures, not a full parse: a front page asks for thousands.
        try:
            return catalog_state(self._statistics.get_with_identity(path, identity)[1])
        except FileNotFoundError:
            return None
        except CatalogError as error:
            logger.error("article catalog not served: %s", error)
            return None

    def _recall_statistics(self) -> None:
        """Take the figures the last process remembered, for every file that has not changed since."""
        if self._statistics_recalled:
            return
        self._statistics_recalled = True
        for path, identity, figures in read_statistics_file(self.statistics_file):
            try:
                if identity_of(os.stat(path)) == identity:
                    self._statistics.put(path, identity, figures)
            except OSError:  # gone since
                continue

    def _remember_statistics(self) -> None:
        """Write the figures for the next process when some were read anew (at most once a minute)."""
        now, loads = time.monotonic(), self._statistics.loads
        last = self._statistics_remembered
        if loads == (last[1] if last else 0) or (last is not None and now - last[0] < REMEMBER_EVERY):
            return
        self._statistics_remembered = (now, loads)
        write_statistics_file(self.statistics_file, self._statistics.items())

    def _read_source(self, language: str, domain: str) -> tuple[polib.POFile, str | None]:
        """Parse the catalog for a change, keeping its text so the change can leave the rest untouched."""
        path = self.path(language, domain)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None
        catalog = parse_catalog(data, str(path))
        try:
            return catalog, data.decode("utf-8")
        except UnicodeDecodeError:
            return catalog, None

    def _write_changes(self, language: str, domain: str, catalog: polib.POFile, original: str | None,
                       changed: list[polib.POEntry]) -> None:
        """Write a catalog in which only ``changed`` entries and the header differ; recompile the ``.mo``."""
        path = self.path(language, domain)
        text = splice_catalog(original, catalog, changed) if original is not None else format_catalog(catalog)
        write_atomically(path, text.encode("utf-8"))
        write_atomically(path.with_suffix(".mo"), catalog.to_binary())
        os.utime(path.with_suffix(".mo"))

    def save_entry(self, language: str, domain: str, wanted: str, new: Translation, base: Translation,
                   user: str, fuzzy: bool = False, *, action: str = "save", now: datetime | None = None) -> SaveResult:
        """Save one entry's translation if it still equals ``base``; raise on conflict or failed checks.

        Under the catalog's lock: re-read the file, compare with ``base`` (:class:`CatalogConflict`),
        run the checks (:class:`CheckFailed` on an error), change only this entry and the header,
        write atomically, recompile the ``.mo`` and record the change in the history.
        """
        now = now or datetime.now(timezone.utc)
        with self.lock(language, domain):
            catalog, original = self._read_source(language, domain)
            entry = find_entry(catalog, wanted)
            if entry is None:
                raise EntryNotFound(f"no entry {wanted!r} in {language}/{domain}")
            _check_shape(entry, new, "translation")
            _check_characters(new)
            _check_shape(entry, base, "base")
            current = translation_of(entry)
            if not _same(current, base):
                raise CatalogConflict(_copy(entry))
            results = checks.check_entry(entry, language, checks.catalog_plural_forms(catalog), _forms(new),
                                         self._glossary(language))
            if checks.has_errors(results):
                raise CheckFailed(results)
            if isinstance(new, dict) and isinstance(current, dict):
                new = {index: new.get(index, "") for index in range(max(len(current), len(new)))}
            if _same(current, new) and entry.fuzzy == fuzzy:
                return SaveResult(_copy(entry), results, None)
            old_fuzzy = entry.fuzzy
            before = _article_state(catalog, domain)
            _set_translation(entry, new, fuzzy)
            _stamp(catalog, domain, user, now)
            self._write_changes(language, domain, catalog, original, [entry])
            if self.memory is not None:  # translation memory hook (save) — belongs in edit() after the split
                self.memory.learn(language, domain, catalog, [entry])
            change = Change(user, now, language, domain, wanted, entry.msgctxt, entry.msgid,
                            translation_json(current), translation_json(new), old_fuzzy, fuzzy, action)
            transition = state_change(language, domain, before, _article_state(catalog, domain), now)
            if self.history is not None:
                self.history.record_change(change)
                if transition is not None:
                    self.history.record_change(transition_change(transition, user))
            return SaveResult(_copy(entry), results, change, transition)

    def download(self, language: str, domain: str) -> bytes:
        """Return the catalog as a PO file naming its revision, kept as a snapshot for merging its upload."""
        path = self.path(language, domain)
        if not path.exists():
            raise CatalogNotFound(f"no catalog {language}/{domain}")
        data = path.read_bytes()
        revision = hashlib.sha256(data).hexdigest()[:20]
        snapshot = self._snapshot_path(language, domain, revision)
        if snapshot.exists():
            os.utime(snapshot)  # downloaded again: kept as long as if it were new
        else:
            write_atomically(snapshot, data)
            _prune_snapshots(snapshot.parent)
        catalog = parse_catalog(data, str(path))
        catalog.metadata[BASE_REVISION_HEADER] = revision
        return format_catalog(catalog).encode("utf-8")

    def upload(self, language: str, domain: str, data: bytes, user: str,
               now: datetime | None = None) -> UploadReport:
        """Merge an uploaded PO file entry by entry; report conflicts instead of overwriting.

        Raises :class:`CatalogError` (with the line) for a broken file, changing nothing. An entry
        is applied when the stored value is still what the file was downloaded with (the
        ``X-Base-Revision`` snapshot) or is empty; when both sides changed it, the stored value
        stays and the uploaded one is kept in the history as a ``conflict`` row, to apply later.
        """
        now = now or datetime.now(timezone.utc)
        path = self.path(language, domain)
        uploaded = parse_catalog(data, UPLOAD_NAME, checks.catalog_plural_forms(self.catalog(language, domain)))
        declared = uploaded.metadata.get("Language")
        if declared and declared.strip() != language:
            raise CatalogError(UPLOAD_NAME, 1, f"the file is for language {declared.strip()!r}, not {language!r}")
        if not path.exists():
            raise CatalogNotFound(f"no catalog {language}/{domain}")
        base = self._base_catalog(language, domain, uploaded.metadata.get(BASE_REVISION_HEADER))
        base_index = {(e.msgctxt, e.msgid): e for e in messages(base)} if base is not None else {}
        report = UploadReport()
        changes: list[Change] = []
        with self.lock(language, domain):
            catalog, original = self._read_source(language, domain)
            changed: list[polib.POEntry] = []
            before = _article_state(catalog, domain)
            plural_forms = checks.catalog_plural_forms(catalog)
            index = {(e.msgctxt, e.msgid): e for e in messages(catalog)}
            for incoming in messages(uploaded):
                key = (incoming.msgctxt, incoming.msgid)
                target = index.get(key)
                identity = {"id": entry_id(*key), "msgctxt": incoming.msgctxt, "msgid": incoming.msgid}
                if target is None:
                    report.unknown.append({**identity, "line": incoming.linenum})
                    continue
                theirs = translation_of(incoming)
                try:
                    _check_shape(target, theirs, "translation")
                except InvalidTranslation as error:
                    report.rejected.append({**identity, "error": str(error), "checks": []})
                    continue
                ours = translation_of(target)
                if _same(theirs, ours) and incoming.fuzzy == target.fuzzy:
                    report.unchanged += 1
                    continue
                previous = base_index.get(key)
                if previous is not None and _same(translation_of(previous), theirs) and previous.fuzzy == incoming.fuzzy:
                    report.unchanged += 1  # the uploader did not touch it; ours is newer
                    continue
                if previous is None and not _forms_filled(theirs):
                    report.unchanged += 1  # an empty msgstr in a file of unknown origin says nothing
                    continue
                untouched = (_same(translation_of(previous), ours) and previous.fuzzy == target.fuzzy
                             if previous is not None else not _forms_filled(ours))
                if not untouched:
                    report.conflicts.append({**identity, "current": translation_json(ours),
                                             "uploaded": translation_json(theirs)})
                    changes.append(Change(user, now, language, domain, identity["id"], target.msgctxt, target.msgid,
                                          translation_json(ours), translation_json(theirs), target.fuzzy,
                                          incoming.fuzzy, "conflict"))
                    continue
                results = checks.check_entry(target, language, plural_forms, _forms(theirs), self._glossary(language))
                if checks.has_errors(results):
                    report.rejected.append({**identity, "error": "failed checks", "checks": results})
                    continue
                changes.append(Change(user, now, language, domain, identity["id"], target.msgctxt, target.msgid,
                                      translation_json(ours), translation_json(theirs), target.fuzzy, incoming.fuzzy,
                                      "upload"))
                _set_translation(target, theirs, incoming.fuzzy)
                changed.append(target)
                report.applied.append({**identity, "checks": results})
            if report.applied:
                _stamp(catalog, domain, user, now)
                self._write_changes(language, domain, catalog, original, changed)
                if self.memory is not None:  # translation memory hook (upload) — belongs in edit() after the split
                    self.memory.learn(language, domain, catalog, changed)
                report.transition = state_change(language, domain, before, _article_state(catalog, domain), now)
            if report.transition is not None:
                changes.append(transition_change(report.transition, user))
            if self.history is not None:
                for change in changes:
                    self.history.record_change(change)
        return report

    def entry_checks(self, language: str, domain: str) -> dict[str, list[checks.CheckResult]]:
        """Return the check results of every entry that has some, by entry id (cached until the file changes)."""
        glossary = self._glossary(language)
        if language in self._checked_with and self._checked_with[language] is not glossary:
            self._checks = FileCache(_load_checks(self), 64)  # the glossary changed: check again
            self._checked_with.clear()
        self._checked_with[language] = glossary
        try:
            return self._checks.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def _glossary(self, language: str) -> Glossary | None:
        """Return the glossary of ``language`` for the checks (``None`` without glossaries)."""
        return self.glossary(language) if self.glossary is not None else None

    def summary(self, language: str, domain: str) -> dict[str, Any]:
        """Return a catalog's message counts (as msgfmt counts them), its state and how many entries fail a check."""
        catalog = self.catalog(language, domain)
        counts = count_messages(catalog)
        failing = self.entry_checks(language, domain)
        return {
            "language": language, "domain": domain, "article": article_slug(domain),
            "translated": counts.translated, "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
            "total": counts.total,
            "percent": percent(counts.translated, counts.total),  # rounded down, as coverage shows it
            "state": variant_state(catalog) if article_slug(domain) is not None else None,
            "errors": sum(1 for results in failing.values() if checks.has_errors(results)),
            "warnings": sum(1 for results in failing.values() if not checks.has_errors(results)),
        }

    def _snapshot_path(self, language: str, domain: str, revision: str) -> Path:
        return self.snapshot_dir / language / domain.replace("/", "__") / f"{revision}.po"

    def _base_catalog(self, language: str, domain: str, revision: str | None) -> polib.POFile | None:
        if not revision or not _REVISION.match(revision.strip()):
            return None
        snapshot = self._snapshot_path(language, domain, revision.strip())
        try:
            return read_catalog(snapshot)
        except (OSError, CatalogError):
            return None

    def _load_statistics(self, path: Path | str) -> CatalogStatistics:
        path = Path(path)
        try:
            shown = str(path.relative_to(self.layout.locales_dir.parent))
        except ValueError:
            shown = str(path)
        return load_statistics(path, shown)

    def statistics(self, language: str, domain: str) -> CatalogStatistics:
        """Return the catalog's figures, cached until the file changes; CatalogError if it is broken."""
        try:
            return self._statistics.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def template_statistics(self, domain: str) -> CatalogStatistics:
        """Return the figures of the template of ``domain`` (everything untranslated)."""
        try:
            return self._statistics.get(self.layout.template(domain))
        except (UnknownDomain, FileNotFoundError):
            raise CatalogNotFound(f"no template for {domain}") from None

    def _cached_statistics(self, path: str, identity: FileIdentity) -> CatalogStatistics:
        return self._statistics.get_with_identity(path, identity)[1]  # type: ignore[arg-type]

    def figures(self, languages: list[str] | None = None) -> list[CatalogFigures]:
        """Return the figures of every catalog that exists or is needed, by domain then language.

        A catalog is needed in every language but the source language of its template (English
        for ``messages``); a needed catalog that does not exist yet comes with ``statistics=None``.
        Directories are listed with ``os.scandir`` and cached figures checked against each
        entry's status, so a warm call costs one ``stat`` per file; when no file changed at all,
        the same list as last time is returned.
        """
        languages = [language for language in (languages or self.languages) if language in self.languages]
        templates = scan_by_slug(self.layout.locales_dir / "articles", ".pot")
        catalogs: dict[str, dict[str, tuple[str, FileIdentity]]] = {}
        for language in languages:
            catalogs[language] = scan_by_slug(self.layout.catalog(language, MESSAGES_DOMAIN).parent / "articles", ".po")
        ui_files = [self.layout.template(MESSAGES_DOMAIN)] + [self.layout.catalog(language, MESSAGES_DOMAIN)
                                                             for language in languages]
        listing = (templates, catalogs, [file_identity(path) for path in ui_files])
        key = tuple(languages)
        last = self._last_figures.get(key)
        # When not one file changed: the very same figures as last time (callers may cache on them).
        if last is None or last[0] != listing:
            self._recall_statistics()
            self._last_figures[key] = last = (listing, self._build_figures(languages, templates, catalogs))
        self._remember_statistics()
        return last[1]

    def _build_figures(
        self, languages: list[str], templates: dict[str, tuple[str, FileIdentity]],
        catalogs: dict[str, dict[str, tuple[str, FileIdentity]]],
    ) -> list[CatalogFigures]:
        found: list[CatalogFigures] = []
        self._domain_figures(MESSAGES_DOMAIN, languages, found)
        slugs = set(templates).union(*(set(mine) for mine in catalogs.values()))
        for slug in sorted(slugs):
            template: CatalogStatistics | None = None
            template_error = None
            if slug in templates:
                try:
                    template = self._cached_statistics(*templates[slug])
                except FileNotFoundError:
                    pass
                except CatalogError as error:
                    template_error = str(error)
            source = template.header(SOURCE_LANGUAGE_HEADER) if template else None
            domain = ARTICLES_PREFIX + slug
            for language in languages:
                entry = catalogs[language].get(slug)
                if entry is None:
                    if template is not None and language != source:
                        found.append(CatalogFigures(language, domain, None, template, error=template_error))
                    elif template_error and language != source:
                        found.append(CatalogFigures(language, domain, None, None, error=template_error))
                    continue
                found.append(self._catalog_figures(language, domain, entry, template, template_error))
        return found

    def _domain_figures(self, domain: str, languages: list[str], found: list[CatalogFigures]) -> None:
        """Add the figures of ``messages`` in every language but the UI's source language."""
        template_path = self.layout.template(domain)
        template: CatalogStatistics | None = None
        template_error = None
        try:
            template = self._statistics.get(template_path)
        except FileNotFoundError:
            pass
        except CatalogError as error:
            template_error = str(error)
        for language in languages:
            path = self.layout.catalog(language, domain)
            identity = file_identity(path)
            if identity is None:
                if language != UI_SOURCE_LANGUAGE and (template is not None or template_error):
                    found.append(CatalogFigures(language, domain, None, template, error=template_error))
                continue
            found.append(self._catalog_figures(language, domain, (str(path), identity), template, template_error))

    def _catalog_figures(
        self, language: str, domain: str, entry: tuple[str, FileIdentity], template: CatalogStatistics | None,
        template_error: str | None,
    ) -> CatalogFigures:
        path, identity = entry
        try:
            statistics = self._cached_statistics(path, identity)
        except FileNotFoundError:  # removed since the listing
            return CatalogFigures(language, domain, None, template, error=template_error)
        except CatalogError as error:
            return CatalogFigures(language, domain, None, template, error=str(error))
        modified = datetime.fromtimestamp(identity[2] / 1e9, timezone.utc)
        return CatalogFigures(language, domain, statistics, template, modified, template_error)


def _prune_snapshots(folder: Path) -> None:
    """Remove a catalog's snapshots not downloaded for :data:`SNAPSHOT_MAX_AGE` seconds.

    An upload based on a removed snapshot still merges; without its base, every entry
    changed on both sides is reported as a conflict rather than told apart.
    """
    oldest = time.time() - SNAPSHOT_MAX_AGE
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.name.endswith(".po") and entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)
            except FileNotFoundError:  # another worker removed it first
                continue


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """Return the stable id of an entry: 16 hex digits of SHA-1 over ``msgctxt + "\\x04" + msgid``."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# --- editing entries ------------------------------------------------------------------------

#: A translation as the store takes it: a msgstr, or plural forms by index.
Translation = Union[str, dict[int, str]]
#: Seconds a downloaded catalog's snapshot is kept after its last download (90 days).
SNAPSHOT_MAX_AGE = 90 * 24 * 60 * 60
#: Header naming the snapshot a downloaded catalog was made from, for a three-way merge on upload.
BASE_REVISION_HEADER = "X-Base-Revision"
_REVISION = re.compile(r"^[0-9a-f]{20}$")
#: The name an uploaded PO file has in the errors it raises.
UPLOAD_NAME = "upload"
_REVISION_DATE_FORMAT = "%Y-%m-%d %H:%M%z"
_FORM_INDEX = re.compile(r"[0-9]{1,2}")


class EntryNotFound(LookupError):
    """No entry with that id in the catalog."""


class InvalidTranslation(ValueError):
    """A translation whose shape does not fit the entry (plural forms for a singular message, …)."""


class CatalogConflict(Exception):
    """The entry changed since the edit started (its value is no longer ``base``)."""

    def __init__(self, current: polib.POEntry) -> None:
        super().__init__("the entry was changed by someone else since your edit started")
        self.current = current


class CheckFailed(Exception):
    """A translation that fails a check at ``error`` level."""

    def __init__(self, results: list[checks.CheckResult]) -> None:
        super().__init__("; ".join(result.message for result in results if result.level == checks.Level.ERROR))
        self.results = results


@dataclass(frozen=True)
class Change:
    """One change of one entry, as the history records it (``old``/``new`` as JSON values)."""

    user: str
    at: datetime
    language: str
    domain: str
    entry_id: str
    msgctxt: str | None
    msgid: str
    old: Any
    new: Any
    old_fuzzy: bool
    new_fuzzy: bool
    action: str = "save"


def transition_change(transition: Transition, user: str) -> Change:
    """Return the catalog-level history row of a state transition (no entry: id and msgid empty)."""
    return Change(user, transition.at, transition.language, transition.domain, "", None, "", transition.old,
                  transition.new, False, False, TRANSITION_ACTION)


class ChangeLog(Protocol):
    """Where the store records changes (the accounts database)."""

    def record_change(self, change: Change) -> int: ...


@dataclass(frozen=True)
class SaveResult:
    """A saved entry, its warnings, the recorded change (``None`` if nothing changed) and state transition."""

    entry: polib.POEntry
    checks: list[checks.CheckResult]
    change: Change | None
    transition: Transition | None = None  # the variant's state change the save made, if any


@dataclass
class UploadReport:
    """What merging an uploaded PO file did, entry by entry."""

    applied: list[dict[str, Any]] = field(default_factory=list)  # each with its "checks": list[CheckResult]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # likewise
    unknown: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    transition: Transition | None = None  # the variant's state change the upload made (not in the JSON)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {"applied": _checks_as_json(self.applied), "conflicts": self.conflicts,
                "rejected": _checks_as_json(self.rejected), "unknown": self.unknown, "unchanged": self.unchanged}


def _checks_as_json(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return report items with their check results as JSON."""
    return [{**item, "checks": [result.as_json() for result in item["checks"]]} for item in items]


def translation_of(entry: polib.POEntry) -> Translation:
    """Return the entry's msgstr, or its plural forms as ``{index: text}``."""
    if entry.msgid_plural:
        return {int(index): text for index, text in entry.msgstr_plural.items()}
    return entry.msgstr


def form_index(key: object) -> int | None:
    """Return the plural form a JSON key names (ASCII ``"0"``, ``"1"``, …), ``None`` for any other key."""
    if isinstance(key, str) and _FORM_INDEX.fullmatch(key):
        return int(key)
    return None


def translation_json(translation: Translation) -> str | dict[str, str]:
    """Return a translation as JSON writes it (plural keys as strings)."""
    if isinstance(translation, dict):
        return {str(index): translation[index] for index in sorted(translation)}
    return translation


def _forms(translation: Translation) -> str | list[str]:
    if isinstance(translation, dict):
        return [translation[index] for index in sorted(translation)]
    return translation


def _same(first: Translation, second: Translation) -> bool:
    """Compare translations, plural forms missing at the end counting as empty."""
    if isinstance(first, dict) and isinstance(second, dict):
        size = max([*first, *second], default=-1) + 1
        return all(first.get(index, "") == second.get(index, "") for index in range(size))
    return first == second


def _check_shape(entry: polib.POEntry, translation: Translation, what: str) -> None:
    if entry.msgid_plural:
        if not isinstance(translation, dict):
            raise InvalidTranslation(f"{what}: this message has plural forms: give msgstr_plural")
        if sorted(translation) != list(range(len(translation))):
            raise InvalidTranslation(f"{what}: plural forms must be numbered 0, 1, 2, … without gaps")
    elif not isinstance(translation, str):
        raise InvalidTranslation(f"{what}: this message has no plural: give msgstr")


def _check_characters(translation: Translation) -> None:
    for text in translation.values() if isinstance(translation, dict) else [translation]:
        character = forbidden_character(text)
        if character:
            raise InvalidTranslation(Message(N_("translation: control character %(character)s is not allowed "
                                                "(a NUL would cut the text short on the page)"), character=character))


def find_entry(catalog: Iterable[polib.POEntry], wanted: str) -> polib.POEntry | None:
    """Return the message with id ``wanted`` (not the header, not obsolete), if any."""
    for entry in messages(catalog):
        if entry_id(entry.msgctxt, entry.msgid) == wanted:
            return entry
    return None


def _set_translation(entry: polib.POEntry, translation: Translation, fuzzy: bool) -> None:
    if isinstance(translation, dict):
        entry.msgstr_plural = dict(translation)
    else:
        entry.msgstr = translation
    if fuzzy:
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
    else:  # reviewed: no longer fuzzy, and the previous source has done its job
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


def _article_state(catalog: polib.POFile, domain: str) -> str | None:
    """Return the variant state of an article catalog, ``None`` for the UI strings (they have none)."""
    return variant_state(catalog) if article_slug(domain) is not None else None


def _stamp(catalog: polib.POFile, domain: str, user: str, now: datetime) -> None:
    catalog.metadata["PO-Revision-Date"] = now.strftime(_REVISION_DATE_FORMAT)
    catalog.metadata["Last-Translator"] = user
    if article_slug(domain) is not None:
        record_state(catalog, now)


def _copy(entry: polib.POEntry) -> polib.POEntry:
    return copy.deepcopy(entry)


def _forms_filled(translation: Translation) -> bool:
    return any(translation.values()) if isinstance(translation, dict) else bool(translation)


def _load_checks(store: CatalogStore) -> Callable[[Path], dict[str, list[checks.CheckResult]]]:
    def load(path: Path) -> dict[str, list[checks.CheckResult]]:
        language = path.relative_to(store.layout.locales_dir).parts[0]
        catalog = read_catalog(path)
        return {entry_id(entry.msgctxt, entry.msgid): results
                for entry, results in checks.check_catalog(catalog, language, include_fuzzy=True,
                                                           glossary=store._glossary(language))}
    return load


def _load_variant(path: Path) -> ArticleVariant | None:
    try:
        return read_variant(read_catalog(path))
    except CatalogError as error:
        logger.error("article catalog not served: %s", error)
        return None
    # --- statistics ------------------------------------------------------------------------
