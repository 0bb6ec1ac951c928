"""Word-level differences between two texts, for showing what changed in a fuzzy entry's source."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return ``(operation, text)`` pieces turning ``old`` into ``new``: ``equal``, ``delete`` or ``insert``."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for opcode, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        operation: str = opcode
        if operation == "equal":
            pieces.append(("equal", "".join(before[a_start:a_end])))
            continue
        if operation in ("delete", "replace"):
            pieces.append(("delete", "".join(before[a_start:a_end])))
        if operation in ("insert", "replace"):
            pieces.append(("insert", "".join(after[b_start:b_end])))
    merged: list[tuple[str, str]] = []
    for operation, text in pieces:
        if merged and merged[-1][0] == operation:
            merged[-1] = (operation, merged[-1][1] + text)
        elif text:
            merged.append((operation, text))
    return merged
