"""The ``facts_changed`` rule: a fuzzy flag is not cleared while the translation states other numbers than the new source.

Not a check of a draft (it is not in :data:`~service.domain.checks.registry.CHECKS`): it
judges a *review*, the step that turns a fuzzy entry back into a current one ("Still
correct", the API's ``fuzzy: false``, an upload). When the source's numbers changed since
the entry was translated (its previous source, ``#| msgid``, states other numbers than the
new one; or no previous source is recorded), the review is refused while the translation's
numbers differ from the new source's. A translator who wrote the numbers differently on
purpose says so; the entry then carries the flag ``#, numbers-checked``, which records it.
"""
from __future__ import annotations

from typing import Iterator, Union

import polib

from ..format_strings import PYTHON_FORMAT
from ..interface_text import N_, Message
from ..numbers import numbers_differ, written_numbers
from .base import CheckResult, Level, check

#: The flag of an entry whose numbers a translator confirmed as different from the source's on purpose.
NUMBERS_CHECKED_FLAG = "numbers-checked"


def _numbers(text: str) -> str:
    return ", ".join(token for token, _values in written_numbers(text)) or "—"


@check("facts_changed", N_("changed facts"), Level.ERROR)
def check_facts_changed(source: str, previous_source: str | None, translation: str) -> Iterator[Message]:
    """Refuse a review while the source changed a number and the translation still states other numbers."""
    source, translation = PYTHON_FORMAT.sub(" ", source), PYTHON_FORMAT.sub(" ", translation)
    if previous_source is not None and not numbers_differ(PYTHON_FORMAT.sub(" ", previous_source), source):
        return  # the source's figures did not change: a wording change is for the translator to judge
    if numbers_differ(source, translation):
        yield Message(N_("The original's numbers changed (now: %(source)s) but the translation states "
                         "%(translation)s. Correct the figures, or tick \"Numbers checked\" if they differ "
                         "on purpose."), source=_numbers(source), translation=_numbers(translation))


def review_results(entry: polib.POEntry, new: Union[str, dict[int, str]], fuzzy: bool,
                   numbers_checked: bool) -> list[CheckResult]:
    """Return the ``facts_changed`` refusal of saving ``new`` as reviewed (``fuzzy`` false) over a fuzzy entry."""
    if not entry.fuzzy or fuzzy or numbers_checked or entry.msgid_plural or not isinstance(new, str):
        return []
    return check_facts_changed(entry.msgid, entry.previous_msgid, new)


def record_numbers_checked(entry: polib.POEntry, checked: bool | None) -> bool:
    """Set or clear the entry's ``numbers-checked`` flag (``None``: leave it); tell whether it changed."""
    if checked is None or (NUMBERS_CHECKED_FLAG in entry.flags) == checked:
        return False
    if checked:
        entry.flags.append(NUMBERS_CHECKED_FLAG)
    else:
        entry.flags = [flag for flag in entry.flags if flag != NUMBERS_CHECKED_FLAG]
    return True
