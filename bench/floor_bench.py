"""Benchmark: reader pages against the framework floor and Flask-Babel, under gunicorn and wrk, in one run.

For each archive size (synthetic trees, ``synthetic.generate``, uk ↔ en, compiled) three apps
serve the same four pages — an article, the front page ``/uk/``, a category page
``/uk/categories/economy/`` and the ``/`` redirect —
each under gunicorn with 2 sync workers on 127.0.0.1, loaded by ``wrk``:

- ``floor``: a two-line Flask app returning each page's bytes (status, headers, body, as our
  app answered them) from memory: the best a Flask app can do;
- ``ours``: the real app (``service.create_app``), its page cache in front;
- ``flask-babel``: the conventional Flask-Babel app of ``reader_bench.py`` rendering the same
  templates from the same compiled catalogs on every request.

Rounds interleave the apps against machine noise; the median requests/s per app and page is
kept, and the table gives ours ÷ floor (target ≥ 0.9) and ours ÷ Flask-Babel (target ≥ 1.5);
absolute numbers are context only. Needs ``pip install -e '.[bench]'`` and Debian's ``wrk``::

    .venv/bin/python bench/floor_bench.py [--articles 2000,10000] [--duration 5] [--rounds 3] [--connections 8]
"""
from __future__ import annotations

import argparse
import http.client
import os
import pickle
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

KINDS = ("floor", "ours", "flask-babel")


def floor_app() -> Any:
    """gunicorn's entry point for the floor: the pages in ``FLOOR_PAGES`` (a pickle), served from memory."""
    from flask import Flask

    with open(os.environ["FLOOR_PAGES"], "rb") as stored:
        answers: dict[str, tuple[bytes, int, list[tuple[str, str]]]] = pickle.load(stored)
    app = Flask("floor")
    app.add_url_rule("/", "root", lambda: answers["/"])
    app.add_url_rule("/<path:path>", "page", lambda path: answers["/" + path])
    return app


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def start(kind: str, root: Path, languages: list[str], paths: list[str], floor_pages: Path, log: Path) -> tuple[Any, int]:
    """Start gunicorn (2 sync workers) serving ``kind``; return the process and its port once it answers."""
    port = _free_port()
    environ = {**os.environ, "BENCH_KIND": "ours" if kind == "ours" else "flask-babel", "BENCH_ROOT": str(root),
               "BENCH_LANGUAGES": ",".join(languages), "BENCH_PAGES": ",".join(paths),
               "BENCH_BASE_URL": f"http://127.0.0.1:{port}", "FLOOR_PAGES": str(floor_pages)}
    entry = "floor_bench:floor_app()" if kind == "floor" else "reader_bench:wsgi_app()"
    with open(log, "ab") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "--pythonpath", str(ROOT / "bench"), "--workers", "2",
             "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", entry],
            env=environ, stdout=output, stderr=output)
    deadline = time.monotonic() + 600  # a new 10,000-article tree takes minutes to prepare on busy shared cores
    while True:
        try:
            _get(port, paths[0])
            return server, port
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"gunicorn ({kind}) did not start: see {log}")
            time.sleep(0.3)


def wrk(port: int, path: str, duration: float, connections: int) -> float:
    """Return the requests per second ``wrk`` measured on ``path`` (non-2xx/3xx answers fail the run)."""
    output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", f"http://127.0.0.1:{port}{path}"],
                            capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"errors under load on {path}:\n{output}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise RuntimeError(f"no rate in wrk's output:\n{output}")
    return float(found.group(1))


def prepare(articles: int, workdir: Path) -> tuple[Path, dict[str, str]]:
    """Generate and compile a tree of ``articles``; return it and the pages to measure (label → path)."""
    from reader_bench import load_site, prepare_synthetic

    root = workdir / f"tree-{articles}"
    root.mkdir()
    _slugs, seconds = prepare_synthetic(root, articles)
    print(f"{articles} synthetic articles generated and compiled in {seconds:.1f} s", flush=True)
    site = load_site(root, ["uk", "en"])
    # The newest Ukrainian-source article whose English translation is complete: every app can show it.
    slug = next(article.slug for article in site.newest_first
                if article.source_language == "uk" and ("en", article.slug) in site.complete)
    return root, {"article": f"/en/articles/{slug}", "front page": "/uk/",
                  "category page": "/uk/categories/economy/", "/ (redirect)": "/"}


def capture_floor(port: int, pages: dict[str, str], target: Path) -> None:
    """Keep what our app answers for each page, for the floor to serve from memory."""
    skip = {"connection", "date", "server", "transfer-encoding", "content-length"}
    answers = {}
    for path in pages.values():
        status, headers, body = _get(port, path)
        answers[path] = (body, status, [(name, value) for name, value in headers if name.lower() not in skip])
    target.write_bytes(pickle.dumps(answers))


def measure(articles: int, workdir: Path, duration: float, rounds: int, connections: int) -> dict[tuple[str, str], float]:
    """Requests/s per (page, app) at one archive size: the median of ``rounds`` interleaved rounds."""
    root, pages = prepare(articles, workdir)
    floor_pages = workdir / f"floor-{articles}.pickle"
    log = workdir / "gunicorn.log"
    servers: dict[str, tuple[Any, int]] = {}
    try:
        servers["ours"] = start("ours", root, ["uk", "en"], list(pages.values()), floor_pages, log)
        capture_floor(servers["ours"][1], pages, floor_pages)
        servers["floor"] = start("floor", root, ["uk", "en"], list(pages.values()), floor_pages, log)
        servers["flask-babel"] = start("flask-babel", root, ["uk", "en"], list(pages.values()), floor_pages, log)
        for kind, (_server, port) in servers.items():
            for path in pages.values():
                status, _headers, _body = _get(port, path)
                assert status in (200, 302), (kind, path, status)
        samples: dict[tuple[str, str], list[float]] = {}
        for number in range(rounds):
            for label, path in pages.items():
                for kind in KINDS:
                    rate = wrk(servers[kind][1], path, duration, connections)
                    samples.setdefault((label, kind), []).append(rate)
            print(f"  round {number + 1}/{rounds} done", flush=True)
        return {key: statistics.median(values) for key, values in samples.items()}
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(timeout=30)


def table(results: dict[int, dict[tuple[str, str], float]]) -> str:
    """Return the Markdown table of ratios, with the absolute rates as context."""
    lines = ["| archive | page | ours ÷ floor | ours ÷ Flask-Babel | floor req/s | ours req/s | Flask-Babel req/s |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for articles, rates in results.items():
        for label in dict.fromkeys(label for label, _kind in rates):
            floor, ours, babel = (rates[label, kind] for kind in KINDS)
            lines.append(f"| {articles:,} | {label} | {ours / floor:.2f}× | {ours / babel:.2f}× | {floor:,.0f} | "
                         f"{ours:,.0f} | {babel:,.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="2000,10000", help="archive sizes, comma-separated")
    parser.add_argument("--duration", type=float, default=5, help="seconds of wrk per app, page and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (the median is reported)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    arguments = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="floor-bench-") as folder:
        for articles in (int(size) for size in arguments.articles.split(",")):
            results[articles] = measure(articles, Path(folder), arguments.duration, arguments.rounds,
                                        arguments.connections)
    print(f"\ngunicorn, 2 sync workers; wrk -t1 -c{arguments.connections} -d{arguments.duration:g}s; "
          f"median of {arguments.rounds} rounds; {os.cpu_count()} CPUs (shared: noisy)\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
