"""Benchmark: coverage of a newsroom-sized tree, cold and warm, against a ``msgfmt --statistics`` loop.

Generates N synthetic articles (default 10,000) in a temporary tree, each translated into two
languages (LANGUAGES uk,en,pl; sources alternate uk/en, so every article has two catalogs:
20,000 catalogs plus 10,000 templates), then measures in the same run:

- the baseline: ``msgfmt --statistics`` once per catalog (what a shell script would do),
  checking that its counts equal ours catalog by catalog;
- ``coverage_report(store.figures())`` cold (new store, nothing cached), in a new store that
  finds the figures remembered in ``INSTANCE_DIR/statistics.json`` (a new worker process), and warm;
- the strict polib parse of every catalog (what the fast scanner avoids);
- ``GET /api/coverage`` and ``GET /editor/coverage`` through the Flask app, cold, remembered and warm.

Ratios are against the msgfmt loop (how many times faster). Usage::

    .venv/bin/python bench/coverage_bench.py [--articles 10000] [--repeat 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="warm measurements (the median is reported)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it (reused if present)")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the msgfmt loop (no ratios)")
    options = parser.parse_args()

    root, catalogs = open_tree(options.keep, options.articles, "coverage-bench-")
    try:
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
        return 0 if mismatches == 0 else 1
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
