"""The editing rules and the save use cases: what a translation is, when a save may change a catalog.

The decisions (:func:`decide_save`; :func:`service.domain.uploads.merge_upload` for a whole
PO file) are pure: they take parsed catalogs and change them in memory. The use cases
(:func:`save_entry`, which a revert of :func:`reverted_translation` calls too, and
:func:`service.domain.uploads.upload_po`) take their storage as arguments: they open the
catalog with ``catalogs.edit(key)`` (lock, read, on leaving write what changed) and record
the history.
"""
from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, ContextManager, Iterable, Mapping, Protocol, Union

import polib

from . import checks
from .counting import messages
from .glossary import Glossary
from .names import MESSAGES_DOMAIN, CatalogKey, article_slug
from .po_format import CatalogError, forbidden_character
from .variant_state import TRANSITION_ACTION, Transition, record_state, state_change, variant_state
from .interface_text import N_, Message

#: A translation as the editing rules take it: a msgstr, or plural forms by index.
Translation = Union[str, dict[int, str]]
_FORM_INDEX = re.compile(r"[0-9]")  # "0" … "9", as documented: "00" or "01" names no form
_REVISION_DATE_FORMAT = "%Y-%m-%d %H:%M%z"


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


class ChangeLog(Protocol):
    """Where changes are recorded (the history)."""

    def record_change(self, change: Change) -> int: ...

    def record_changes(self, changes: Iterable[Change]) -> None: ...


class RecordedChange(Protocol):
    """A change as the history gives it back."""

    @property
    def language(self) -> str: ...
    @property
    def domain(self) -> str: ...
    @property
    def entry_id(self) -> str: ...
    @property
    def old(self) -> Any: ...
    @property
    def new(self) -> Any: ...
    @property
    def action(self) -> str: ...


class HistoryLog(ChangeLog, Protocol):
    """A history that can also give back one recorded change (to revert to)."""

    def row(self, row_id: int) -> RecordedChange | None: ...


class CatalogDraft(Protocol):
    """A catalog opened for change: change entries of :attr:`catalog` in place and name them."""

    catalog: polib.POFile

    def changed(self, entries: Iterable[polib.POEntry]) -> None: ...

    def on_commit(self, step: Callable[[], None]) -> None: ...


class CatalogRepository(Protocol):
    """The catalog store as the use cases need it."""

    def catalog(self, language: str, domain: str) -> polib.POFile: ...

    def edit(self, key: CatalogKey) -> ContextManager[CatalogDraft]: ...


def transition_change(transition: Transition, user: str) -> Change:
    """Return the catalog-level history row of a state transition (no entry: id and msgid empty)."""
    return Change(user, transition.at, transition.language, transition.domain, "", None, "", transition.old,
                  transition.new, False, False, TRANSITION_ACTION)


@dataclass(frozen=True)
class SaveResult:
    """A saved entry, its warnings, the recorded change (``None`` if nothing changed) and state transition."""

    entry: polib.POEntry
    checks: list[checks.CheckResult]
    change: Change | None
    transition: Transition | None = None  # the variant's state change the save made, if any


@dataclass(frozen=True)
class SaveDecision:
    """What a save does to a catalog: the result, the entries it changed, the history rows to record."""

    result: SaveResult
    changed: list[polib.POEntry]  # entries of the catalog (empty: nothing to write)
    changes: list[Change]


@dataclass
class UploadReport:
    """What merging an uploaded PO file did, entry by entry."""

    applied: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
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


# --- translations -----------------------------------------------------------------------------


def entry_id_of(msgctxt: str | None, msgid: str) -> str:
    """Return the stable id of an entry: 16 hex digits of SHA-1 over ``msgctxt + "\\x04" + msgid``."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def find_entry(catalog: Iterable[polib.POEntry], entry_id: str) -> polib.POEntry | None:
    """Return the message with id ``entry_id`` (not the header, not obsolete), if any."""
    for entry in messages(catalog):
        if entry_id_of(entry.msgctxt, entry.msgid) == entry_id:
            return entry
    return None


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


def translation_from_json(value: Any, name: str, plural: bool, allow_empty: bool = False) -> Translation:
    """Read a msgstr (a string) or plural forms (``{"0": …}``) from JSON; raise :class:`InvalidTranslation`."""
    if not plural:
        if not isinstance(value, str):
            raise InvalidTranslation(f"{name} must be a string")
        return value
    if not isinstance(value, dict) or (not value and not allow_empty):
        raise InvalidTranslation(f'{name} must be an object like {{"0": "…", "1": "…"}}')
    forms: dict[int, str] = {}
    for key, text in value.items():
        index = form_index(key)
        if index is None or not isinstance(text, str):
            raise InvalidTranslation(f'{name} must map plural form numbers ("0", "1", …) to strings')
        forms[index] = text
    return forms


def translation_from_fields(fields: Mapping[str, str], plural: bool, nplurals: int) -> Translation:
    """Read a translation from an HTML form's fields: ``msgstr``, or ``msgstr_0``, ``msgstr_1``, …"""
    if plural:
        return {index: fields.get(f"msgstr_{index}", "").replace("\r\n", "\n") for index in range(nplurals)}
    return fields.get("msgstr", "").replace("\r\n", "\n")


def forms_of(translation: Translation) -> str | list[str]:
    """Return a translation as the checks take it: the msgstr, or the plural forms in order."""
    if isinstance(translation, dict):
        return [translation[index] for index in sorted(translation)]
    return translation


def same_translation(first: Translation, second: Translation) -> bool:
    """Compare translations, plural forms missing at the end counting as empty."""
    if isinstance(first, dict) and isinstance(second, dict):
        size = max([*first, *second], default=-1) + 1
        return all(first.get(index, "") == second.get(index, "") for index in range(size))
    return first == second


def is_filled(translation: Translation) -> bool:
    """Tell whether any form of the translation has text."""
    return any(translation.values()) if isinstance(translation, dict) else bool(translation)


def check_shape(entry: polib.POEntry, translation: Translation, what: str) -> None:
    """Refuse a translation whose shape does not fit the entry (:class:`InvalidTranslation`)."""
    if entry.msgid_plural:
        if not isinstance(translation, dict):
            raise InvalidTranslation(f"{what}: this message has plural forms: give msgstr_plural")
        if sorted(translation) != list(range(len(translation))):
            raise InvalidTranslation(f"{what}: plural forms must be numbered 0, 1, 2, … without gaps")
    elif not isinstance(translation, str):
        raise InvalidTranslation(f"{what}: this message has no plural: give msgstr")


def check_characters(translation: Translation) -> None:
    """Refuse control characters a page or a ``.mo`` cannot carry (:class:`InvalidTranslation`)."""
    for text in translation.values() if isinstance(translation, dict) else [translation]:
        character = forbidden_character(text)
        if character:
            raise InvalidTranslation(Message(N_("translation: control character %(character)s is not allowed "
                                                "(a NUL would cut the text short on the page)"), character=character))


def check_draft(catalog: polib.POFile, entry: polib.POEntry, language: str, proposed: Translation,
                glossary: Glossary | None = None, domain: str | None = None) -> list[checks.CheckResult]:
    """Run the checks on a proposed translation of ``entry`` without changing anything."""
    return checks.check_entry(entry, language, checks.catalog_plural_forms(catalog), forms_of(proposed), glossary,
                              interface=is_interface(domain))


def is_interface(domain: str | None) -> bool:
    """Tell whether ``domain`` holds UI strings, which the templates always %-format."""
    return domain == MESSAGES_DOMAIN


def check_compilable(catalog: polib.POFile, display_path: str) -> None:
    """Refuse, like ``msgfmt -c``, a catalog whose placeholders differ from the source (:class:`CatalogError`)."""
    plural_forms = checks.catalog_plural_forms(catalog)
    for entry in messages(catalog):
        if entry.fuzzy:
            continue
        for problem in checks.check_formats(entry, plural_forms):
            raise CatalogError(display_path, entry.linenum, problem.message)


# --- changing a parsed catalog ----------------------------------------------------------------


def set_translation(entry: polib.POEntry, translation: Translation, fuzzy: bool) -> None:
    """Put ``translation`` in ``entry``; a reviewed one (not ``fuzzy``) loses its fuzzy flag and previous source."""
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


def article_state(catalog: polib.POFile, domain: str) -> str | None:
    """Return the variant state of an article catalog, ``None`` for the UI strings (they have none)."""
    return variant_state(catalog) if article_slug(domain) is not None else None


def stamp(catalog: polib.POFile, domain: str, user: str, now: datetime) -> None:
    """Mark the catalog revised by ``user`` at ``now``, and an article's state headers with it."""
    catalog.metadata["PO-Revision-Date"] = now.strftime(_REVISION_DATE_FORMAT)
    catalog.metadata["Last-Translator"] = user
    if article_slug(domain) is not None:
        record_state(catalog, now)


def decide_save(catalog: polib.POFile, key: CatalogKey, entry_id: str, new: Translation, base: Translation,
                user: str, fuzzy: bool = False, action: str = "save", *, now: datetime,
                glossary: Glossary | None = None, numbers_checked: bool | None = None) -> SaveDecision:
    """Save one entry's translation in ``catalog`` if it still equals ``base``; raise on conflict or failed checks.

    Refusals, in order: :class:`EntryNotFound`, :class:`InvalidTranslation` (shape, control
    characters), :class:`CatalogConflict` (the entry is no longer ``base``), :class:`CheckFailed`
    (an error-level check, or ``facts_changed``: clearing fuzzy while the translation's numbers
    differ from the changed source's, unless ``numbers_checked``). ``numbers_checked`` sets
    (``True``) or clears (``False``) the entry's ``numbers-checked`` flag; ``None`` leaves it.
    Saving what is already there (and the same flags) changes nothing.
    """
    entry = find_entry(catalog, entry_id)
    if entry is None:
        raise EntryNotFound(f"no entry {entry_id!r} in {key}")
    check_shape(entry, new, "translation")
    check_characters(new)
    check_shape(entry, base, "base")
    current = translation_of(entry)
    if not same_translation(current, base):
        raise CatalogConflict(copy.deepcopy(entry))
    results = checks.check_entry(entry, key.language, checks.catalog_plural_forms(catalog), forms_of(new), glossary,
                                 interface=is_interface(key.domain))
    refusals = checks.review_results(entry, new, fuzzy, bool(numbers_checked))
    if checks.has_errors(results) or refusals:
        raise CheckFailed(refusals + results)
    if isinstance(new, dict) and isinstance(current, dict):
        new = {index: new.get(index, "") for index in range(max(len(current), len(new)))}
    flagged = checks.NUMBERS_CHECKED_FLAG in entry.flags
    if same_translation(current, new) and entry.fuzzy == fuzzy and numbers_checked in (None, flagged):
        return SaveDecision(SaveResult(copy.deepcopy(entry), results, None), [], [])
    old_fuzzy = entry.fuzzy
    before = article_state(catalog, key.domain)
    set_translation(entry, new, fuzzy)
    checks.record_numbers_checked(entry, numbers_checked)
    stamp(catalog, key.domain, user, now)
    change = Change(user, now, key.language, key.domain, entry_id, entry.msgctxt, entry.msgid,
                    translation_json(current), translation_json(new), old_fuzzy, fuzzy, action)
    transition = state_change(key.language, key.domain, before, article_state(catalog, key.domain), now)
    changes = [change] if transition is None else [change, transition_change(transition, user)]
    return SaveDecision(SaveResult(copy.deepcopy(entry), results, change, transition), [entry], changes)


# --- use cases ----------------------------------------------------------------------------------


def record(history: ChangeLog | None, changes: Iterable[Change]) -> None:
    """Record ``changes`` in the history, in order and in one transaction (nowhere when there is none)."""
    changes = list(changes)
    if history is not None and changes:
        history.record_changes(changes)


def save_entry(catalogs: CatalogRepository, history: ChangeLog | None, key: CatalogKey, entry_id: str,
               new: Translation, base: Translation, user: str, fuzzy: bool = False, action: str = "save",
               now: datetime | None = None, glossary: Glossary | None = None,
               numbers_checked: bool | None = None) -> SaveResult:
    """Save one entry's translation if it still equals ``base``; raise on conflict or failed checks.

    Under the catalog's lock (``catalogs.edit``): re-read the file, decide (:func:`decide_save`),
    write only this entry and the header, recompile and record the change in the history, as
    one step: if the history cannot be written, the file change is undone.
    """
    with catalogs.edit(key) as draft:
        decision = decide_save(draft.catalog, key, entry_id, new, base, user, fuzzy, action,
                               now=now or datetime.now(timezone.utc), glossary=glossary,
                               numbers_checked=numbers_checked)
        draft.changed(decision.changed)
        draft.on_commit(lambda: record(history, decision.changes))
    return decision.result


#: History actions whose ``new`` is an uploaded version kept aside (not stored): to apply later.
KEPT_ASIDE_ACTIONS = ("conflict", "rejected")


def reverted_translation(history: HistoryLog, key: CatalogKey, entry_id: str, row_id: int) -> Translation:
    """Return the version a history row restores: the text before a change, or a kept-aside upload."""
    row = history.row(row_id)
    if row is None or (row.language, row.domain, row.entry_id) != (key.language, key.domain, entry_id):
        raise InvalidTranslation(Message(N_("This entry has no such change in its history.")))
    value = row.new if row.action in KEPT_ASIDE_ACTIONS else row.old
    if isinstance(value, dict):
        return {int(index): text for index, text in value.items()}
    return value
