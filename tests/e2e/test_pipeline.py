"""The ``l10n`` console script run as operators run it: a subprocess over a private tree."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT

from ..conftest import tree_environment


@pytest.mark.e2e
def test_console_script_runs_the_pipeline(tree):
    environment = {**os.environ, **tree_environment(tree)}
    l10n = Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "l10n"
    if not l10n.exists():
        l10n = PROJECT_ROOT / ".venv" / "bin" / "l10n"
    for command in ("extract", "update", "compile"):
        result = subprocess.run([str(l10n), command], env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert "0 written" in subprocess.run([str(l10n), "update"], env=environment, capture_output=True, text=True).stderr
