"""Placeholders of python-format (``%(name)s``) and brace-format (``{name}``) strings: find them in a text."""
from __future__ import annotations

import re

#: Translations are untrusted and may be long: no part of a pattern may rescan what another part can
#: match (the flags ``*+`` never give a ``0`` back to the width), and a mapping key stops at the next
#: ``%``, so ``%(%(%(…`` or ``%000…`` take linear time, not quadratic.
PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)%]*)\))?[-#0 +]*+(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
#: A named python-format placeholder: a source with one uses python-format even without the flag.
NAMED_PYTHON_FORMAT = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]*+\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_]\w*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def python_placeholders(text: str) -> list[str]:
    """List the python-format placeholders of ``text`` (``%%`` excluded)."""
    found = []
    for match in PYTHON_FORMAT.finditer(text):
        if match.group("type") == "%":
            continue
        name = match.group("name")
        found.append(f"%({name}){match.group('type')}" if name is not None else f"%{match.group('type')}")
    return found


def brace_placeholders(text: str) -> list[str]:
    """List the brace-format placeholders of ``text`` (``{{`` and ``}}`` excluded)."""
    return ["{" + match.group("field") + "}" for match in BRACE_FORMAT.finditer(text)]


def stray_percents(text: str) -> int:
    """Count the ``%`` signs of python-format ``text`` that start no directive (``100% у``; ``%%`` is fine)."""
    covered: set[int] = set()
    for match in PYTHON_FORMAT.finditer(text):
        covered.update(range(match.start(), match.end()))
    return sum(1 for index, char in enumerate(text) if char == "%" and index not in covered)
