"""Readers during edits: reader latency through nginx while uploads or ``l10n update`` run, one pool or two.

    .venv/bin/python bench/isolation_bench.py                   # 2,000 articles, ~6 min
    .venv/bin/python bench/isolation_bench.py --duration 6      # a quick look

A synthetic tree (``synthetic.generate``, uk ↔ en, compiled) is served through Debian's nginx
with deploy/nginx/l10n.conf (rendered by deploy/render_nginx.py), in three layouts, one after
the other in the same run:

- **one pool**: one ``l10n serve --workers 2`` takes reader pages and edits alike
  (``--reader`` and ``--editing`` name the same instance);
- **two pools**: ``l10n serve --readers-only --workers 2`` for readers and ``l10n serve
  --workers 2`` for edits, over the same tree (README, "One machine: two pools");
- **two pools, weighted**: the same, with the editing pool at nice 6 — what
  ``CPUWeight=400`` on the reader unit against the editing pool's 100 does on a systemd host
  (both are CFS weights: nice 6 is a quarter of nice 0's).

Readers are an open-loop client at a fixed rate (``--rate``, alternating the article and the
front page; a request's latency counts from when it was due, so a stall is not hidden by
the client waiting), while

- **idle**: nothing else happens;
- **uploads**: ``--uploaders`` translators each download a catalog over the API, change its
  title and upload it back padded to 8 MB with obsolete entries (``PUT …/po``), again and again;
- **update**: ``l10n update`` runs over the whole tree, again and again, at its default
  ``BATCH_NICENESS`` (10); **update, nice 0**: the same with ``L10N_BATCH_NICENESS=0``.

``READER_MAX_AGE=0``: nginx stores nothing, so every reader request reaches a worker — what
a reader meets on a cache miss, an expired page or the long tail of the archive. The figure
that counts is each layout's p99 under an edit ÷ its own idle p99, measured in the same run.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import grp
import http.client
import importlib.util
import json
import os
import pwd
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_bench import _free_port, prepare

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
L10N = str(Path(sys.executable).parent / "l10n")
UPLOAD_BYTES = 8 * 1024 * 1024 - 64 * 1024  # an 8 MB PO file, under the API's limit
REVISED = " (revised)"
CONDITIONS = ["idle", "uploads", "update", "update, nice 0"]


@dataclass
class Layout:
    name: str
    #: (extra ``l10n serve`` arguments, workers, niceness) per instance; the first takes edits.
    editing: tuple[list[str], int, int]
    readers: tuple[list[str], int, int] | None  # None: the editing instance serves readers too


LAYOUTS = [
    Layout("one pool (2 workers)", ([], 2, 0), None),
    Layout("two pools (readers 2 + editing 2)", ([], 2, 0), (["--readers-only"], 2, 0)),
    Layout("two pools, editing at nice 6", ([], 2, 6), (["--readers-only"], 2, 0)),
]


@dataclass
class Measurement:
    latencies: list[float] = field(default_factory=list)  # seconds, from when each request was due
    by_page: dict[str, list[float]] = field(default_factory=dict)
    failures: int = 0
    edits: list[float] = field(default_factory=list)  # seconds each upload or update took


# --- servers --------------------------------------------------------------------------------


def _environment(root: Path) -> dict[str, str]:
    return {**os.environ, "L10N_CONTENT_DIR": str(root / "content"), "L10N_LOCALES_DIR": str(root / "locales"),
            "L10N_INSTANCE_DIR": str(root / "instance"), "L10N_LANGUAGES": "uk,en", "L10N_READER_MAX_AGE": "0",
            "L10N_PROXIES": "1", "L10N_SECRET_KEY": "bench"}


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if _get(port, "/healthz").status == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.2)


def start_instance(root: Path, arguments: list[str], workers: int, niceness: int, log: Path) -> tuple[subprocess.Popen, int]:
    """``l10n serve`` over ``root`` on a free port (nice ``niceness``); return it once it answers."""
    port = _free_port()
    with open(log, "ab") as output:
        process = subprocess.Popen(
            ["nice", "-n", str(niceness), L10N, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             *arguments],
            env=_environment(root), stdout=output, stderr=output)
    _wait_for(port, process, f"l10n serve {' '.join(arguments)}")
    return process, port


def _render_site(readers: list[str], editing: list[str], port: int, cache_dir: Path) -> str:
    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render(readers, editing, listen=f"127.0.0.1:{port}", cache_dir=str(cache_dir))


def start_nginx(prefix: Path, readers: list[str], editing: list[str]) -> tuple[subprocess.Popen, int]:
    """Debian's nginx in front of the instances, every path of its own in ``prefix``."""
    port = _free_port()
    (prefix / "temp").mkdir(parents=True)
    site, config = prefix / "l10n.conf", prefix / "nginx.conf"
    site.write_text(_render_site(readers, editing, port, prefix / "cache"))
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    temp = prefix / "temp"
    config.write_text(f"""
user {user} {group};
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    access_log off;
    include {site};
}}
""")
    process = subprocess.Popen([NGINX, "-p", f"{prefix}/", "-c", str(config), "-e", str(prefix / "error.log"),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(port, process, "nginx")
    return process, port


def stop(process: subprocess.Popen, graceful: int = signal.SIGTERM) -> None:
    process.send_signal(graceful)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- load -----------------------------------------------------------------------------------


def read_pages(port: int, pages: list[str], rate: float, duration: float, into: Measurement) -> None:
    """Ask for ``pages`` in turn at ``rate`` per second for ``duration`` seconds; record each latency."""
    lock = threading.Lock()

    def one(path: str, due: float) -> None:
        try:
            response = _get(port, path)
            cache = response.headers.get("X-Cache-Status")
            ok = response.status == 200 and cache in (None, "MISS", "BYPASS", "EXPIRED")
        except OSError:
            ok = False
        with lock:
            if ok:
                into.latencies.append(time.monotonic() - due)
                into.by_page.setdefault(path, []).append(into.latencies[-1])
            else:
                into.failures += 1

    interval = 1 / rate
    begun = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=128) as pool:
        for number in range(int(duration * rate)):
            due = begun + number * interval
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, pages[number % len(pages)], due)


def _padding(size: int) -> str:
    """Obsolete entries (``#~``) of ``size`` bytes: what a long-lived translator's file carries along."""
    lines, total, number = [], 0, 0
    while total < size:
        text = f"an old paragraph {number} of the archive, long since rewritten by the desk " * 3
        entry = f'#~ msgctxt "paragraph"\n#~ msgid "{text}"\n#~ msgstr "[en] {text}"\n\n'
        lines.append(entry)
        total += len(entry.encode())
        number += 1
    return "".join(lines)


def _translated_title(path: Path) -> bool:
    """Tell whether the catalog's title is translated and reviewed (an upload can toggle it)."""
    return any(entry.msgctxt == "title" and entry.msgstr and not entry.fuzzy for entry in polib.pofile(str(path)))


def upload_loop(port: int, token: str, catalog: str, stop_at: float, into: Measurement, lock: threading.Lock) -> None:
    """Download ``catalog`` over the API, toggle its title, upload it back padded to 8 MB; until ``stop_at``."""
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/catalogs/en/{catalog}/po"
    padding = None
    while time.monotonic() < stop_at:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request("GET", url, headers=headers)
        downloaded = connection.getresponse()
        text = downloaded.read().decode()
        connection.close()
        if downloaded.status != 200:
            raise RuntimeError(f"download of {catalog}: {downloaded.status} {text[:200]}")
        po = polib.pofile(text)
        title = next(entry for entry in po if entry.msgctxt == "title")
        title.msgstr = title.msgstr[:-len(REVISED)] if title.msgstr.endswith(REVISED) else title.msgstr + REVISED
        body = str(po) + "\n"
        padding = padding or _padding(UPLOAD_BYTES - len(body.encode()))
        data = (body + padding).encode()
        began = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request("PUT", url, body=data, headers={**headers, "Content-Type": "text/x-gettext-translation"})
        answer = connection.getresponse()
        report = answer.read().decode()
        connection.close()
        if answer.status != 200 or not json.loads(report)["applied"]:
            raise RuntimeError(f"upload of {catalog}: {answer.status} {report[:300]}")
        with lock:
            into.edits.append(time.monotonic() - began)


def update_loop(root: Path, stop_at: float, into: Measurement, log: Path, niceness: str | None) -> None:
    """Run ``l10n update`` over the tree again and again until ``stop_at`` (the last one is finished)."""
    environment = _environment(root)
    if niceness is not None:
        environment["L10N_BATCH_NICENESS"] = niceness
    while time.monotonic() < stop_at:
        began = time.monotonic()
        with open(log, "ab") as output:
            subprocess.run([L10N, "update"], env=environment, stdout=output, stderr=output, check=True)
        into.edits.append(time.monotonic() - began)


def measure(port: int, condition: str, options: argparse.Namespace, pages: list[str], root: Path,
            uploads: list[tuple[str, str]], log: Path) -> Measurement:
    """Reader latencies during ``duration`` seconds of ``condition`` (idle, uploads, update)."""
    result = Measurement()
    lock = threading.Lock()
    stop_at = time.monotonic() + options.duration
    if condition == "uploads":
        editors = [threading.Thread(target=upload_loop, args=(port, token, catalog, stop_at, result, lock))
                   for token, catalog in uploads]
    elif condition.startswith("update"):
        niceness = "0" if condition == "update, nice 0" else None
        editors = [threading.Thread(target=update_loop, args=(root, stop_at, result, log, niceness))]
    else:
        editors = []
    for editor in editors:
        editor.start()
    if editors:
        time.sleep(min(2.0, options.duration / 4))  # the edits under way before the readers come
    read_pages(port, pages, options.rate, options.duration, result)
    for editor in editors:
        editor.join()
    return result


def run_layout(layout: Layout, root: Path, workdir: Path, options: argparse.Namespace, pages: list[str],
               uploads: list[tuple[str, str]]) -> dict[str, Measurement]:
    """Start the layout's instances and nginx; measure every condition; stop them."""
    log = workdir / "servers.log"
    processes: list[subprocess.Popen] = []
    nginx = None
    try:
        editing, editing_port = start_instance(root, layout.editing[0], layout.editing[1], layout.editing[2], log)
        processes.append(editing)
        reader_ports = [editing_port]
        if layout.readers is not None:
            readers, port = start_instance(root, *layout.readers, log)
            processes.append(readers)
            reader_ports = [port]
        nginx, nginx_port = start_nginx(Path(tempfile.mkdtemp(prefix="nginx-", dir=workdir)),
                                        [f"127.0.0.1:{port}" for port in reader_ports], [f"127.0.0.1:{editing_port}"])
        for path in pages:  # every worker's first render, outside the measurement
            for _ in range(8):
                _get(nginx_port, path)
        read_pages(nginx_port, pages, options.rate, 3, Measurement())  # settle: page stores, archive watch
        results = {}
        for condition in options.conditions:
            results[condition] = measure(nginx_port, condition, options, pages, root, uploads, log)
            print(f"  {condition:>8}: {summary(results[condition])}", flush=True)
        return results
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)  # nginx's graceful stop
        for process in processes:
            stop(process)


# --- report ---------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def summary(measurement: Measurement) -> str:
    p50, p99 = percentile(measurement.latencies, 0.5), percentile(measurement.latencies, 0.99)
    text = (f"{len(measurement.latencies)} answers, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {max(measurement.latencies, default=0) * 1000:.0f} ms, {measurement.failures} failed")
    if measurement.edits:
        text += f"; {len(measurement.edits)} edits, median {statistics.median(measurement.edits):.1f} s"
    return text


def table(results: dict[str, dict[str, Measurement]]) -> str:
    rows = [("| layout | during | answers | p50 ms | p99 ms | max ms | article p99 | front page p99 "
            "| p99 ÷ idle p99 | edits (median s) |"),
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for layout, conditions in results.items():
        idle = percentile(conditions["idle"].latencies, 0.99) if "idle" in conditions else float("nan")
        for condition, measurement in conditions.items():
            p99 = percentile(measurement.latencies, 0.99)
            edits = (f"{len(measurement.edits)} ({statistics.median(measurement.edits):.1f})"
                     if measurement.edits else "–")
            rows.append(f"| {layout} | {condition} | {len(measurement.latencies)} "
                        f"| {percentile(measurement.latencies, 0.5) * 1000:.0f} | {p99 * 1000:.0f} "
                        f"| {max(measurement.latencies, default=0) * 1000:.0f} "
                        + "".join(f"| {percentile(values, 0.99) * 1000:.0f} " for _, values in sorted(measurement.by_page.items()))
                        + f"| {p99 / idle:.2f}× | {edits} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles (default 2000)")
    parser.add_argument("--duration", type=float, default=15, help="seconds of readers per condition (default 15)")
    parser.add_argument("--rate", type=float, default=20, help="reader requests per second (default 20)")
    parser.add_argument("--uploaders", type=int, default=2, help="translators uploading at once (default 2)")
    parser.add_argument("--conditions", nargs="+", default=CONDITIONS, choices=CONDITIONS)
    options = parser.parse_args()
    if not shutil.which("nginx") and not Path(NGINX).exists():
        parser.error(f"{NGINX} is missing: apt-get install nginx")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="isolation-bench-"))
    try:
        root, page_map = prepare(options.articles, workdir)
        pages = [page_map["article"], page_map["front page"]]
        from service.storage.accounts import Accounts, database_path

        (root / "instance").mkdir(exist_ok=True)
        accounts = Accounts(database_path(root / "instance"), password_hash_method="pbkdf2:sha256:1")
        article_slug = pages[0].rsplit("/", 1)[1]
        targets = [path.stem for path in sorted((root / "locales" / "en" / "LC_MESSAGES" / "articles").glob("*.po"))
                   if path.stem != article_slug and _translated_title(path)][-options.uploaders:]
        uploads = [(accounts.add_user(f"translator{number}", "translator", ["en"]).token, f"articles/{slug}")
                   for number, slug in enumerate(targets)]
        began = time.monotonic()  # the first update brings the generated catalogs in step; the rest find little to do
        subprocess.run([L10N, "update"], env=_environment(root), capture_output=True, check=True)
        print(f"pages {pages}; uploads to {targets}; first l10n update {time.monotonic() - began:.1f} s", flush=True)
        results = {}
        for layout in LAYOUTS:
            print(layout.name, flush=True)
            results[layout.name] = run_layout(layout, root, workdir, options, pages, uploads)
        print()
        print(f"{options.articles} articles; readers {options.rate:g}/s for {options.duration:g} s per row "
              f"(article and front page in turn, through nginx, READER_MAX_AGE=0); {options.uploaders} uploaders "
              "of 8 MB PO files; load average now {:.2f}".format(os.getloadavg()[0]))
        print(table(results))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
