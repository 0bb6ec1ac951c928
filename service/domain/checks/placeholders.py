"""The ``placeholders`` check: python-format and brace-format placeholders must match the source's."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from ..format_strings import BRACE_FORMAT, NAMED_PYTHON_FORMAT, brace_placeholders, python_placeholders, stray_percents
from ..interface_text import N_, Message
from .base import Level, check

#: Placeholders a form used for one number only (Ukrainian "one": 1, 21, 31…) may leave out.
OPTIONAL_IN_SINGLE_FORMS = frozenset({"%(num)d", "%d", "{num}", "{0}"})


def _formats(source: str, flags: Iterable[str]) -> list[str]:
    """Decide which placeholder syntaxes apply: from the flags, else when the source clearly uses one."""
    flags = set(flags)
    formats = []
    if "python-format" in flags or ("no-python-format" not in flags and NAMED_PYTHON_FORMAT.search(source)):
        formats.append("python-format")
    if "brace-format" in flags or ("no-brace-format" not in flags and BRACE_FORMAT.search(source)):
        formats.append("brace-format")
    return formats


def _placeholders(text: str, syntax: str) -> list[str]:
    return python_placeholders(text) if syntax == "python-format" else brace_placeholders(text)


@check("placeholders", N_("placeholders"), Level.ERROR)
def check_placeholders(source: str, translation: str, flags: Iterable[str] = (),
                       optional: Iterable[str] = ()) -> Iterator[Message]:
    """Report placeholders missing from or added to the translation (``optional`` ones may be left out)."""
    optional = set(optional)
    for syntax in _formats(source, flags):
        expected = Counter(_placeholders(source, syntax))
        found = Counter(_placeholders(translation, syntax))
        missing = [name for name in expected if name not in found and name not in optional]
        extra = [name for name in found if name not in expected]
        if syntax == "python-format":
            positional_source = sum(count for name, count in expected.items() if not name.startswith("%("))
            positional_found = sum(count for name, count in found.items() if not name.startswith("%("))
            if positional_source != positional_found and not missing and not extra:
                extra = ["%…"]
        if syntax == "python-format" and stray_percents(translation) and not stray_percents(source):
            # msgfmt -c refuses it, and formatting the text fails: write a percent sign as %%
            yield Message(N_("a %(percent)s that starts no placeholder: write %(escaped)s for a percent sign"),
                          percent="%", escaped="%%")
        if missing:
            yield Message(N_("missing %(syntax)s placeholder(s): %(placeholders)s"), syntax=syntax,
                          placeholders=", ".join(missing))
        if extra:
            yield Message(N_("placeholder(s) not in the source: %(placeholders)s"), placeholders=", ".join(extra))
