"""The catalog pipeline over the whole tree: extract templates, update catalogs, compile them, check them.

::

    content/<slug>.md ──extract──▶ locales/articles/<slug>.pot ──update──▶ <lang>/…/articles/<slug>.po ──compile──▶ .mo
    service/, templates/ ─extract─▶ locales/messages.pot ──update──▶ <lang>/LC_MESSAGES/messages.po ──compile──▶ .mo

Every step writes a file only when its content changes, so running it twice changes no byte.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping

import polib
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural

from .domain import articles as article_sources
from .domain import checks
from .config import PROJECT_ROOT
from .domain.names import (
    MESSAGES_DOMAIN, SOURCE_LANGUAGE_HEADER, UI_SOURCE_LANGUAGE, CatalogKey, article_domain, article_slug,
)
from .storage import parallel_reads
from .storage.layout import Layout
from .storage.sources import load_article
from .storage.catalogs import CatalogStore
from .domain.editing import CheckFailed, entry_id_of
from .domain.glossary import Glossary
from .domain.merge import merge_catalog
from .domain.po_format import CatalogError, format_catalog
from .storage.check_results import RememberedResults, Row, checks_version, read_check_results, write_check_results
from .storage.file_cache import file_identity, modification_times
from .storage.po_files import StorageUnavailable, read_catalog, write_atomically
from .domain.variant_state import Transition, record_state, state_change, variant_state

BABEL_CONFIG = PROJECT_ROOT / "babel.cfg"
COMMENT_TAGS = ("Translators:",)
_DATE_FORMAT = "%Y-%m-%d %H:%M%z"


@dataclass
class Report:
    """What a pipeline step did: files written, files left alone, problems found."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Article variants whose state the step changed (``update``), for the caller to record.
    transitions: list[Transition] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _header(project: str, created: datetime, extra: dict[str, str] | None = None) -> dict[str, str]:
    metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created.strftime(_DATE_FORMAT),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    metadata.update(extra or {})
    return metadata


def _write_template(path: Path, template: polib.POFile, report: Report) -> None:
    """Write a template, keeping the old file (and its date) when no entry changed."""
    if path.exists():
        try:
            previous = read_catalog(path)
        except CatalogError:
            previous = None
        if previous is not None:
            created = template.metadata["POT-Creation-Date"]
            template.metadata["POT-Creation-Date"] = previous.metadata.get("POT-Creation-Date", created)
            if format_catalog(template) == path.read_text(encoding="utf-8"):
                report.unchanged.append(path)
                return
            template.metadata["POT-Creation-Date"] = created
    write_atomically(path, format_catalog(template).encode("utf-8"))
    report.written.append(path)


def article_template(article: article_sources.Article, reference_dir: str, created: datetime) -> polib.POFile:
    """Build the template of one article: an entry per distinct (role, text) segment."""
    template = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    template.metadata = _header(
        article_domain(article.slug), created, {SOURCE_LANGUAGE_HEADER: article.source_language}
    )
    entries: dict[tuple[str, str], polib.POEntry] = {}
    reference = f"{reference_dir}/{article.slug}.md"
    for segment in article.segments:
        key = (segment.role, segment.text)
        if key in entries:  # the same text twice in one role: one entry, both places
            entries[key].occurrences.append((reference, str(segment.line)))
            entries[key].comment += "\n" + segment.label
            continue
        entries[key] = polib.POEntry(
            msgctxt=segment.role,
            msgid=segment.text,
            msgstr="",
            comment=segment.label,
            occurrences=[(reference, str(segment.line))],
        )
        template.append(entries[key])
    return template


def ui_template(root: Path, created: datetime) -> polib.POFile:
    """Extract the UI strings of ``service/`` and ``templates/`` through ``babel.cfg``."""
    with open(BABEL_CONFIG, encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, text, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(text, None, [(filename, lineno)], auto_comments=comments, context=context)
    template = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    template.metadata = _header("newsroom messages", created)
    for message in catalog:
        if not message.id:
            continue
        singular, plural = (message.id if isinstance(message.id, tuple) else (message.id, None))[:2]
        template.append(polib.POEntry(
            msgctxt=message.context,
            msgid=singular,
            msgid_plural=plural or "",
            msgstr="",
            msgstr_plural={0: "", 1: ""} if plural else {},
            comment="\n".join(message.auto_comments),
            occurrences=[(name, str(line)) for name, line in message.locations],
            flags=sorted(message.flags),
        ))
    return template


def extract(content_dir: Path, layout: Layout, languages: Iterable[str], now: datetime | None = None) -> Report:
    """Write ``messages.pot`` and one ``articles/<slug>.pot`` per source; drop templates of deleted sources."""
    now = now or _now()
    report = Report()
    languages = list(languages)
    try:
        sources = sorted(path for path in content_dir.iterdir() if path.suffix == ".md")
    except FileNotFoundError:
        report.errors.append(f"{content_dir}: the content directory does not exist (CONTENT_DIR)")
        return report
    except OSError as error:  # not a directory, no permission: never read that as "no articles"
        report.errors.append(f"{content_dir}: cannot list the content directory (CONTENT_DIR): {error.strerror or error}")
        return report
    parsed = []
    for path in sources:
        shown = f"{content_dir.name}/{path.name}"
        try:
            parsed.append(load_article(path, languages, shown))
        except article_sources.SourceError as error:
            report.errors.append(str(error))
    if report.errors:
        return report  # a broken source changes nothing
    _write_template(layout.template(MESSAGES_DOMAIN), ui_template(PROJECT_ROOT, now), report)
    for article in parsed:
        path = layout.template(article_domain(article.slug))
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_template(path, article_template(article, content_dir.name, now), report)
    slugs = {article.slug for article in parsed}
    for path in sorted((layout.locales_dir / "articles").glob("*.pot")):
        if path.stem not in slugs:
            path.unlink()
            report.removed.append(path)
    return report


def new_catalog(language: str, template: polib.POFile, now: datetime) -> polib.POFile:
    """Start an empty catalog for ``language`` with its Language and Plural-Forms headers (as msginit)."""
    catalog = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    filled = {
        "PO-Revision-Date": now.strftime(_DATE_FORMAT),
        "Last-Translator": "",
        "Language-Team": language,
    }
    for key, value in template.metadata.items():
        catalog.metadata[key] = filled.get(key, value)
        if key == "Language-Team":  # where msgmerge puts it, so the two agree byte for byte
            catalog.metadata["Language"] = language
    catalog.metadata.setdefault("Language", language)
    catalog.metadata["Plural-Forms"] = str(get_plural(language))
    return catalog


def target_languages(domain: str, template: polib.POFile, languages: Iterable[str]) -> list[str]:
    """The languages that need a catalog of ``domain``: all but the source language."""
    source = UI_SOURCE_LANGUAGE if article_slug(domain) is None else template.metadata.get(SOURCE_LANGUAGE_HEADER)
    return [language for language in languages if language != source]


def update(catalogs: CatalogStore, now: datetime | None = None, domains: list[str] | None = None,
           progress: Callable[[int], None] | None = None) -> Report:
    """Merge every template (of ``domains``: default all) into every target language's catalog (``msgmerge --previous``).

    Each catalog is merged through ``catalogs.edit`` (under its lock), so a save the service
    makes meanwhile is merged too rather than written over. The report lists the article
    variants whose state changed (a new catalog has none yet). ``progress`` is told of each
    template done.
    """
    now = now or _now()
    report = Report()
    for domain in catalogs.layout.template_domains() if domains is None else domains:
        _update_domain(catalogs, domain, now, report)
        if progress is not None:
            progress(1)
    return report


def _update_domain(catalogs: CatalogStore, domain: str, now: datetime, report: Report) -> None:
    """Merge the template of ``domain`` into each of its target languages' catalogs."""
    try:
        template = read_catalog(catalogs.layout.template(domain))
    except CatalogError as error:
        report.errors.append(str(error))
        return
    for language in target_languages(domain, template, catalogs.languages):
        try:
            _update_catalog(catalogs, CatalogKey(language, domain), template, now, report)
        except (CatalogError, StorageUnavailable) as error:
            report.errors.append(str(error))
        except CheckFailed as error:  # the merged text would not read back: the file stays as it was
            report.errors.append(f"{catalogs.path(language, domain)}: {error}")


def _update_catalog(catalogs: CatalogStore, key: CatalogKey, template: polib.POFile, now: datetime,
                    report: Report) -> None:
    with catalogs.edit(key, create=True) as draft:
        path = catalogs.path(key.language, key.domain)
        existing = draft.catalog if draft.exists else new_catalog(key.language, template, now)
        if not existing.metadata:  # an emptied file: merging would write a catalog without Plural-Forms
            report.errors.append(f"{path}:1: the catalog has no header (msgid \"\"); restore it, "
                                 "or delete the file to start the catalog afresh")
            return
        article = key.domain != MESSAGES_DOMAIN
        before = variant_state(existing) if article and draft.exists else None
        merged = merge_catalog(existing, template)
        if article:
            record_state(merged, now)
        draft.replace(merged)
    (report.written if draft.written else report.unchanged).append(path)
    if before is not None:
        transition = state_change(key.language, key.domain, before, variant_state(merged), now)
        if transition is not None:
            report.transitions.append(transition)


def compile_all(catalogs: CatalogStore, only_outdated: bool = False, dry_run: bool = False) -> Report:
    """Compile every catalog; with ``only_outdated``, only those whose ``.mo`` is missing or older.

    Each under its lock (``catalogs.compile``): a save's fresh ``.mo`` is never replaced by one
    compiled from the catalog as it was before the save. With ``dry_run``, only report what
    would be written (a reader replica writes nothing).
    """
    report = Report()
    modified: dict[Path, dict[str, int]] = {}  # each folder listed once, not three calls per catalog
    for language, domain, path in catalogs.layout.catalog_files(catalogs.languages):
        compiled = path.with_suffix(".mo")
        if only_outdated:
            if path.parent not in modified:
                modified[path.parent] = modification_times(path.parent)
            times = modified[path.parent]
            if compiled.name in times and path.name in times and times[compiled.name] >= times[path.name]:
                report.unchanged.append(compiled)
                continue
        if dry_run:
            report.written.append(compiled)
            continue
        try:
            catalogs.compile(CatalogKey(language, domain))
        except (CatalogError, StorageUnavailable) as error:
            report.errors.append(str(error))
            continue
        report.written.append(compiled)
    return report


#: A process checks at least this many catalogs: fewer are not worth starting it for.
CATALOGS_PER_PROCESS = 16


@dataclass(frozen=True)
class CatalogChecks:
    """The check results of one catalog: where it is (``shown`` as reported) and its rows, in report order."""

    language: str
    domain: str
    shown: str
    rows: list[Row]


def check_catalog_file(path: Path, shown: str, language: str, domain: str, include_fuzzy: bool,
                       glossary: Glossary | None) -> list[Row]:
    """Check every translated message of one catalog file; a catalog that cannot be read is one ``catalog`` error."""
    try:
        catalog = read_catalog(path, shown)
    except CatalogError as error:
        return [[error.line, None, None, None, "catalog", "error", error.message]]
    return [
        [entry.linenum, entry_id_of(entry.msgctxt, entry.msgid), entry.msgctxt, entry.msgid, result.check,
         result.level.value, str(result.message)]
        for entry, results in checks.check_catalog(catalog, language, include_fuzzy=include_fuzzy, glossary=glossary,
                                                   interface=domain == MESSAGES_DOMAIN)
        for result in results
    ]


#: One catalog to check in a worker process: path, shown path, language, domain.
_Task = tuple[Path, str, str, str]
_worker_settings: tuple[bool, Mapping[str, Glossary]] = (False, {})


def _start_worker(include_fuzzy: bool, glossaries: Mapping[str, Glossary]) -> None:
    """Keep, in a worker process, what every task shares (sent once, not with each catalog)."""
    global _worker_settings
    _worker_settings = (include_fuzzy, glossaries)


def _check_task(task: _Task) -> list[Row]:
    path, shown, language, domain = task
    include_fuzzy, glossaries = _worker_settings
    return check_catalog_file(path, shown, language, domain, include_fuzzy, glossaries.get(language))


def check_all(layout: Layout, languages: list[str], glossaries: Mapping[str, Glossary], include_fuzzy: bool,
              results_file: Path, remember: bool = True, processes: int = 1,
              progress: Callable[[int], None] | None = None) -> list[CatalogChecks]:
    """Run the checks on every catalog of ``languages``; return the results by language then domain.

    A catalog whose file, glossary and ``include_fuzzy`` are as when its results were remembered
    in ``results_file`` is not read again; the others are checked, in up to ``processes`` worker
    processes (one per :data:`CATALOGS_PER_PROCESS` catalogs at most), and remembered unless
    ``remember`` is false (a reader replica writes nothing). ``progress`` is told how many more
    catalogs are done, as they are.
    """
    root = layout.locales_dir.parent
    version = checks_version()
    remembered = read_check_results(results_file, version)
    contexts = {language: f"fuzzy={int(include_fuzzy)};glossary={glossaries[language].fingerprint()}"
                for language in languages}
    found: dict[str, CatalogChecks] = {}
    fresh: dict[str, RememberedResults] = {}
    todo: list[tuple[_Task, RememberedResults]] = []
    listed = layout.catalog_files(languages)
    for language, domain, path in listed:
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        identity = file_identity(path)
        if identity is None:  # removed since the listing
            continue
        last = remembered.get(str(path))
        if last is not None and last.identity == identity and last.context == contexts[language]:
            found[str(path)] = CatalogChecks(language, domain, shown, last.rows)
        else:
            todo.append(((path, shown, language, domain), RememberedResults(identity, contexts[language], [])))
    if progress is not None and found:
        progress(len(found))
    for (task, key), rows in zip(todo, _run_checks([task for task, _key in todo], include_fuzzy, glossaries,
                                                   processes)):
        path, shown, language, domain = task
        found[str(path)] = CatalogChecks(language, domain, shown, rows)
        fresh[str(path)] = RememberedResults(key.identity, key.context, rows)
        if progress is not None:
            progress(1)
    if remember and fresh:
        listed_paths = {str(path) for _language, _domain, path in listed}
        # Still good: what this run reused, and other languages' catalogs that still exist.
        kept = {catalog: entry for catalog, entry in remembered.items()
                if catalog in found or (catalog not in listed_paths and os.path.exists(catalog))}
        write_check_results(results_file, version, {**kept, **fresh}.items())
    return [found[str(path)] for _language, _domain, path in listed if str(path) in found]


def _run_checks(tasks: list[_Task], include_fuzzy: bool, glossaries: Mapping[str, Glossary],
                processes: int) -> Iterable[list[Row]]:
    """Check each task's catalog, in order: in this process, or spread over forked worker processes."""
    return parallel_reads.read_all(_check_task, tasks, processes, per_process=CATALOGS_PER_PROCESS, max_chunk=64,
                                   initializer=_start_worker, initargs=(include_fuzzy, glossaries))
