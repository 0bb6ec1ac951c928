"""Benchmark: the first answer after ``l10n serve`` starts, and each worker's memory after reading many articles.

Synthetic trees (``reader_bench.prepare_synthetic``: uk ↔ en, compiled ``.mo``) of each size
in ``--articles``; the first (100) is the same-run baseline of the others (10,000).

1. **Start.** ``l10n serve`` (gunicorn, sync workers) is launched and the page is asked for
   every 10 ms until it answers; the time from the launch to that answer is kept, for the
   front page ``/uk/``, an article page and the ``/`` redirect, each from a new server. Two
   states of ``INSTANCE_DIR``: *truly first* (empty: no remembered figures or front matter)
   and *remembered* (as a start that served a front page left it). Launches interleave the
   sizes; the median of ``--repeat`` is kept. Target: the large tree within 1 s of the baseline.
   With ``--compare CHECKOUT`` (e.g. ``git archive main | tar -x -C /tmp/main``), every launch
   is made twice, interleaved: with this checkout's code and with that one's (each server
   started from its checkout's folder, which gunicorn puts first on the path).
2. **Memory.** One server over the largest tree; ``--checkpoints`` different article pages
   (both languages, each variant published) are read by two clients, and each worker's
   ``VmRSS`` (``/proc/<pid>/status``) is read at every checkpoint, with how many of those
   pages it served (gunicorn's access log names the worker). Target: ≤ 150 MB per worker
   after 2,000 different articles.

Absolute times are context; the machine's other jobs move them. Needs ``pip install -e '.[bench]'``::

    .venv/bin/python bench/start_bench.py [--articles 100,10000] [--repeat 3] [--checkpoints 2000,10000] [--workers 2]
                                          [--compare CHECKOUT] [--no-memory]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reader_bench import _free_port, load_site, prepare_synthetic

LANGUAGES = ["uk", "en"]
STATES = ("truly first", "remembered")


def _status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _environment(root: Path, checkout: Path) -> dict[str, str]:
    return {**os.environ, "L10N_CONTENT_DIR": str(root / "content"), "L10N_LOCALES_DIR": str(root / "locales"),
            "L10N_INSTANCE_DIR": str(root / "instance"), "L10N_LANGUAGES": ",".join(LANGUAGES),
            "PYTHONPATH": str(checkout)}


def serve(root: Path, port: int, workers: int, log: Path, access_log: str = "/dev/null",
          checkout: Path = ROOT) -> subprocess.Popen[bytes]:
    """Launch ``l10n serve`` of ``checkout``'s code over ``root`` on loopback (its gunicorn master replaces the ``l10n`` process)."""
    command = [str(Path(sys.executable).with_name("l10n")), "serve", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--", "--access-logfile", access_log, "--access-logformat", "%(p)s %(U)s"]
    with open(log, "ab") as output:
        return subprocess.Popen(command, env=_environment(root, checkout), stdout=output, stderr=output, cwd=checkout)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn master (it stops its workers) and wait for it."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def first_answer(root: Path, path: str, workers: int, log: Path, checkout: Path = ROOT) -> float:
    """Seconds from launching ``l10n serve`` to the first answer of ``path`` (200, or 302 for ``/``)."""
    port = _free_port()
    began = time.perf_counter()
    server = serve(root, port, workers, log, checkout=checkout)
    try:
        while True:
            try:
                status = _status(port, path)
                elapsed = time.perf_counter() - began
                break
            except (OSError, http.client.HTTPException):
                if server.poll() is not None or time.perf_counter() - began > 600:
                    raise RuntimeError(f"l10n serve did not answer {path}: see {log}") from None
                time.sleep(0.01)
        if status not in (200, 302):
            raise RuntimeError(f"{path} answered {status}: see {log}")
        return elapsed
    finally:
        stop(server)


def forget(root: Path) -> None:
    """Empty ``INSTANCE_DIR``: a truly first start (nothing remembered, no secret key, no locks)."""
    shutil.rmtree(root / "instance", ignore_errors=True)


def measure_starts(trees: dict[int, Path], pages: dict[int, dict[str, str]], repeat: int, workers: int,
                   log: Path, checkouts: dict[str, Path]) -> dict[tuple[str, int, str, str], float]:
    """Median seconds to the first answer per (code, size, page, state); launches interleave the codes and sizes."""
    samples: dict[tuple[str, int, str, str], list[float]] = {}
    for number in range(repeat):
        for state in STATES:
            for label in next(iter(pages.values())):
                for size, root in trees.items():
                    for code, checkout in checkouts.items():
                        if state == "truly first":
                            forget(root)
                        elif not (root / "instance" / "sources.json").exists():  # as a normal first start leaves it
                            first_answer(root, "/uk/", workers, log, checkout)  # a front page served
                        samples.setdefault((code, size, label, state), []).append(
                            first_answer(root, pages[size][label], workers, log, checkout))
        print(f"  start round {number + 1}/{repeat} done", flush=True)
    return {key: statistics.median(values) for key, values in samples.items()}


def worker_pids(master: int) -> list[int]:
    """Return the pids of the gunicorn master's workers."""
    text = Path(f"/proc/{master}/task/{master}/children").read_text()
    return [int(pid) for pid in text.split()]


def resident_mb(pid: int) -> float:
    """Return the resident memory of ``pid`` in MB (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def served_by(access_log: Path) -> Counter[int]:
    """Count the article pages each worker served so far, from the access log (``pid path``)."""
    counts: Counter[int] = Counter()
    for line in access_log.read_text().splitlines():
        pid, _space, path = line.partition(" ")
        if "/articles/" in path:
            counts[int(pid.strip("<>"))] += 1
    return counts


def read_all(port: int, paths: list[str], failures: list[str]) -> None:
    """Ask for every page of ``paths`` in turn; add those that did not answer 200 to ``failures``."""
    for path in paths:
        status = _status(port, path)
        if status != 200:
            failures.append(f"{path}: {status}")


def measure_memory(root: Path, checkpoints: list[int], workers: int, log: Path,
                   workdir: Path) -> list[tuple[str, dict[int, tuple[float, int]]]]:
    """Each worker's resident MB and article pages served: after start, then at each checkpoint."""
    site = load_site(root, LANGUAGES)
    every = sorted(f"/{language}/articles/{slug}" for slug, languages in site.published_in.items()
                   for language in languages)
    pages = random.Random(11).sample(every, min(max(checkpoints), len(every)))
    access_log = workdir / "access.log"
    port = _free_port()
    server = serve(root, port, workers, log, str(access_log))
    rows = []
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if _status(port, "/uk/") == 200:
                    break
            except (OSError, http.client.HTTPException):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"l10n serve did not start: see {log}") from None
                time.sleep(0.05)
        pids = worker_pids(server.pid)

        def snapshot(label: str) -> None:
            time.sleep(0.5)  # the access log is written after the answer
            served = served_by(access_log)
            rows.append((label, {pid: (resident_mb(pid), served[pid]) for pid in pids}))

        snapshot("after start (one front page)")
        done = 0
        for checkpoint in sorted(checkpoints):
            batch = pages[done:checkpoint]
            failures: list[str] = []
            clients = [threading.Thread(target=read_all, args=(port, batch[index::2], failures)) for index in range(2)]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            if failures:
                raise RuntimeError(f"{len(failures)} pages failed, e.g. {failures[:3]}")
            done = checkpoint
            if worker_pids(server.pid) != pids:
                raise RuntimeError(f"a worker was replaced (killed?): see {log}")
            snapshot(f"after {checkpoint:,} different articles")
            print(f"  memory: {checkpoint:,} pages read", flush=True)
    finally:
        stop(server)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="100,10000", help="tree sizes, comma-separated; the first is the baseline")
    parser.add_argument("--repeat", type=int, default=3, help="launches per size, page and state (median)")
    parser.add_argument("--checkpoints", default="2000,10000", help="different article pages read before each RSS reading")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep", type=Path, help="generate the trees here and reuse them on the next run")
    parser.add_argument("--compare", type=Path, help="another checkout (e.g. main's) whose starts are measured in the same run")
    parser.add_argument("--no-memory", action="store_true", help="measure the starts only")
    options = parser.parse_args()
    sizes = [int(size) for size in options.articles.split(",")]
    checkpoints = [int(number) for number in options.checkpoints.split(",")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    workdir = Path(tempfile.mkdtemp(prefix="start-bench-"))
    base = options.keep or workdir
    log = workdir / "serve.log"
    try:
        trees, pages = {}, {}
        for size in sizes:
            root = base / f"tree-{size}"
            if not (root / "content").exists():
                root.mkdir(parents=True, exist_ok=True)
                _slugs, seconds = prepare_synthetic(root, size)
                print(f"{size:,} articles generated and compiled in {seconds:.1f} s", flush=True)
            trees[size] = root
            slug = f"article-{(size - 1) // 2 * 2:05d}"  # the newest Ukrainian source (synthetic: uk at even numbers)
            pages[size] = {"front page /uk/": "/uk/", "article (uk source)": f"/uk/articles/{slug}", "/ (redirect)": "/"}
        checkouts = {"this checkout": ROOT}
        if options.compare is not None:
            checkouts[str(options.compare)] = options.compare.resolve()
        starts = measure_starts(trees, pages, options.repeat, options.workers, log, checkouts)
        memory = [] if options.no_memory else measure_memory(trees[sizes[-1]], checkpoints, options.workers, log, workdir)
    finally:
        if options.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)

    baseline = sizes[0]
    print(f"\nFirst answer after launching `l10n serve` ({options.workers} sync workers), "
          f"median of {options.repeat}; seconds")
    print("| code | state | page | " + " | ".join(f"{size:,} articles" for size in sizes)
          + " | " + " | ".join(f"{size:,} − {baseline:,}" for size in sizes[1:]) + " |")
    print("| --- | --- | --- | " + " | ".join("---:" for _ in sizes) + " | " + " | ".join("---:" for _ in sizes[1:]) + " |")
    for state in STATES:
        for label in pages[baseline]:
            for code in checkouts:
                times = [starts[code, size, label, state] for size in sizes]
                print(f"| {code} | {state} | {label} | " + " | ".join(f"{value:.2f}" for value in times) + " | "
                      + " | ".join(f"{value - times[0]:+.2f}" for value in times[1:]) + " |")
    if not memory:
        return 0
    print(f"\nResident memory per worker ({sizes[-1]:,}-article tree, {options.workers} sync workers); "
          "MB (article pages that worker served)")
    print("| after | " + " | ".join(f"worker {number + 1}" for number in range(options.workers)) + " |")
    print("| --- | " + " | ".join("---:" for _ in range(options.workers)) + " |")
    for label, by_worker in memory:
        print(f"| {label} | " + " | ".join(f"{mb:.0f} MB ({served:,})" for mb, served in by_worker.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
