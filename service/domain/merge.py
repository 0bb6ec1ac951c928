"""Merge a template into a catalog the way GNU ``msgmerge --previous`` does.

The rules, checked against msgmerge itself in the tests:

* entries follow the template's order; an exact (msgctxt, msgid) match keeps the
  translation, translator comments and fuzzy state, and takes the template's comments,
  references and format flags;
* otherwise the most similar *translated* entry (GNU ``fstrcmp`` over the UTF-8 bytes of
  the msgid, at least 0.6) lends its translation, marked fuzzy, with its msgctxt/msgid as
  the previous source (``#|``) unless it was already fuzzy with one;
* obsolete entries take part in matching and come back to life when matched;
* entries nothing matched become obsolete (``#~``) if they carry a translation, and are
  dropped if they never had one.

One msgmerge rule is left out: it also marks an exact match fuzzy when the translation
fails the entry's format check (say ``python-format`` placeholders that differ). The
quality checks report that case instead.
"""
from __future__ import annotations

import copy

import polib

from .po_format import parse_plural_forms
from .counting import first_msgstr, is_header

#: msgmerge's FUZZY_THRESHOLD.
FUZZY_THRESHOLD = 0.6


def similarity(first: str, second: str) -> float:
    """Return GNU ``fstrcmp``'s similarity of two strings: 2·LCS / total length, over UTF-8 bytes."""
    a, b = first.encode("utf-8"), second.encode("utf-8")
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return 2 * _lcs_length(a, b) / (len(a) + len(b))


def _lcs_length(a: bytes, b: bytes) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison–Dix / Hyyrö)."""
    if len(a) < len(b):
        a, b = b, a
    masks: dict[int, int] = {}
    for position, byte in enumerate(b):
        masks[byte] = masks.get(byte, 0) | (1 << position)
    all_ones = (1 << len(b)) - 1
    row = all_ones
    for byte in a:
        matches = row & masks.get(byte, 0)
        row = ((row + matches) | (row - matches)) & all_ones
    return len(b) - row.bit_count()


def _is_translated(entry: polib.POEntry) -> bool:
    return bool(first_msgstr(entry))


def _best_fuzzy_match(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_score = None, FUZZY_THRESHOLD
    encoded_length = len(msgid.encode("utf-8"))
    for candidate in candidates:
        other_length = len(candidate.msgid.encode("utf-8"))
        # The score can reach at most 2·min/(sum): skip candidates that cannot beat the best.
        if 2 * min(encoded_length, other_length) / (encoded_length + other_length or 1) < best_score:
            continue
        score = similarity(msgid, candidate.msgid)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = candidate, score
    return best


def _translation_for(template: polib.POEntry, definition: polib.POEntry, nplurals: int) -> tuple[str, dict[int, str]]:
    """Fit the definition's translation to the template entry's shape (singular or plural)."""
    if template.msgid_plural:
        if definition.msgid_plural:
            forms = {int(k): v for k, v in definition.msgstr_plural.items()}
        else:
            forms = {0: definition.msgstr}
        return "", {index: forms.get(index, "") for index in range(max(nplurals, len(forms)))}
    return first_msgstr(definition), {}


def _merged_entry(
    template: polib.POEntry, definition: polib.POEntry, nplurals: int, fuzzy_match: bool
) -> polib.POEntry:
    msgstr, msgstr_plural = _translation_for(template, definition, nplurals)
    shape_changed = bool(template.msgid_plural) != bool(definition.msgid_plural)
    fuzzy = definition.fuzzy or fuzzy_match or shape_changed
    entry = polib.POEntry(
        msgctxt=template.msgctxt,
        msgid=template.msgid,
        msgid_plural=template.msgid_plural,
        msgstr=msgstr,
        msgstr_plural=msgstr_plural,
        tcomment=definition.tcomment,
        comment=template.comment,
        occurrences=list(dict.fromkeys(template.occurrences)),
        flags=(["fuzzy"] if fuzzy else []) + [flag for flag in template.flags if flag != "fuzzy"],
    )
    if definition.fuzzy and definition.previous_msgid is not None:
        entry.previous_msgctxt = definition.previous_msgctxt
        entry.previous_msgid = definition.previous_msgid
        entry.previous_msgid_plural = definition.previous_msgid_plural
    elif fuzzy_match or shape_changed:
        entry.previous_msgctxt = definition.msgctxt
        entry.previous_msgid = definition.msgid
        entry.previous_msgid_plural = definition.msgid_plural or None
    return entry


def _untranslated_entry(template: polib.POEntry, nplurals: int) -> polib.POEntry:
    entry = copy.deepcopy(template)
    entry.occurrences = list(dict.fromkeys(template.occurrences))
    entry.msgstr = ""
    entry.msgstr_plural = {index: "" for index in range(nplurals)} if template.msgid_plural else {}
    entry.flags = [flag for flag in template.flags if flag != "fuzzy"]
    entry.tcomment = ""
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    return entry


def _obsolete_entry(definition: polib.POEntry) -> polib.POEntry:
    entry = copy.deepcopy(definition)
    entry.obsolete = True
    entry.comment = ""
    entry.occurrences = []
    return entry


def merge_catalog(definitions: polib.POFile, template: polib.POFile) -> polib.POFile:
    """Return ``definitions`` (a translated catalog) brought in step with ``template``."""
    nplurals, _ = parse_plural_forms(definitions.metadata.get("Plural-Forms"))
    result = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    result.header = definitions.header
    result.metadata = dict(definitions.metadata)
    result.metadata_is_fuzzy = definitions.metadata_is_fuzzy
    if "POT-Creation-Date" in template.metadata:
        result.metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]

    existing = [entry for entry in definitions if not is_header(entry)]
    exact = {(entry.msgctxt, entry.msgid): entry for entry in existing if not entry.obsolete}
    for entry in existing:  # an obsolete twin only counts when no live entry has the key
        exact.setdefault((entry.msgctxt, entry.msgid), entry)
    candidates = [entry for entry in existing if _is_translated(entry)]
    used: set[int] = set()

    for wanted in template:
        if wanted.obsolete or is_header(wanted):
            continue
        definition = exact.get((wanted.msgctxt, wanted.msgid))
        if definition is not None:
            result.append(_merged_entry(wanted, definition, nplurals, fuzzy_match=False))
        else:
            definition = _best_fuzzy_match(wanted.msgid, candidates)
            if definition is None:
                result.append(_untranslated_entry(wanted, nplurals))
                continue
            result.append(_merged_entry(wanted, definition, nplurals, fuzzy_match=True))
        used.add(id(definition))

    for entry in existing:
        if id(entry) in used:
            continue
        if entry.obsolete:
            result.append(copy.deepcopy(entry))
        elif _is_translated(entry):
            result.append(_obsolete_entry(entry))
    return result
