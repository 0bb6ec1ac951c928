"""Benchmark: ``l10n check`` and ``l10n coverage`` as commands over a newsroom-sized tree, against a ``msgfmt -c`` loop.

Generates N synthetic articles (default 10,000: 20,000 catalogs with ``--text mixed``, the
default; 10,000 with ``--text real``, whose languages are Ukrainian and English only; see
``synthetic.py``) or reuses ``--keep DIR`` (generated with the same ``--text``), then measures in the same run, each as a whole process (Python's start and
imports included), wall time:

- the baseline: ``msgfmt -c -o /dev/null`` once per catalog that ``l10n check`` checks, as one
  shell script's loop (one subprocess running it);
- ``l10n check`` cold (``INSTANCE_DIR/check-results.json`` removed: every catalog checked, spread
  over the CPUs), warm (nothing changed: every result remembered), and warm after one catalog
  changed (only it checked again); the warm runs must print exactly what the cold run printed;
- ``l10n coverage`` cold (``statistics.json`` and the remembered outputs removed) and warm (the median of
  ``--repeat`` runs).

Ratios are the msgfmt loop's time divided by each (above 1: faster than the loop). Usage::

    .venv/bin/python bench/check_bench.py [--articles 10000] [--text mixed|real] [--repeat 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import TEXT_LANGUAGES, open_tree

from service.storage.check_results import CHECK_RESULTS_FILE_NAME
from service.storage.figures import STATISTICS_FILE_NAME
from service.storage.layout import Layout
from service.storage.remembered_coverage import COVERAGE_FOLDER

L10N = str(Path(sys.executable).with_name("l10n"))
#: The loop a shell script would run over the catalogs, one per line of the list file ($1).
MSGFMT_LOOP = 'while IFS= read -r f; do msgfmt -c -o /dev/null "$f" 2>/dev/null || echo "$f"; done < "$1"'


def _timed(command: list[str], environment: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    began = time.perf_counter()
    finished = subprocess.run(command, check=False, env=environment, capture_output=True)
    return time.perf_counter() - began, finished


def measure(root: Path, languages: list[str], repeat: int) -> dict[str, float]:
    """Seconds of each command over the tree at ``root``, the msgfmt loop first; warm runs checked against cold."""
    instance = root / "instance"
    environment = {**os.environ, "L10N_LANGUAGES": ",".join(languages), "L10N_CONTENT_DIR": str(root / "content"),
                   "L10N_LOCALES_DIR": str(root / "locales"), "L10N_INSTANCE_DIR": str(instance)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as in a user's installation
    checked = [path for _language, _domain, path in Layout(root / "locales").catalog_files(languages)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("".join(f"{path}\n" for path in checked))
    baseline, loop = _timed(["sh", "-c", MSGFMT_LOOP, "msgfmt-loop", listing.name], environment)
    os.unlink(listing.name)
    refused = loop.stdout.decode().split()
    print(f"msgfmt -c loop over {len(checked)} catalogs: {baseline:.1f} s ({len(refused)} refused)", flush=True)

    (instance / CHECK_RESULTS_FILE_NAME).unlink(missing_ok=True)
    cold, first = _timed([L10N, "check"], environment)
    print(f"l10n check, cold: {cold:.1f} s, exit {first.returncode}, {first.stderr.decode().strip()}", flush=True)
    warm, second = _timed([L10N, "check"], environment)
    changed = checked[len(checked) // 2]
    changed.write_bytes(changed.read_bytes())  # the same text, a new identity: checked again
    one_changed, third = _timed([L10N, "check"], environment)
    for run in (second, third):
        assert (run.returncode, run.stdout) == (first.returncode, first.stdout), "remembered results differ"

    (instance / STATISTICS_FILE_NAME).unlink(missing_ok=True)
    shutil.rmtree(instance / COVERAGE_FOLDER, ignore_errors=True)
    coverage_cold, report = _timed([L10N, "coverage"], environment)
    assert report.returncode == 0, report.stderr
    coverage_warm = statistics.median(_timed([L10N, "coverage"], environment)[0] for _ in range(repeat))
    return {
        f"msgfmt -c loop, {len(checked)} catalogs (baseline)": baseline,
        "l10n check, cold (nothing remembered)": cold,
        "l10n check, warm (nothing changed)": warm,
        "l10n check, warm, one catalog changed": one_changed,
        "l10n coverage, cold (no statistics.json)": coverage_cold,
        f"l10n coverage, warm (median of {repeat})": coverage_warm,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--text", choices=sorted(TEXT_LANGUAGES), default="mixed",
                        help="mixed: random Cyrillic and Latin words (the worst case for the language check); "
                             "real: the sample articles' sentences recombined")
    parser.add_argument("--repeat", type=int, default=5, help="warm l10n coverage runs (the median is reported)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it (reused if present)")
    options = parser.parse_args()

    print(f"text: {options.text}")
    root, _catalogs = open_tree(options.keep, options.articles, "check-bench-", options.text)
    try:
        results = measure(root, TEXT_LANGUAGES[options.text], options.repeat)
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    baseline = next(iter(results.values()))
    print()
    print(f"{'measurement':<46} {'seconds':>9} {'msgfmt loop ÷ this':>20}")
    for name, value in results.items():
        print(f"{name:<46} {value:>9.3f} {baseline / value:>19.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
