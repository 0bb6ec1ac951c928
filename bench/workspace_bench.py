"""Benchmark: the translator workspace and its JSON API over a newsroom-sized tree, through a real gunicorn.

Generates N synthetic articles (default 5,000: 10,000 catalogs, see ``synthetic.py``) or reuses
``--keep DIR``, adds an editor with ``l10n users add``, runs ``l10n serve`` (one sync worker, on a
free loopback port) and measures each request

- cold: the first request of a freshly started server, with ``INSTANCE_DIR/statistics.json``
  removed (nothing remembered) and, for the catalog lists, kept (a new worker after a restart);
- warm: the median of ``--repeat`` more requests to the same server;

for the catalog list (``/translate/``, filtered and paged), one catalog's entry list with each
filter and a search, the edit page, a save over the API and through the web form,
``GET /api/catalogs`` (whole and filtered), ``GET /api/catalogs/<lang>/<domain>``, PO download
and upload; then the worker's memory after walking many list pages and catalogs, and
``l10n check`` over the whole tree (``--skip-check`` leaves it out: it runs every check, with
language detection, on every entry, and takes minutes).

Baselines measured in the same run on the same catalog: ``msgfmt --statistics`` (a subprocess, as
a shell script would run it) and a plain ``polib`` parse; for ``l10n check``, ``msgfmt --check``
once per catalog. Usage::

    .venv/bin/python bench/workspace_bench.py [--articles 5000] [--repeat 5] [--keep DIR] [--skip-check]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import LANGUAGES, open_tree  # noqa: E402

L10N = str(Path(sys.executable).with_name("l10n"))
LANGUAGE = "pl"
SLUG = "article-00042"  # a generated article; its pl catalog is edited by the saves
DOMAIN = f"articles/{SLUG}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Answer a redirect as it is (a form's ``302``), not by following it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``l10n serve`` with one sync worker over the tree, and an HTTP client that signs in by token."""

    def __init__(self, environment: dict[str, str], token: str, log: Path) -> None:
        self.port = _free_port()
        self.token = token
        self._log = open(log, "ab")
        self.process = subprocess.Popen([L10N, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
                                        env=environment, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.request("GET", "/healthz")
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"the server did not start: see {log}") from None
                time.sleep(0.2)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None,
                expected: tuple[int, ...] = (200,)) -> tuple[float, bytes]:
        """Send one request; return its seconds and body (a status not in ``expected`` is an error)."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, method=method,
                                         headers=headers)
        began = time.perf_counter()
        try:
            with _OPENER.open(request, timeout=120) as response:
                data, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            data, status = error.read(), error.code
        seconds = time.perf_counter() - began
        if status not in expected:
            raise RuntimeError(f"{method} {path}: {status} {data[:200]!r}")
        return seconds, data

    def worker_rss(self) -> int:
        """Return the resident memory of the worker process, in KB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5, help="warm measurements (the median is reported)")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it (reused if present)")
    parser.add_argument("--skip-check", action="store_true", help="leave out l10n check over the whole tree")
    options = parser.parse_args()

    root, catalogs = open_tree(options.keep, options.articles, "workspace-bench-")
    try:
        environment = {**os.environ, "L10N_CONTENT_DIR": str(root / "content"),
                       "L10N_LOCALES_DIR": str(root / "locales"), "L10N_INSTANCE_DIR": str(root / "instance"),
                       "L10N_LANGUAGES": ",".join(LANGUAGES)}
        added = subprocess.run([L10N, "users", "add", f"bench{time.time_ns()}", "--role", "editor"],
                               env=environment, capture_output=True, text=True, check=True).stdout
        token = next(line.split(" ", 1)[1] for line in added.splitlines() if line.startswith("token: "))
        log = root / "bench-serve.log"
        catalog_path = root / "locales" / LANGUAGE / "LC_MESSAGES" / "articles" / f"{SLUG}.po"

        # Baselines, on the catalog the requests read.
        baseline_msgfmt = _median([_seconds(lambda: subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(catalog_path)], capture_output=True, check=True))
            for _ in range(options.repeat)])
        baseline_polib = _median([_seconds(lambda: polib.pofile(str(catalog_path)))
                                  for _ in range(options.repeat)])

        rows: list[tuple[str, float | None, float]] = []

        def measure(name: str, send: Callable[[Server], float], remembered: bool = True) -> None:
            """Cold on a new server (statistics.json kept or removed), then warm on the same one."""
            if not remembered:
                (root / "instance" / "statistics.json").unlink(missing_ok=True)
            server = Server(environment, token, log)
            try:
                cold = send(server)
                warm = _median([send(server) for _ in range(options.repeat)])
            finally:
                server.stop()
            rows.append((name, cold, warm))
            print(f"  {name}: cold {cold:.3f} s, warm {warm:.3f} s", flush=True)

        def get(path: str) -> Callable[[Server], float]:
            return lambda server: server.request("GET", path)[0]

        # The first server fills statistics.json for the next ones.
        measure("GET /translate/ (nothing remembered)", get("/translate/"), remembered=False)
        measure("GET /api/catalogs (nothing remembered)", get("/api/catalogs"), remembered=False)
        for name, path in [
            ("GET /translate/", "/translate/"),
            ("GET /translate/?language=pl&state=needs-work", f"/translate/?language={LANGUAGE}&state=needs-work"),
            ("GET /translate/?q=<slug>", f"/translate/?q={SLUG}"),
            ("GET /translate/?page=200", "/translate/?page=200"),
            ("GET /api/catalogs", "/api/catalogs"),
            ("GET /api/catalogs?language=pl&state=stale", f"/api/catalogs?language={LANGUAGE}&state=stale"),
        ]:
            measure(name, get(path))
        base_url = f"/translate/{LANGUAGE}/{DOMAIN}"
        for state in ("all", "open", "untranslated", "fuzzy", "translated", "failing"):
            measure(f"entry list ?state={state}", get(f"{base_url}?state={state}"))
        measure("entry list ?q=port", get(f"{base_url}?q=port"))
        api_url = f"/api/catalogs/{LANGUAGE}/{DOMAIN}"
        measure(f"GET {api_url}", get(api_url))
        measure("GET …/po (download)", get(f"{api_url}/po"))

        server = Server(environment, token, log)
        try:
            entries = json.loads(server.request("GET", api_url)[1])["entries"]
        finally:
            server.stop()
        entry = next(item for item in entries if item["state"] == "translated")
        measure("edit page", get(f"{base_url}/entries/{entry['id']}"))

        def api_save(server: Server) -> float:
            current = json.loads(server.request("GET", f"{api_url}/entries/{entry['id']}")[1])["msgstr"]
            new = current[:-len(" (b)")] if current.endswith(" (b)") else current + " (b)"
            body = json.dumps({"msgstr": new, "base": current}).encode()
            return server.request("PUT", f"{api_url}/entries/{entry['id']}", body, "application/json")[0]

        def form_save(server: Server) -> float:
            current = json.loads(server.request("GET", f"{api_url}/entries/{entry['id']}")[1])["msgstr"]
            new = current[:-len(" (b)")] if current.endswith(" (b)") else current + " (b)"
            form = urllib.parse.urlencode({"msgstr": new, "base": json.dumps(current), "action": "save"}).encode()
            return server.request("POST", f"{base_url}/entries/{entry['id']}", form,
                                  "application/x-www-form-urlencoded", expected=(302, 303))[0]

        def upload(server: Server) -> float:
            data = server.request("GET", f"{api_url}/po")[1]
            return server.request("PUT", f"{api_url}/po", data, "text/x-gettext-translation")[0]

        measure("PUT …/entries/<id> (save)", api_save)
        measure("POST edit form (save)", form_save)
        measure("PUT …/po (upload)", upload)

        # Memory: the worker after one list, then after walking list pages and many catalogs.
        server = Server(environment, token, log)
        try:
            server.request("GET", "/translate/")
            first = server.worker_rss()
            for page in range(1, 101):
                server.request("GET", f"/translate/?page={page}")
            paged = server.worker_rss()
            for path in catalogs[:1000]:
                server.request("GET", f"/api/catalogs/{path.parts[-4]}/articles/{path.stem}")
            walked = server.worker_rss()
        finally:
            server.stop()

        check = check_baseline = None
        if not options.skip_check:
            check_baseline = _seconds(lambda: [subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                                                              capture_output=True) for path in catalogs])
            check = _seconds(lambda: subprocess.run([L10N, "check"], env=environment, capture_output=True))

        print()
        print(f"baseline on {DOMAIN} ({LANGUAGE}): msgfmt --statistics {baseline_msgfmt * 1000:.1f} ms, "
              f"polib parse {baseline_polib * 1000:.1f} ms")
        print(f"(a msgfmt --statistics loop over all {len(catalogs)} catalogs, for a whole list: about "
              f"{baseline_msgfmt * len(catalogs):.0f} s, that median times the catalogs)")
        print(f"{'request':<48} {'cold s':>8} {'warm s':>8} {'warm ÷ msgfmt':>14}")
        for name, cold, warm in rows:
            print(f"{name:<48} {cold:>8.3f} {warm:>8.3f} {warm / baseline_msgfmt:>13.1f}×")
        print(f"worker memory: {first // 1024} MB after the first list, {paged // 1024} MB after 100 list pages, "
              f"{walked // 1024} MB after 1,000 catalogs")
        if check is not None and check_baseline is not None:
            print(f"l10n check over {len(catalogs)} catalogs: {check:.1f} s "
                  f"(msgfmt --check loop: {check_baseline:.1f} s)")
        return 0
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


def _seconds(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


if __name__ == "__main__":
    sys.exit(main())
