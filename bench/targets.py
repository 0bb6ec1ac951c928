"""Benchmark: every reader-speed target of issue 10 in one run, each beside its same-run baseline.

One command runs the other benchmarks' measurements over synthetic trees generated once
into a temporary folder, then prints one table — target, measured, baseline, verdict::

    .venv/bin/python bench/targets.py            # the full run, about 20 minutes on 2 CPUs
    .venv/bin/python bench/targets.py --quick    # shorter runs and one round: a look, not a result

1. Reader pages (``floor_bench.measure``) at 2,000 and 10,000 articles — an article, the
   front page, a category page and ``/``: ours ÷ the floor app ≥ 0.9 and ours ÷ Flask-Babel ≥ 1.5.
2. Start-up (``start_bench``): the first answer after ``l10n serve`` starts with 10,000
   articles within 1 s of a 100-article start, with an empty instance folder (truly first)
   and a remembered one; each worker's resident memory after 2,000 different articles ≤ 150 MB.
3. Saves (``save_bench``): a save on a 300-entry catalog p99 ≤ 50 ms, visible in every
   worker p99 ≤ 1 s; GNU ``msgfmt -c`` compiling the same catalog is the context.
4. Batch commands (``check_bench``, real-language text, 20,000 catalogs): ``l10n check``
   cold no slower than a ``msgfmt -c`` loop over the same files, warm ≤ 5 s; ``l10n
   coverage`` warm ≤ 100 ms.

Needs ``pip install -e '.[bench]'``, Debian's ``wrk`` and ``gettext``. The machine's other jobs
move absolute numbers; the ratios are measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import check_bench
import floor_bench
import save_bench
import start_bench
from reader_bench import prepare_synthetic
from synthetic import open_tree


@dataclass(frozen=True)
class Row:
    """One target as measured: what it asks, what was found, the same-run baseline, whether it holds."""

    target: str
    measured: str
    baseline: str
    met: bool


def reader_pages(workdir: Path, sizes: list[int], duration: float, rounds: int) -> list[Row]:
    """Requests/s of each page against the floor app and Flask-Babel at each archive size."""
    rows = []
    for size in sizes:
        rates = floor_bench.measure(size, workdir, duration, rounds, connections=8)
        for label in dict.fromkeys(label for label, _kind in rates):
            floor, ours, babel = (rates[label, kind] for kind in floor_bench.KINDS)
            rows.append(Row(f"{size:,} articles, {label}: ≥ 0.9× the floor, ≥ 1.5× Flask-Babel",
                            f"{ours / floor:.2f}× the floor, {ours / babel:.2f}× Flask-Babel ({ours:,.0f} req/s)",
                            f"floor {floor:,.0f} req/s, Flask-Babel {babel:,.0f} req/s",
                            ours / floor >= 0.9 and ours / babel >= 1.5))
    return rows


def start_up(workdir: Path, repeat: int, checkpoints: list[int], sizes: tuple[int, int] = (100, 10_000)) -> list[Row]:
    """The first answer after start with ``sizes[1]`` articles against ``sizes[0]``, and each worker's memory."""
    trees, pages = {}, {}
    for size in sizes:
        root = workdir / f"tree-{size}"  # the floor's tree of that size when it made one
        if not (root / "content").exists():
            root.mkdir(parents=True, exist_ok=True)
            prepare_synthetic(root, size)
        trees[size] = root
        slug = f"article-{(size - 1) // 2 * 2:05d}"  # the newest Ukrainian source (synthetic: uk at even numbers)
        pages[size] = {"front page": "/uk/", "article": f"/uk/articles/{slug}", "/ (redirect)": "/"}
    log = workdir / "serve.log"
    starts = start_bench.measure_starts(trees, pages, repeat, 2, log, {"this checkout": ROOT})
    rows = []
    for state in start_bench.STATES:
        for label in pages[sizes[0]]:
            small, large = (starts["this checkout", size, label, state] for size in sizes)
            rows.append(Row(f"first answer, {state} start, {label}: {sizes[1]:,} articles within 1 s of {sizes[0]:,}",
                            f"{large:.2f} s ({large - small:+.2f} s)", f"{small:.2f} s with {sizes[0]:,} articles",
                            large - small <= 1.0))
    memory = start_bench.measure_memory(trees[sizes[-1]], checkpoints, 2, log, workdir)
    for label, by_worker in memory[1:]:
        largest = max(mb for mb, _served in by_worker.values())
        rows.append(Row(f"resident memory per worker {label}: ≤ 150 MB", f"{largest:.0f} MB (the larger worker)",
                        f"{max(mb for mb, _served in memory[0][1].values()):.0f} MB after start", largest <= 150))
    return rows


def saves(workdir: Path, count: int, visibility: int) -> list[Row]:
    """A save's time through the API under 4 workers, and how soon every worker shows it."""
    root = workdir / "save-tree"
    save_bench.write_tree(root)
    timings = save_bench.run(root, 4, count, visibility)
    _n, p50, p99, _peak = save_bench.summary(timings["edits"])
    _n, seen50, seen99, _peak = save_bench.summary(timings["visible in every worker"])
    msgfmt = statistics.median(timings["msgfmt -c -o (subprocess)"]) * 1000
    return [
        Row("a save on a 300-entry catalog: p99 ≤ 50 ms", f"p99 {p99:.1f} ms, p50 {p50:.1f} ms",
            f"msgfmt -c -o of that catalog {msgfmt:.1f} ms (median)", p99 <= 50),
        Row("a save visible to readers in every worker: p99 ≤ 1 s", f"p99 {seen99:.0f} ms, p50 {seen50:.0f} ms",
            "", seen99 <= 1000),
    ]


def batch_commands(workdir: Path, articles: int, repeat: int) -> list[Row]:
    """``l10n check`` cold and warm against a ``msgfmt -c`` loop, and ``l10n coverage`` warm."""
    root, _catalogs = open_tree(workdir / "check-tree", articles, "check-", "real")
    results = list(check_bench.measure(root, ["uk", "en"], repeat).items())
    (loop_label, loop), (_, cold), (_, warm), (_, one), (_, _coverage_cold), (_, coverage_warm) = results
    loop_text = f"{loop_label.split(' (')[0]}: {loop:.1f} s"
    return [
        Row("`l10n check` cold: no slower than a `msgfmt -c` loop", f"{cold:.1f} s ({loop / cold:.2f}× the loop)",
            loop_text, cold <= loop),
        Row("`l10n check` warm (nothing changed): ≤ 5 s", f"{warm:.2f} s ({one:.2f} s after one catalog changed)",
            loop_text, warm <= 5),
        Row("`l10n coverage` warm: ≤ 100 ms", f"{coverage_warm * 1000:.0f} ms", loop_text, coverage_warm <= 0.1),
    ]


def table(rows: list[Row]) -> str:
    """Return the Markdown table of every target."""
    lines = ["| target | measured | baseline (same run) | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {row.target} | {row.measured} | {row.baseline} | {'met' if row.met else '**short**'} |"
              for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, one round: a look, not a result")
    parser.add_argument("--only", choices=("pages", "start", "saves", "batch"), action="append",
                        help="run only these parts (repeatable)")
    options = parser.parse_args()
    parts = options.only or ["pages", "start", "saves", "batch"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="targets-bench-"))
    rows: list[Row] = []
    try:
        if "pages" in parts:
            rows += reader_pages(workdir, [2000, 10_000], 3 if options.quick else 5, 1 if options.quick else 3)
        if "start" in parts:
            rows += start_up(workdir, 1 if options.quick else 3, [2000])
        if "saves" in parts:
            rows += saves(workdir, 100 if options.quick else 400, 10 if options.quick else 40)
        if "batch" in parts:
            rows += batch_commands(workdir, 20_000, 2 if options.quick else 5)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}\n")
    print(table(rows))
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
