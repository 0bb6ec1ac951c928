"""Benchmark: how much of a reader page's cost is the app's own, and how much the server's.

``floor_bench.py`` measures each page through gunicorn (2 sync workers) and ``wrk``. This
script calls the same apps' WSGI entry points in one process, with no server, for the same
pages of a synthetic tree, and prints each app's own time per request beside the CPU time a
request costs through gunicorn (two CPUs divided by the requests per second ``floor_bench``
measured, given on the command line). The difference is what gunicorn, the kernel and
``wrk`` spend, the same for every app: it bounds what any app can gain over another::

    .venv/bin/python bench/app_share.py                          # 2,000 articles, ~1 min
    .venv/bin/python bench/app_share.py --rate ours=6244 --rate flask-babel=4495   # with floor_bench's / rates
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import floor_bench  # noqa: E402
import reader_bench  # noqa: E402

#: The apps compared: ours with its page cache, and the conventional Flask-Babel app.
APPS = ("ours", "flask-babel")


def _environ(path: str) -> dict[str, Any]:
    """A GET of ``path`` as gunicorn would pass it (no cookie, no ``Accept-Language``)."""
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}


def seconds_per_request(app: Any, path: str, count: int) -> float:
    """Return the seconds one WSGI call of ``path`` takes, body read and closed, over ``count`` calls."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        statuses.append(status)

    began = time.perf_counter()
    for _ in range(count):
        answer = app(_environ(path), start_response)
        b"".join(answer)
        close = getattr(answer, "close", None)
        if close is not None:
            close()
    elapsed = time.perf_counter() - began
    if not statuses[-1].startswith(("200", "302")):
        raise RuntimeError(f"{path}: {statuses[-1]}")
    return elapsed / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=5000, help="calls per app and page, per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the median is reported)")
    parser.add_argument("--rate", action="append", default=[], metavar="APP=REQ_PER_S",
                        help="floor_bench's requests/s of / for an app, to show the server's share")
    options = parser.parse_args()
    rates = {name: float(value) for name, value in (item.split("=", 1) for item in options.rate)}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="app-share-") as workdir:
        root, pages = floor_bench.prepare(options.articles, Path(workdir))
        apps = {kind: reader_bench.make_app(kind, root, ["uk", "en"], list(pages.values())) for kind in APPS}
        for app in apps.values():  # fill the page cache, load the catalogs
            for path in pages.values():
                seconds_per_request(app, path, 50)
        timings: dict[tuple[str, str], list[float]] = {}
        for _round in range(options.rounds):
            for label, path in pages.items():
                for kind, app in apps.items():
                    timings.setdefault((label, kind), []).append(seconds_per_request(app, path, options.requests))
    print("\nthe app's own time per request (one process, no server), median of "
          f"{options.rounds} rounds of {options.requests:,}:\n")
    print("| page | " + " | ".join(APPS) + " |")
    print("| --- | " + " | ".join("---:" for _ in APPS) + " |")
    for label in pages:
        cells = [f"{statistics.median(timings[label, kind]) * 1e6:,.1f} µs" for kind in APPS]
        print(f"| {label} | " + " | ".join(cells) + " |")
    if rates:
        print("\n/ through gunicorn: CPU per request (2 CPUs ÷ requests/s), the app's share, the rest:\n")
        for kind, rate in rates.items():
            cpu = 2 / rate
            own = statistics.median(timings["/ (redirect)", kind])
            print(f"- {kind}: {cpu * 1e6:,.0f} µs per request, the app {own * 1e6:,.1f} µs "
                  f"({own / cpu:.1%}), server, kernel and wrk {(cpu - own) * 1e6:,.0f} µs")
        if set(APPS) <= set(rates):
            rest = 2 / rates["ours"] - statistics.median(timings["/ (redirect)", "ours"])
            print(f"\nan app answering / in no time at all would reach at most "
                  f"{(2 / rates['flask-babel']) / rest:.2f}× Flask-Babel's rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
