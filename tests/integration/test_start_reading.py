"""The start's reader: it reads and remembers the archive once, and whoever needs the listing waits for it, within a bound."""
from __future__ import annotations

import fcntl
import logging
import os

from service.bootstrap import build_services, read_archive_in_background
from service.config import load_settings
from service.storage import start_reading
from service.storage.start_reading import LOCK_NAME, wait_for_reading

from ..conftest import tree_settings


def _services(tree):
    return build_services(load_settings({**tree_settings(tree), "SECRET_KEY": "x"}))


def test_the_reader_remembers_the_archive_and_a_waiter_finds_it_read(tree):
    services = _services(tree)
    pid = read_archive_in_background(services, 1)
    wait_for_reading(services.lock_dir)
    assert (tree / "instance" / "sources.json").exists() and (tree / "instance" / "statistics.json").exists()
    assert os.waitpid(pid, 0)[1] == 0


def test_a_wait_gives_up_after_its_bound_and_says_so(tree, caplog):
    services = _services(tree)
    services.lock_dir.mkdir(parents=True)
    with open(services.lock_dir / LOCK_NAME, "ab") as held:  # a reader that never finishes
        fcntl.flock(held, fcntl.LOCK_EX)
        with caplog.at_level(logging.WARNING, logger=start_reading.__name__):
            wait_for_reading(services.lock_dir, max_wait=0.05)
    assert "still reading the archive" in caplog.text


def test_a_failing_reader_says_why_and_frees_the_lock(tree, capfd, monkeypatch):
    services = _services(tree)

    def broken(processes, progress=None):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(services.sources, "read_all", broken)
    pid = read_archive_in_background(services, 1)
    assert os.waitpid(pid, 0)[1] != 0
    assert "RuntimeError: the disk went away" in capfd.readouterr().err
    with open(services.lock_dir / LOCK_NAME, "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)  # free: no wait at all
