"""Run GNU gettext's own tools, the reference our pipeline must agree with."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def require(tool: str) -> str:
    """Return the path of a GNU gettext tool, failing the test if it is not installed."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install Debian's gettext (scripts/test does)")
    return path


def msgmerge(definitions: Path, template: Path) -> str:
    """Return what ``msgmerge --previous --no-wrap`` makes of ``definitions`` and ``template``."""
    result = subprocess.run(
        [require("msgmerge"), "--previous", "--no-wrap", "--quiet", str(definitions), str(template), "-o", "-"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def msgfmt_statistics(path: Path) -> dict[str, int]:
    """Return ``msgfmt --statistics`` counts for the catalog at ``path``."""
    result = subprocess.run(
        [require("msgfmt"), "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True, text=True, check=True, env={"LC_ALL": "C"},
    )
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``msgfmt -c`` on ``path`` (exit status 0 when GNU accepts the catalog)."""
    return subprocess.run([require("msgfmt"), "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
