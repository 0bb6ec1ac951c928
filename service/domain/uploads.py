"""Merging an uploaded PO file into a catalog, entry by entry: a three-way decision, never a silent overwrite.

:func:`merge_upload` is pure (parsed catalogs in, decisions out); :func:`upload_po` is the
use case: it parses the file, finds the snapshot it was downloaded from, opens the catalog
with ``catalogs.edit(key)`` and records the history.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Protocol

import polib

from . import checks
from .counting import messages
from .editing import (
    KEPT_ASIDE_ACTIONS, Change, ChangeLog, CatalogRepository, InvalidTranslation, Translation, UploadReport,
    article_state, check_shape, entry_id_of, forms_of, is_filled, is_interface, record, same_translation,
    set_translation, stamp, transition_change,
    translation_json, translation_of,
)
from .glossary import Glossary
from .names import CatalogKey
from .po_format import CatalogError, parse_catalog
from .variant_state import state_change

#: Header naming the snapshot a downloaded catalog was made from, for a three-way merge on upload.
BASE_REVISION_HEADER = "X-Base-Revision"
#: The history action of an uploaded version a check refused, kept so that it can be fixed and applied.
REJECTED_ACTION = KEPT_ASIDE_ACTIONS[1]
#: The name an uploaded PO file has in the errors it raises.
UPLOAD_NAME = "upload"


class Verdict(Enum):
    """What becomes of one uploaded entry that fits its stored entry."""

    UNCHANGED = "unchanged"  # nothing to do: the stored value stays
    APPLY = "apply"  # the uploaded value replaces the stored one (if it passes the checks)
    CONFLICT = "conflict"  # both sides changed it: the stored value stays, the uploaded one is recorded aside


def _same(first: polib.POEntry, second: polib.POEntry) -> bool:
    return same_translation(translation_of(first), translation_of(second)) and first.fuzzy == second.fuzzy


def upload_verdict(ours: polib.POEntry, theirs: polib.POEntry, base: polib.POEntry | None) -> Verdict:
    """Decide one entry from the stored (``ours``), uploaded (``theirs``) and downloaded (``base``) versions.

    =====================================  ==================================  ===========
    theirs                                 ours                                verdict
    =====================================  ==================================  ===========
    the same as ours                       —                                   unchanged
    the same as base                       —                                   unchanged (ours is newer)
    empty, and no base                     —                                   unchanged (says nothing)
    changed                                the same as base (or empty, no base) apply
    changed                                changed too                         conflict
    =====================================  ==================================  ===========
    """
    if _same(theirs, ours):
        return Verdict.UNCHANGED
    if base is not None and _same(base, theirs):
        return Verdict.UNCHANGED  # the uploader did not touch it; ours is newer
    if base is None and not is_filled(translation_of(theirs)):
        return Verdict.UNCHANGED  # an empty msgstr in a file of unknown origin says nothing
    untouched = _same(base, ours) if base is not None else not is_filled(translation_of(ours))
    return Verdict.APPLY if untouched else Verdict.CONFLICT


@dataclass
class UploadDecision:
    """What an upload does to a catalog: the report, the entries it changed, the history rows to record."""

    report: UploadReport = field(default_factory=UploadReport)
    changed: list[polib.POEntry] = field(default_factory=list)  # entries of the catalog (empty: nothing to write)
    changes: list[Change] = field(default_factory=list)


def merge_upload(catalog: polib.POFile, uploaded: polib.POFile, base: polib.POFile | None, key: CatalogKey,
                 user: str, now: datetime, glossary: Glossary | None = None) -> UploadDecision:
    """Merge ``uploaded`` into ``catalog`` entry by entry (see :func:`upload_verdict`); change it in memory."""
    decision = UploadDecision()
    report = decision.report
    before = article_state(catalog, key.domain)
    plural_forms = checks.catalog_plural_forms(catalog)
    index = {(e.msgctxt, e.msgid): e for e in messages(catalog)}
    base_index = {(e.msgctxt, e.msgid): e for e in messages(base)} if base is not None else {}
    for incoming in messages(uploaded):
        found = (incoming.msgctxt, incoming.msgid)
        target = index.get(found)
        identity: dict[str, Any] = {"id": entry_id_of(*found), "msgctxt": incoming.msgctxt, "msgid": incoming.msgid}
        if target is None:
            report.unknown.append({**identity, "line": incoming.linenum})
            continue
        theirs = translation_of(incoming)
        try:
            check_shape(target, theirs, "translation")
        except InvalidTranslation as error:
            report.rejected.append({**identity, "error": str(error), "checks": []})
            decision.changes.append(_change(key, user, now, target, translation_of(target), incoming, theirs,
                                            REJECTED_ACTION))
            continue
        verdict = upload_verdict(target, incoming, base_index.get(found))
        if verdict is Verdict.UNCHANGED:
            report.unchanged += 1
            continue
        ours = translation_of(target)
        if verdict is Verdict.CONFLICT:
            report.conflicts.append({**identity, "current": translation_json(ours),
                                     "uploaded": translation_json(theirs)})
            decision.changes.append(_change(key, user, now, target, ours, incoming, theirs, "conflict"))
            continue
        results = checks.check_entry(target, key.language, plural_forms, forms_of(theirs), glossary,
                                     interface=is_interface(key.domain))
        checked = checks.NUMBERS_CHECKED_FLAG in incoming.flags
        refusals = checks.review_results(target, theirs, incoming.fuzzy, checked)
        if checks.has_errors(results) or refusals:
            report.rejected.append({**identity, "error": "failed checks", "checks": refusals + results})
            decision.changes.append(_change(key, user, now, target, ours, incoming, theirs, REJECTED_ACTION))
            continue
        decision.changes.append(_change(key, user, now, target, ours, incoming, theirs, "upload"))
        set_translation(target, theirs, incoming.fuzzy)
        checks.record_numbers_checked(target, checked if not incoming.fuzzy else None)
        decision.changed.append(target)
        report.applied.append({**identity, "checks": results})
    if report.applied:
        stamp(catalog, key.domain, user, now)
        report.transition = state_change(key.language, key.domain, before, article_state(catalog, key.domain), now)
    if report.transition is not None:
        decision.changes.append(transition_change(report.transition, user))
    return decision


def _change(key: CatalogKey, user: str, now: datetime, target: polib.POEntry, ours: Translation,
            incoming: polib.POEntry, theirs: Translation, action: str) -> Change:
    return Change(user, now, key.language, key.domain, entry_id_of(target.msgctxt, target.msgid), target.msgctxt,
                  target.msgid, translation_json(ours), translation_json(theirs), target.fuzzy, incoming.fuzzy, action)


def parse_upload(data: bytes, key: CatalogKey, stored: polib.POFile) -> polib.POFile:
    """Parse an uploaded PO file for the catalog ``stored``; raise :class:`CatalogError` (with the line) if it is broken."""
    uploaded = parse_catalog(data, UPLOAD_NAME, checks.catalog_plural_forms(stored))
    declared = uploaded.metadata.get("Language")
    if declared and declared.strip() != key.language:
        raise CatalogError(UPLOAD_NAME, 1, f"the file is for language {declared.strip()!r}, not {key.language!r}")
    return uploaded


class SnapshotSource(Protocol):
    """Where the catalogs as downloaded are kept, by revision."""

    def base_catalog(self, key: CatalogKey, revision: str | None) -> polib.POFile | None: ...


def upload_po(catalogs: CatalogRepository, snapshots: SnapshotSource, history: ChangeLog | None, key: CatalogKey,
              data: bytes, user: str, now: datetime | None = None, glossary: Glossary | None = None) -> UploadReport:
    """Merge an uploaded PO file entry by entry; report conflicts instead of overwriting.

    Raises :class:`CatalogError` (with the line) for a broken file, changing nothing. An entry
    is applied when the stored value is still what the file was downloaded with (the
    ``X-Base-Revision`` snapshot) or is empty; when both sides changed it, the stored value
    stays and the uploaded one is kept in the history as a ``conflict`` row, to apply later.
    An entry a check refuses is kept there too, as a ``rejected`` row, to fix and apply.
    """
    now = now or datetime.now(timezone.utc)
    uploaded = parse_upload(data, key, catalogs.catalog(key.language, key.domain))
    base = snapshots.base_catalog(key, uploaded.metadata.get(BASE_REVISION_HEADER))
    with catalogs.edit(key) as draft:
        decision = merge_upload(draft.catalog, uploaded, base, key, user, now, glossary)
        draft.changed(decision.changed)
        draft.on_commit(lambda: record(history, decision.changes))  # one step with the file change
    return decision.report


def draft_of(value: Any, plural: bool, nplurals: int) -> Translation:
    """Return a recorded version (a string or ``{"0": …}``) in the shape of the entry's form, whatever shape it has."""
    if isinstance(value, dict):
        forms = {int(index): str(text) for index, text in value.items() if str(index).isdigit()}
    else:
        forms = {0: str(value or "")}
    if not plural:
        return forms.get(0, "")
    return {index: forms.get(index, "") for index in range(nplurals)}
