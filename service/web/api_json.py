"""How the JSON API shows a catalog entry and a history row."""
from __future__ import annotations

from typing import Any

import polib

from ..domain.counting import message_state
from ..domain import checks
from ..domain.editing import entry_id_of, translation_of
from ..storage.history import HistoryRow


def entry_json(entry: polib.POEntry, results: list[checks.CheckResult] | None) -> dict[str, Any]:
    """Return an entry as the API shows it."""
    translation = translation_of(entry)
    return {
        "id": entry_id_of(entry.msgctxt, entry.msgid),
        "msgctxt": entry.msgctxt,
        "msgid": entry.msgid,
        "msgid_plural": entry.msgid_plural or None,
        "msgstr": translation if isinstance(translation, str) else None,
        "msgstr_plural": {str(index): text for index, text in sorted(translation.items())}
        if isinstance(translation, dict) else None,
        "fuzzy": entry.fuzzy,
        "numbers_checked": checks.NUMBERS_CHECKED_FLAG in entry.flags,
        "state": message_state(entry),
        "previous_msgid": entry.previous_msgid,
        "comments": {"translator": entry.tcomment or None, "extracted": entry.comment or None},
        "references": [f"{name}:{line}" if line else name for name, line in entry.occurrences],
        "checks": [result.as_json() for result in results or []],
    }


def history_json(row: HistoryRow) -> dict[str, Any]:
    """Return a history row as the API shows it."""
    return {"id": row.id, "user": row.user, "at": row.at.isoformat(), "language": row.language,
            "domain": row.domain, "entry_id": row.entry_id, "old": row.old, "new": row.new,
            "old_fuzzy": row.old_fuzzy, "new_fuzzy": row.new_fuzzy, "action": row.action}
