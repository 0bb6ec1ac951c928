"""Benchmark: a save on a 300-entry catalog through ``l10n serve``, and how soon every worker shows it.

One synthetic Ukrainian article of 300 segments (title, summary, 298 paragraphs) goes through
the real pipeline (``extract``, ``update``), an English translator is added with ``l10n users
add``, and ``l10n serve`` runs with N sync workers (default 4) on 127.0.0.1. Then, one client,
one request at a time:

- **first saves**: every entry translated over the API (``PUT …/entries/<id>`` with ``base``
  ""), the catalog growing from empty to complete (300 saves);
- **edits**: ``--saves`` more saves of translated entries, round-robin;
- **visibility**: after every ``saves ÷ visibility``-th edit, rounds of 4 × N parallel
  ``GET /en/articles/<slug>`` (``Connection: close``, so gunicorn's workers share them) until
  one whole round shows the new text: the delay from the save's answer to that round's end.
  gunicorn's access log names the worker (``%(p)s``) of each poll, so the report says how
  many workers the rounds reached.

Baselines measured in the same run on the final catalog: ``msgfmt -c -o`` (a subprocess, as a
build would run it) and polib loading and saving it. Targets (issue 10): save p99 ≤ 50 ms,
visible in every worker ≤ 1 s. Needs ``pip install -e '.[bench]'`` and GNU gettext::

    .venv/bin/python bench/save_bench.py [--workers 4] [--saves 400] [--visibility 40] [--keep DIR]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import WORDS

SLUG = "council-long-read"
DOMAIN = f"articles/{SLUG}"
PARAGRAPHS = 298  # + title + summary = 300 entries
TRANSLATOR = "bench"
#: gunicorn's access log line: the worker's pid, the poll round (a request header), method, microseconds.
ACCESS_FORMAT = "%(p)s %({x-bench-round}i)s %(m)s %(D)s"


def _letters(number: int) -> str:
    """``number`` spelled in letters (a digit would be a number the checks compare with the source's)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return letters


def write_tree(root: Path, seed: int = 7) -> None:
    """Write a tree with one Ukrainian article of 300 segments and its (empty) English catalog."""
    from service import pipeline
    from service.bootstrap import build_services
    from service.config import load_settings
    from service.storage.layout import Layout

    rng = random.Random(seed)
    (root / "content").mkdir(parents=True)
    (root / "instance").mkdir()
    (root / "locales" / "uk" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "messages.pot", root / "locales" / "messages.pot")
    shutil.copy(ROOT / "locales" / "uk" / "LC_MESSAGES" / "messages.po", root / "locales" / "uk" / "LC_MESSAGES")

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS).strip("*") for _ in range(words)) + f" {rng.randint(2, 900)}."

    paragraphs = [f"Абзац {number}: " + sentence(rng.randint(25, 60)) for number in range(PARAGRAPHS)]
    (root / "content" / f"{SLUG}.md").write_text("\n".join([
        "+++", f'title = "{sentence(6)}"', 'category = "society"', "published = 2026-11-20T10:00:00+02:00",
        'source_language = "uk"', f'summary = "{sentence(12)}"', "+++", "", *[text + "\n" for text in paragraphs],
    ]), encoding="utf-8")
    layout = Layout(root / "locales")
    errors = pipeline.extract(root / "content", layout, ["uk", "en"]).errors
    settings = load_settings(settings_of(root))
    errors += pipeline.update(build_services(settings).catalogs).errors
    if errors:
        raise RuntimeError(f"the synthetic article did not go through the pipeline: {errors}")


def settings_of(root: Path) -> dict[str, str]:
    return {"CONTENT_DIR": str(root / "content"), "LOCALES_DIR": str(root / "locales"),
            "INSTANCE_DIR": str(root / "instance")}


def environment_of(root: Path) -> dict[str, str]:
    return {**os.environ, **{f"L10N_{name}": value for name, value in settings_of(root).items()},
            "L10N_SECRET_KEY": "bench-secret"}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(root: Path, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """Start ``l10n serve`` with ``workers`` sync workers (its access log naming each request's worker)."""
    l10n = Path(sys.executable).with_name("l10n")
    port = _free_port()
    with open(log, "ab") as output:
        server = subprocess.Popen(
            [str(l10n), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--",
             "--access-logformat", ACCESS_FORMAT],
            env=environment_of(root), stdout=output, stderr=output)
    deadline = time.monotonic() + 120
    while True:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server, port
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError(f"l10n serve did not start: see {log}")
        time.sleep(0.3)


def request(port: int, method: str, path: str, headers: dict[str, str] | None = None,
            body: object = None) -> tuple[int, bytes]:
    """One request on a new connection (sync workers close each one anyway)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={
            "Connection": "close", **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def token_of(root: Path) -> str:
    """Add the English translator with ``l10n users add``; return the API token it prints."""
    output = subprocess.run(
        [str(Path(sys.executable).with_name("l10n")), "users", "add", TRANSLATOR, "--role", "translator",
         "--language", "en"], env=environment_of(root), capture_output=True, text=True, check=True).stdout
    return next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("token: "))


def save(port: int, token: str, entry_id: str, value: str, base: str) -> float:
    """PUT one entry; return the seconds until the answer (anything but 200 stops the benchmark)."""
    began = time.perf_counter()
    status, body = request(port, "PUT", f"/api/catalogs/en/{DOMAIN}/entries/{entry_id}",
                           {"Authorization": f"Bearer {token}"}, {"msgstr": value, "base": base})
    elapsed = time.perf_counter() - began
    if status != 200:
        raise RuntimeError(f"save of {entry_id} answered {status}: {body[:300]!r}")
    return elapsed


def visible_after(port: int, text: str, connections: int, round_ids: list[str], timeout: float = 10.0) -> float:
    """Poll the article in rounds of ``connections`` parallel requests until a whole round shows ``text``.

    Return the seconds from the call to the end of that round; each round's id goes to ``round_ids``.
    """
    began = time.perf_counter()
    marker = text.encode()
    with ThreadPoolExecutor(connections) as pool:
        while time.perf_counter() - began < timeout:
            round_id = f"r{len(round_ids)}"
            round_ids.append(round_id)
            answers = list(pool.map(request, [port] * connections, ["GET"] * connections,
                                    [f"/en/articles/{SLUG}"] * connections, [{"X-Bench-Round": round_id}] * connections))
            if any(status != 200 for status, _body in answers):
                raise RuntimeError(f"the article answered {[status for status, _body in answers]}")
            if all(marker in body for _status, body in answers):
                return time.perf_counter() - began
    raise RuntimeError(f"{text!r} not shown by every worker within {timeout} s")


def read_access_log(log: Path, round_ids: list[str], workers: int) -> tuple[int, int, list[float]]:
    """Return the rounds whose polls reached all ``workers`` workers, the rounds, and each save's time in the server."""
    pids: dict[str, set[str]] = {}
    wanted = set(round_ids)
    saves = []
    for line in log.read_text(errors="replace").splitlines():
        fields = line.split()
        if len(fields) != 4 or not fields[3].isdigit():
            continue
        if fields[1] in wanted:
            pids.setdefault(fields[1], set()).add(fields[0])
        elif fields[2] == "PUT":
            saves.append(int(fields[3]) / 1e6)
    return sum(1 for found in pids.values() if len(found) == workers), len(pids), saves


def baselines(catalog: Path, runs: int) -> dict[str, list[float]]:
    """Time ``msgfmt -c -o`` and a polib load + save of ``catalog``, ``runs`` times each."""
    import polib

    timings: dict[str, list[float]] = {"msgfmt -c -o (subprocess)": [], "polib load + save": []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run(["msgfmt", "-c", "-o", f"{folder}/out.mo", str(catalog)], check=True)
            timings["msgfmt -c -o (subprocess)"].append(time.perf_counter() - began)
            began = time.perf_counter()
            polib.pofile(str(catalog), wrapwidth=0).save(f"{folder}/out.po")
            timings["polib load + save"].append(time.perf_counter() - began)
    return timings


def summary(values: list[float]) -> tuple[int, float, float, float]:
    """Return count, p50, p99 and max in milliseconds."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return len(values), cuts[49] * 1000, cuts[98] * 1000, max(values) * 1000


def run(root: Path, workers: int, saves: int, visibility: int) -> dict[str, list[float]]:
    """Run the whole benchmark over the tree at ``root``; return the timings by row label."""
    import polib

    log = root / "serve.log"
    token = token_of(root)
    server, port = serve(root, workers, log)
    catalog_path = root / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{SLUG}.po"
    entries = [entry for entry in polib.pofile(str(catalog_path)) if entry.msgid]
    if len(entries) != PARAGRAPHS + 2:
        raise RuntimeError(f"{len(entries)} entries, not {PARAGRAPHS + 2}")
    from service.domain.editing import entry_id_of

    ids = [entry_id_of(entry.msgctxt, entry.msgid) for entry in entries]
    current = {entry_id: "" for entry_id in ids}
    timings: dict[str, list[float]] = {"first saves (300, empty → complete)": [], "edits": [],
                                       "visible in every worker": []}
    round_ids: list[str] = []
    try:
        for entry_id, entry in zip(ids, entries):
            value = f"[en] {entry.msgid}"
            timings["first saves (300, empty → complete)"].append(save(port, token, entry_id, value, ""))
            current[entry_id] = value
        every = max(1, saves // visibility) if visibility else 0
        for number in range(saves):
            entry_id = ids[2 + (number * 37) % PARAGRAPHS]  # paragraphs, spread over the article
            original = current[entry_id].split(" (edit ")[0]
            value = f"{original} (edit {_letters(number)})"
            timings["edits"].append(save(port, token, entry_id, value, current[entry_id]))
            current[entry_id] = value
            if every and number % every == every - 1:
                timings["visible in every worker"].append(
                    visible_after(port, f"(edit {_letters(number)})", 4 * workers, round_ids))
            if number % 100 == 99:
                print(f"  {number + 1}/{saves} edits", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    complete, rounds, in_server = read_access_log(log, round_ids, workers)
    timings["every save, time in the server (access log)"] = in_server
    print(f"visibility polls: {rounds} rounds of {4 * workers} requests; {complete} reached all {workers} "
          "workers (gunicorn's access log names each request's worker)")
    timings.update(baselines(catalog_path, 30))
    return timings


def table(timings: dict[str, list[float]]) -> str:
    """Return the Markdown table: count, p50, p99 and max per row."""
    lines = ["| what | n | p50 ms | p99 ms | max ms |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, values in timings.items():
        if values:
            count, p50, p99, peak = summary(values)
            lines.append(f"| {label} | {count} | {p50:.1f} | {p99:.1f} | {peak:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--saves", type=int, default=400, help="edits measured after the first 300 saves")
    parser.add_argument("--visibility", type=int, default=40, help="edits followed by visibility polls")
    parser.add_argument("--keep", type=Path, default=None, help="build the tree here and keep it (else a temp dir)")
    arguments = parser.parse_args()
    root = arguments.keep or Path(tempfile.mkdtemp(prefix="save-bench-"))
    try:
        write_tree(root)
        timings = run(root, arguments.workers, arguments.saves, arguments.visibility)
    finally:
        if arguments.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nl10n serve, {arguments.workers} sync workers; one client, one save at a time; a 300-entry catalog; "
          f"{os.cpu_count()} CPUs (shared: noisy)\n")
    print(table(timings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
