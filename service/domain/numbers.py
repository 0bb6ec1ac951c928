"""Numbers in text, read the way either language writes them, and compared as facts.

``3,5`` and ``3.5`` are one number, and so are ``40 000``, ``40,000`` and ``40000``: a
translation may write numbers its own language's way, and a source edit that only
regroups digits changes no fact. ``14`` and ``16`` are different facts. A written number
that could be read two ways (``1,260``: 1260 or 1.26) stands for both.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = "\u00a0\u202f\u2009 "
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f\u2009 '’]\d+)*")
#: A link target ends at its ``)``, and at the latest at the next ``]``, so ``](](](…`` takes linear time.
_URL = re.compile(r"\]\([^)\]]*\)|https?://\S+")
#: Compiled once: the check reads every source and translation, and ``re``'s own cache costs a lookup a call.
_SPACE = re.compile(f"[{_SPACES}]")
_SEPARATOR = re.compile(r"[,. '’]")
_SHORT_GROUP = re.compile(r"\d{1,3}")
_GROUP_OF_THREE = re.compile(r"\d{3}(?:[,.]\d+)?")


def strip_urls(text: str) -> str:
    """Blank out link targets and bare URLs (their digits are addresses, not facts)."""
    return _URL.sub(" ", text)


def _ascii(run: str) -> str:
    """Write a run of decimal digits of any script in ASCII digits."""
    return run if run.isascii() else "".join(str(unicodedata.decimal(char)) for char in run)


def _whole(run: str) -> str:
    """Write a whole number without leading zeros, as a string: ``int()`` refuses over 4,300 digits."""
    return _ascii(run).lstrip("0") or "0"


def _decimal(whole: str, fraction: str) -> str:
    fraction = _ascii(fraction).rstrip("0")
    return f"{_whole(whole)}.{fraction}" if fraction else _whole(whole)


def _readings(token: str) -> list[set[str]]:
    """Read one written number as the set of values it may stand for ("1,260" → {"1260", "1.26"}).

    Digit grouping (``1,260``, ``1 260``, ``1.260``, ``1’260``) and decimal commas or points
    (``3,5``, ``3.5``) are all read. A token that is no single number ("1.2.3") yields each
    of its parts.
    """
    if token.isdigit():  # most numbers: nothing to read but the digits
        return [{_whole(token)}]
    token = _SPACE.sub(" ", token)
    groups = _SEPARATOR.split(token)
    separators = _SEPARATOR.findall(token)
    if not separators:
        return [{_whole(token)}]
    values: set[str] = set()
    grouped = len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    if grouped and len(set(separators)) == 1:
        values.add(_whole("".join(groups)))
    if (len(separators) >= 2 and separators[-1] in ",." and len(set(separators[:-1])) == 1
            and separators[0] != separators[-1] and len(groups[0]) <= 3
            and all(len(group) == 3 for group in groups[1:-1])):
        values.add(_decimal("".join(groups[:-1]), groups[-1]))
    if len(separators) == 1 and separators[0] in ",.":
        values.add(_decimal(groups[0], groups[1]))
    return [values] if values else [{_whole(group)} for group in groups]


def _split_on_spaces(token: str) -> list[str]:
    """Split a token the pattern joined through spaces unless the spaces group digits ("40 000")."""
    chunks = _SPACE.split(token)
    if len(chunks) == 1:
        return chunks
    joined = [[chunks[0]]]
    # Whether the last number so far reads "40" or "40 000", so a further group of three digits joins it;
    # kept as we go rather than matched again each time (a 100 KB run of groups would take quadratic time).
    grouping = bool(_SHORT_GROUP.fullmatch(chunks[0]))
    for chunk in chunks[1:]:
        if grouping and _GROUP_OF_THREE.fullmatch(chunk):
            joined[-1].append(chunk)
            grouping = len(chunk) == 3
        else:
            joined.append([chunk])
            grouping = bool(_SHORT_GROUP.fullmatch(chunk))
    return [" ".join(parts) for parts in joined]


def written_numbers(text: str) -> list[tuple[str, set[str]]]:
    """List the numbers written in ``text`` (URLs aside): each as written and the values it may mean."""
    found = []
    for match in _NUMBER.finditer(strip_urls(text)):
        for token in _split_on_spaces(match.group(0)):
            readings = _readings(token)
            found += [(token if len(readings) == 1 else min(values), values) for values in readings]
    return found


def numbers(text: str) -> list[set[str]]:
    """List the numbers written in ``text``, each as the set of values it may stand for."""
    return [values for _token, values in written_numbers(text)]


def unmatched_numbers(source: str, other: str) -> list[str]:
    """Return the numbers of ``source`` (as written) that ``other`` does not state, occurrence by occurrence."""
    stated = written_numbers(source)
    if not stated:
        return []
    available = numbers(other)
    missing = []
    for token, values in stated:
        match = next((index for index, candidate in enumerate(available) if candidate & values), None)
        if match is None:
            missing.append(token)
        else:
            del available[match]
    return missing


def numbers_differ(previous: str, current: str) -> bool:
    """Tell whether ``current`` states other numbers than ``previous`` (formatting aside)."""
    return bool(unmatched_numbers(previous, current) or unmatched_numbers(current, previous))
