"""Faults on the command line and after a crash (issue 9, part 3): a clear error naming the file, nothing left behind."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.bootstrap import build_services, prepare_tree
from service.config import PROJECT_ROOT, load_settings
from service.domain.editing import entry_id_of
from service.storage.po_files import read_catalog

from ..conftest import tree_settings

ARTICLE = "articles/nordic-baltic-grid-repair-fund"
TITLE = "Nordic and Baltic states pledge €240 million to repair Ukraine’s power grid"

#: A save in its own process, killed by SIGKILL after the new catalog is staged and before it is renamed in.
KILLED_SAVE = """
import os, signal, sys
from service.bootstrap import build_services
from service.config import load_settings
from service.domain.editing import save_entry
from service.domain.names import CatalogKey
import service.storage.po_files as po_files

def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)

po_files.os.replace = die
services = build_services(load_settings(dict(zip(sys.argv[1::2], sys.argv[2::2]))))
save_entry(services.catalogs, None, CatalogKey("uk", sys.argv[-1]), {entry_id!r}, "Перекладено", None, "ada")
"""


def test_temporary_files_of_a_save_killed_midway_are_removed_at_start(tree: Path):
    po = tree / "locales" / "uk" / "LC_MESSAGES" / f"{ARTICLE}.po"
    before = po.read_bytes()
    settings = tree_settings(tree)
    script = KILLED_SAVE.format(entry_id=entry_id_of("title", TITLE)).replace(
        '"Перекладено", None', f'"Перекладено", {read_catalog(po).find(TITLE, msgctxt="title").msgstr!r}')
    arguments = [item for pair in settings.items() for item in pair] + [ARTICLE]
    killed = subprocess.run([sys.executable, "-c", script, *arguments], cwd=PROJECT_ROOT, capture_output=True,
                            timeout=60)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    left = sorted(path.name for path in po.parent.glob(".*.tmp"))
    assert left, "the killed save left no temporary file: the test proves nothing"
    assert po.read_bytes() == before  # the rename never happened
    prepare_tree(build_services(load_settings(settings)))
    assert sorted(path.name for path in po.parent.glob(".*.tmp")) == []
    assert read_catalog(po) is not None


def _failing(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("command", ["compile", "update", "extract"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_file_system_fault_is_a_clear_cli_error_naming_the_file(runner, tree, monkeypatch, command, code):
    runner.invoke("extract")
    if command == "update":  # make update have something to write
        pot = tree / "locales" / "messages.pot"
        pot.write_text(pot.read_text(encoding="utf-8") + '\nmsgid "A brand new UI string"\nmsgstr ""\n', encoding="utf-8")
    locales = {path: path.read_bytes() for path in (tree / "locales").rglob("*.po")}
    if command == "extract":
        (tree / "content" / "nordic-baltic-grid-repair-fund.md").write_text(
            (tree / "content" / "nordic-baltic-grid-repair-fund.md").read_text(encoding="utf-8") + "\nOne more paragraph.\n",
            encoding="utf-8")
    monkeypatch.setattr("service.storage.po_files.tempfile.mkstemp", _failing(code))
    result = runner.invoke(command)
    assert result.exit_code == 1, result.output
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output
    assert os.strerror(code) in output and ("locales/" in output), output
    assert {path: path.read_bytes() for path in (tree / "locales").rglob("*.po")} == locales


def test_stale_temporary_files_in_the_instance_folder_are_removed_at_start(tree: Path):
    stale = tree / "instance" / "snapshots" / ".abc.po.k2j3.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a snapshot")
    fresh = tree / "instance" / ".statistics.json.x1y2.tmp"  # maybe a live write of another process
    fresh.write_bytes(b"{")
    os.utime(stale, (0, 0))
    prepare_tree(build_services(load_settings(tree_settings(tree))))
    assert not stale.exists() and fresh.exists()


def test_start_locks_only_the_catalogs_a_killed_write_left_something_beside(tree: Path):
    po = tree / "locales" / "uk" / "LC_MESSAGES" / f"{ARTICLE}.po"
    leftovers = [po.parent / f".{po.name}.k2j3x9_a.tmp", po.parent / f".{po.with_suffix('.mo').name}.q1w2e3r4.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"half a catalog")
    untouched = po.parent / "notes.txt.tmp"  # not a temporary file of a write (no leading dot)
    untouched.write_bytes(b"kept")
    services = build_services(load_settings(tree_settings(tree)))
    assert sorted(services.catalogs.remove_orphans()) == sorted(leftovers)
    assert not any(leftover.exists() for leftover in leftovers) and untouched.exists()
    locks = sorted(path.relative_to(services.lock_dir).as_posix() for path in services.lock_dir.rglob("*.lock"))
    assert locks == ["uk/articles__nordic-baltic-grid-repair-fund.lock"]  # one listing per folder, one lock
