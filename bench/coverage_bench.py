"""Benchmark: coverage of a newsroom-sized tree, cold and warm, against a ``msgfmt --statistics`` loop.

Generates N synthetic articles (default 10,000) in a temporary tree, each translated into two
languages (LANGUAGES uk,en,pl; sources alternate uk/en, so every article has two catalogs:
20,000 catalogs plus 10,000 templates), then measures in the same run:

- the baseline: ``msgfmt --statistics`` once per catalog (what a shell script would do),
  checking that its counts equal ours catalog by catalog;
- ``coverage_report(store.figures())`` cold (new store, nothing cached), in a new store that
  finds the figures remembered in ``INSTANCE_DIR/statistics.json`` (a new worker process), and warm;
- the strict polib parse of every catalog (what the fast scanner avoids);
- ``GET /api/coverage`` and ``GET /editor/coverage`` through the Flask app, cold, remembered and warm;
- ``l10n coverage`` as the whole process a user runs (start, imports, output to a file; wall
  time): cold (nothing in ``INSTANCE_DIR``), after one catalog was replaced (as ``git pull``
  does: a new file renamed over it), and warm (the median of ``--repeat`` runs after a first
  run filled the remembered state), for this checkout and, with ``--compare DIR``, for another
  one (``git archive main | tar -x -C DIR``) in the same run, the two interleaved; with the
  floor of ``python -c 'import click'`` for context. Each version's outputs must be equal.

Ratios are against the msgfmt loop (how many times faster). Usage::

    .venv/bin/python bench/coverage_bench.py [--articles 10000] [--repeat 5] [--keep DIR]
    .venv/bin/python bench/coverage_bench.py --commands-only --compare /tmp/main-src --keep /tmp/tree
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain import coverage  # noqa: E402
from service.domain import statistics as catalog_stats  # noqa: E402
from service.storage.figures import STATISTICS_FILE_NAME, FiguresIndex  # noqa: E402
from service.storage.layout import Layout  # noqa: E402
from service.storage.remembered_coverage import COVERAGE_FOLDER  # noqa: E402
from service.storage.po_files import read_catalog  # noqa: E402
from synthetic import LANGUAGES, open_tree  # noqa: E402


def _timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def _median(action, repeat: int) -> float:
    return statistics.median(_timed(action)[0] for _ in range(repeat))


def _fresh_store(root: Path, remembered: bool = False) -> FiguresIndex:
    """A new figures index, as in a new process: with or without the figures an earlier one remembered."""
    catalog_stats._words.cache_clear()
    store = FiguresIndex(Layout(root / "locales"), LANGUAGES, root / "instance" / STATISTICS_FILE_NAME)
    if not remembered:
        store.statistics_file.unlink(missing_ok=True)
    return store


def msgfmt_loop(catalogs: list[Path]) -> dict[Path, tuple[int, int, int]]:
    """Run ``msgfmt --statistics`` once per catalog and return its counts."""
    counts = {}
    for path in catalogs:
        output = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True, check=True).stderr
        found = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", output)}
        counts[path] = (found.get("translated", 0), found.get("fuzzy", 0), found.get("untranslated", 0))
    return counts


#: A change this old is trusted by ``l10n coverage``'s remembered output (its SETTLE_SECONDS, and a margin).
SETTLED = 2.2


def _coverage_command(checkout: Path, root: Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of ``l10n coverage`` run from ``checkout``'s code over the tree at ``root``."""
    environment = {**os.environ, "PYTHONPATH": str(checkout), "L10N_LANGUAGES": ",".join(LANGUAGES),
                   "L10N_CONTENT_DIR": str(root / "content"), "L10N_LOCALES_DIR": str(root / "locales"),
                   "L10N_INSTANCE_DIR": str(root / "instance"), "L10N_BATCH_NICENESS": "0"}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as in a user's installation
    return [sys.executable, "-c", "import sys; from service.cli import main; sys.exit(main())", "coverage"], environment


def _run_once(command: list[str], environment: dict[str, str]) -> tuple[float, bytes]:
    began = time.perf_counter()
    finished = subprocess.run(command, env=environment, stdout=subprocess.PIPE, check=True)
    return time.perf_counter() - began, finished.stdout


def measure_commands(root: Path, catalogs: list[Path], checkouts: dict[str, Path], repeat: int) -> dict[str, dict[str, float]]:
    """Time ``l10n coverage`` as a whole process for each checkout: cold, after one catalog was replaced, warm."""
    instance = root / "instance"
    commands = {name: _coverage_command(checkout, root) for name, checkout in checkouts.items()}
    times: dict[str, dict[str, float]] = {name: {} for name in checkouts}
    outputs: dict[str, bytes] = {}

    def each(label: str, prepare=None) -> None:
        for name, (command, environment) in commands.items():
            if prepare:
                prepare()
            times[name][label], outputs[name] = _run_once(command, environment)
        assert len(set(outputs.values())) == 1, f"{label}: the versions' outputs differ"

    def forget() -> None:  # what l10n coverage remembers; the history stays
        (instance / STATISTICS_FILE_NAME).unlink(missing_ok=True)
        shutil.rmtree(instance / COVERAGE_FOLDER, ignore_errors=True)

    def replace_one() -> None:
        path = catalogs[len(catalogs) // 2]  # the same text, a new file renamed over it (git pull, rsync)
        incoming = path.with_name(f".{path.name}.incoming")
        incoming.write_bytes(path.read_bytes())
        os.replace(incoming, path)
        time.sleep(SETTLED)  # long enough ago to be remembered: the run after it may fill the remembered state

    for command, environment in commands.values():  # compile each version's modules once
        _run_once(command, environment)
    # An instance with a history, as every newsroom's: the history's transitions are read too.
    command, environment = commands["this checkout"]
    subprocess.run([*command[:-1], "users", "add", f"bench-{secrets.token_hex(4)}", "--role", "editor"],
                   env={**environment, "L10N_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}, stdout=subprocess.DEVNULL,
                   check=True)
    floor = [sys.executable, "-c", "import click"]
    times["python -c 'import click'"] = {"floor": statistics.median(
        _timed(lambda: subprocess.run(floor, check=True))[0] for _ in range(repeat))}
    each("cold", forget)
    each("after one catalog replaced", replace_one)
    for command, environment in commands.values():  # a first run after the last change fills the remembered state
        _run_once(command, environment)
    warm: dict[str, list[float]] = {name: [] for name in checkouts}
    for _ in range(repeat):
        for name, (command, environment) in commands.items():
            seconds, outputs[name] = _run_once(command, environment)
            warm[name].append(seconds)
    assert len(set(outputs.values())) == 1, "warm: the versions' outputs differ"
    for name in checkouts:
        times[name][f"warm (median of {repeat})"] = statistics.median(warm[name])
    return times


def print_commands(times: dict[str, dict[str, float]], catalogs: int) -> None:
    print(f"\nl10n coverage as a whole process over {catalogs} catalogs (wall time, seconds):")
    for name, measured in times.items():
        print("  " + name + ": " + ", ".join(f"{label} {value:.3f}" for label, value in measured.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="warm measurements (the median is reported)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it (reused if present)")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the msgfmt loop (no ratios)")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="also time l10n coverage with the code of this checkout (e.g. main's), in the same run")
    parser.add_argument("--commands-only", action="store_true", help="only time l10n coverage as a whole process")
    options = parser.parse_args()

    root, catalogs = open_tree(options.keep, options.articles, "coverage-bench-")
    checkouts = {"this checkout": ROOT, **({f"{options.compare}": options.compare} if options.compare else {})}
    try:
        if options.commands_only:
            print_commands(measure_commands(root, catalogs, checkouts, options.repeat), len(catalogs))
            return 0
        baseline, expected = _timed(lambda: msgfmt_loop(catalogs if not options.skip_baseline else catalogs[:200]))
        print(f"msgfmt --statistics loop over {len(catalogs)} catalogs: {baseline:.2f} s")

        store = _fresh_store(root)
        cold, report = _timed(lambda: coverage.coverage_report(store.figures(), LANGUAGES))
        warm = _median(lambda: coverage.coverage_report(store.figures(), LANGUAGES), options.repeat)
        store = _fresh_store(root, remembered=True)
        recalled, recalled_report = _timed(lambda: coverage.coverage_report(store.figures(), LANGUAGES))
        assert recalled_report.catalogs == report.catalogs, "remembered figures differ from the catalogs' own"
        mismatches = 0
        by_key = {(row.language, row.domain): row for row in report.catalogs}
        for path, counts in expected.items():
            row = by_key[(path.parts[-4], f"articles/{path.stem}")]
            mismatches += (row.translated, row.fuzzy, row.untranslated) != counts
        print(f"counts equal to msgfmt's: {len(expected) - mismatches}/{len(expected)} catalogs")

        polib_time, _ = _timed(lambda: [catalog_stats.statistics_of(read_catalog(path)) for path in catalogs])

        from service import create_app
        from service.web.extension import services

        config = {"LANGUAGES": LANGUAGES, "CONTENT_DIR": str(root / "content"), "LOCALES_DIR": str(root / "locales"),
                  "INSTANCE_DIR": str(root / "instance"), "SECRET_KEY": "bench", "TESTING": True}

        def client_for_editor(remembered: bool = False):
            """A new app (a new process) and a client that asks as an editor, by API token."""
            _fresh_store(root, remembered)  # forgets what was remembered unless asked not to
            app = create_app(config)
            token = services(app).accounts.add_user(f"bench-{secrets.token_hex(4)}", "editor").token
            apps.append(app)
            client = app.test_client()
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
            return client

        apps: list = []

        def get(client, url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        client = client_for_editor()
        api_cold = _timed(lambda: get(client, "/api/coverage"))[0]
        api_warm = _median(lambda: get(client, "/api/coverage"), options.repeat)
        csv_warm = _median(lambda: get(client, "/api/coverage?format=csv"), options.repeat)
        client = client_for_editor(remembered=True)
        api_recalled = _timed(lambda: get(client, "/api/coverage"))[0]
        client = client_for_editor()
        page_cold = _timed(lambda: get(client, "/editor/coverage"))[0]
        page_warm = _median(lambda: get(client, "/editor/coverage"), options.repeat)
        client = client_for_editor(remembered=True)
        page_recalled = _timed(lambda: get(client, "/editor/coverage"))[0]

        print()
        print(f"{'measurement':<44} {'seconds':>9} {'msgfmt loop ÷ this':>20}")
        for name, value in [
            ("msgfmt --statistics loop (baseline)", baseline),
            ("strict polib parse of every catalog", polib_time),
            ("figures + coverage_report(), new store", cold),
            ("  … new store, figures remembered", recalled),
            ("  … warm store", warm),
            ("GET /api/coverage, cold", api_cold),
            ("  … new app, figures remembered", api_recalled),
            ("  … warm (median)", api_warm),
            ("GET /api/coverage?format=csv, warm (median)", csv_warm),
            ("GET /editor/coverage, cold", page_cold),
            ("  … new app, figures remembered", page_recalled),
            ("  … warm (median)", page_warm),
        ]:
            print(f"{name:<44} {value:>9.3f} {baseline / value:>19.1f}×")
        print_commands(measure_commands(root, catalogs, checkouts, options.repeat), len(catalogs))
        return 0 if mismatches == 0 else 1
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
