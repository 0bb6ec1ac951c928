"""Load: 50 readers and 5 translators for 60 s against ``l10n serve`` (gunicorn, 4 sync workers).

Readers fetch the front pages, articles in both languages, feeds and the sitemap, with and
without ``Accept-Language`` and the ``lang`` cookie. Translators save over the API with
``base``, some on entries of their own and some on entries they share, so refusals (409)
happen; a refused translator reads the entry again and retries. Afterwards: no 5xx and no
connection error, every acknowledged save in its catalog file (the last of its entry's chain
of saves) and in the history, no temporary file left. Latencies (p50/p99 per kind) are
printed and written to ``load.json`` in the test's folder; they are reported, never asserted.

``LOAD_TEST_SECONDS`` shortens the run for a local look; CI runs the full 60 s.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
import pytest

from service.domain.editing import entry_id_of
from service.storage.accounts import database_path
from service.storage.history import History

from ..conftest import tree_environment
from .conftest import _free_port

DURATION = float(os.environ.get("LOAD_TEST_SECONDS", "60"))
READERS = 50
WORKERS = 4
#: Each translator's language; the translators of one language share some entries.
TRANSLATORS = {"ada": "en", "bo": "en", "cy": "en", "dan": "uk", "eva": "uk"}
#: Entries of each language every translator of it edits, besides entries of their own.
SHARED_PER_LANGUAGE = 2
OWN_PER_TRANSLATOR = 3
#: Answers a reader may get (2xx, the language redirects, a variant not published in that language).
READER_STATUSES = {200, 301, 302, 404}
TIMEOUT = 60  # seconds a single request may take on a shared, loaded machine
#: The tag a save appends to the entry's original translation (see :func:`_marker`).
MARKER = re.compile(rf" \((?:{'|'.join(TRANSLATORS)}) [a-z]+\)$")


@dataclass(frozen=True)
class Save:
    """One save the server acknowledged with 200."""

    user: str
    language: str
    domain: str
    entry_id: str
    base: str
    value: str


@dataclass
class Tally:
    """What the clients saw, gathered from every thread under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)

    def answer(self, kind: str, label: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[(kind, status)] += 1
            if status >= 500:
                self.failures.append(f"{status} from {label}")

    def fail(self, message: str) -> None:
        with self.lock:
            self.failures.append(message)


class Client:
    """One thread's HTTP client: one connection, reopened when the server closes it (sync workers do)."""

    def __init__(self, port: int, tally: Tally, headers: dict[str, str] | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.tally = tally
        self.headers = headers or {}

    def call(self, kind: str, method: str, path: str, headers: dict[str, str] | None = None,
             body: Any = None) -> tuple[int, bytes] | None:
        """Send one request and tally it; ``None`` (tallied as a failure) when the connection failed."""
        data = json.dumps(body).encode() if body is not None else None
        sent = {**self.headers, **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/json"
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=sent)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.tally.fail(f"{method} {path}: {error!r}")
            return None
        self.tally.answer(kind, f"{method} {path}", response.status, time.perf_counter() - began)
        return response.status, payload


def reader_requests(slugs: list[str]) -> list[tuple[str, dict[str, str]]]:
    """Return what readers ask for: (path, headers), each page with and without a language preference."""
    paths = ["/", "/uk/", "/en/", "/uk/feed.xml", "/en/feed.xml", "/sitemap.xml", "/robots.txt"]
    for slug in slugs:
        paths += [f"/uk/articles/{slug}", f"/en/articles/{slug}", f"/articles/{slug}"]
    preferences: list[dict[str, str]] = [{}, {"Accept-Language": "en-GB,en;q=0.8"},
                                         {"Accept-Language": "uk,en;q=0.5"}, {"Cookie": "lang=en"},
                                         {"Cookie": "lang=uk"}]
    return [(path, headers) for path in paths for headers in preferences]


def reader(port: int, tally: Tally, requests: list[tuple[str, dict[str, str]]], stop: threading.Event,
           seed: int) -> None:
    """Fetch reader pages in a random order until ``stop``."""
    rng = random.Random(seed)
    client = Client(port, tally)
    while not stop.is_set():
        path, headers = rng.choice(requests)
        answer = client.call("reader", "GET", path, headers)
        if answer is not None and answer[0] not in READER_STATUSES:
            tally.fail(f"GET {path} {headers}: {answer[0]}")


def _marker(user: str, number: int) -> str:
    """A tag unique to one save, in letters only (digits would upset the numbers check)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return f"({user} {letters})"


def translator(port: int, tally: Tally, user: str, token: str, entries: list[tuple[str, str, str]],
               stop: threading.Event, seed: int) -> None:
    """Save ``entries`` (language, domain, entry id) in turn until ``stop``; on 409 read again and retry."""
    rng = random.Random(seed)
    client = Client(port, tally, {"Authorization": f"Bearer {token}"})
    number = 0
    while not stop.is_set():
        language, domain, entry_id = rng.choice(entries)
        path = f"/api/catalogs/{language}/{domain}/entries/{entry_id}"
        answer = client.call("read entry", "GET", path)
        while answer is not None and not stop.is_set():
            if answer[0] != 200:
                tally.fail(f"GET {path} as {user}: {answer[0]} {answer[1][:200]!r}")
                return
            base = json.loads(answer[1])["msgstr"]
            original = MARKER.sub("", base)
            number += 1
            value = f"{original} {_marker(user, number)}"
            saved = client.call("save", "PUT", path, body={"msgstr": value, "base": base})
            if saved is None:
                return
            if saved[0] == 200:
                with tally.lock:
                    tally.saves.append(Save(user, language, domain, entry_id, base, value))
                break
            if saved[0] != 409:
                tally.fail(f"PUT {path} as {user}: {saved[0]} {saved[1][:300]!r}")
                return
            answer = client.call("read entry", "GET", path)  # refused: someone saved first; read again, retry


def start_serve(tree: Path, port: int, log: Path) -> subprocess.Popen:
    """Start ``l10n serve`` over ``tree`` and return it once it answers."""
    l10n = Path(sys.executable).with_name("l10n")
    environment = {**os.environ, **tree_environment(tree), "L10N_SECRET_KEY": "load-secret"}
    with open(log, "ab") as output:
        process = subprocess.Popen([str(l10n), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
                                   env=environment, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("l10n serve did not start: " + log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)


def add_translators(tree: Path) -> dict[str, str]:
    """Add the translators with ``l10n users add``; return their API tokens by name."""
    l10n = Path(sys.executable).with_name("l10n")
    environment = {**os.environ, **tree_environment(tree)}
    tokens = {}
    for user, language in TRANSLATORS.items():
        output = subprocess.run([str(l10n), "users", "add", user, "--role", "translator", "--language", language],
                                env=environment, capture_output=True, text=True, check=True).stdout
        tokens[user] = next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("token: "))
    return tokens


def editable_entries(port: int, token: str, language: str) -> list[tuple[str, str, str]]:
    """Return (language, domain, entry id) of every translated, checked-clean, singular entry in ``language``."""
    client = Client(port, Tally(), {"Authorization": f"Bearer {token}"})
    answer = client.call("setup", "GET", f"/api/catalogs?language={language}")
    assert answer is not None and answer[0] == 200, answer
    found = []
    for row in json.loads(answer[1])["catalogs"]:
        if not row["domain"].startswith("articles/"):
            continue
        listed = client.call("setup", "GET", f"/api/catalogs/{language}/{row['domain']}")
        assert listed is not None and listed[0] == 200, listed
        found += [(language, row["domain"], entry["id"]) for entry in json.loads(listed[1])["entries"]
                  if entry["state"] == "translated" and not entry["msgid_plural"]
                  and not any(check["level"] == "error" for check in entry["checks"])]
    return found


def percentiles(latencies: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Return count, p50 and p99 (milliseconds) per kind of request."""
    report = {}
    for kind, values in sorted(latencies.items()):
        cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
        report[kind] = {"count": len(values), "p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1)}
    return report


def assert_saves_kept(tree: Path, saves: list[Save]) -> None:
    """Each entry's acknowledged saves form one chain from its first base; the file holds the chain's end."""
    chains: dict[tuple[str, str, str], dict[str, Save]] = defaultdict(dict)
    for save in saves:
        assert save.base not in chains[save.language, save.domain, save.entry_id], f"two saves from one base: {save}"
        chains[save.language, save.domain, save.entry_id][save.base] = save
    files: dict[tuple[str, str], polib.POFile] = {}
    for (language, domain, entry_id), by_base in chains.items():
        if (language, domain) not in files:
            path = tree / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
            files[language, domain] = polib.pofile(str(path), wrapwidth=0)
        bases, values = set(by_base), {save.value for save in by_base.values()}
        first = bases - values
        assert len(first) == 1, f"{language}/{domain} {entry_id}: acknowledged saves do not form one chain"
        value, followed = first.pop(), 0
        while value in by_base:
            value, followed = by_base[value].value, followed + 1
        assert followed == len(by_base), f"{language}/{domain} {entry_id}: a save was overwritten without its base"
        stored = [entry.msgstr for entry in files[language, domain] if entry_id_of(entry.msgctxt, entry.msgid) == entry_id]
        assert stored == [value], f"{language}/{domain} {entry_id}: the file holds {stored}, the last save was {value!r}"


def assert_history_kept(tree: Path, saves: list[Save]) -> None:
    """Each acknowledged save has its history row: same user, entry, old and new; and no row without a save."""
    history = History(database_path(tree / "instance"))
    recorded = Counter()
    for language, domain in {(save.language, save.domain) for save in saves}:
        for row in history.rows(language, domain, limit=1_000_000):
            if row.action == "save":
                recorded[(row.user, row.language, row.domain, row.entry_id, row.old, row.new)] += 1
    acknowledged = Counter((save.user, save.language, save.domain, save.entry_id, save.base, save.value)
                           for save in saves)
    assert acknowledged - recorded == Counter(), "acknowledged saves missing from the history"
    assert recorded - acknowledged == Counter(), "history rows of saves nobody saw acknowledged"


@pytest.mark.e2e
@pytest.mark.slow
def test_50_readers_and_5_translators_for_a_minute(tree: Path, tmp_path: Path):
    tokens = add_translators(tree)
    port = _free_port()
    log = tree / "serve.log"
    server = start_serve(tree, port, log)
    tally = Tally()
    try:
        slugs = sorted(path.stem for path in (tree / "content").glob("*.md"))
        plan: dict[str, list[tuple[str, str, str]]] = {}
        for language in sorted(set(TRANSLATORS.values())):
            users = [user for user, spoken in TRANSLATORS.items() if spoken == language]
            entries = editable_entries(port, tokens[users[0]], language)
            assert len(entries) >= SHARED_PER_LANGUAGE + OWN_PER_TRANSLATOR * len(users), (language, len(entries))
            shared = entries[:SHARED_PER_LANGUAGE]
            for number, user in enumerate(users):
                start = SHARED_PER_LANGUAGE + number * OWN_PER_TRANSLATOR
                plan[user] = shared + entries[start:start + OWN_PER_TRANSLATOR]

        stop = threading.Event()
        requests = reader_requests(slugs)
        threads = [threading.Thread(target=reader, args=(port, tally, requests, stop, number))
                   for number in range(READERS)]
        threads += [threading.Thread(target=translator, args=(port, tally, user, tokens[user], plan[user], stop, index))
                    for index, user in enumerate(TRANSLATORS)]
        for thread in threads:
            thread.start()
        time.sleep(DURATION)
        stop.set()
        for thread in threads:
            thread.join(TIMEOUT + 5)
        assert not any(thread.is_alive() for thread in threads), "a client did not finish"
    finally:
        server.terminate()
        server.wait(timeout=30)

    report = {"seconds": DURATION, "readers": READERS, "translators": len(TRANSLATORS), "workers": WORKERS,
              "latency": percentiles(tally.latencies),
              "statuses": {f"{kind} {status}": count for (kind, status), count in sorted(tally.statuses.items())}}
    (tmp_path / "load.json").write_text(json.dumps(report, indent=2))
    print(f"\nload report ({tmp_path / 'load.json'}):\n{json.dumps(report, indent=2)}")

    assert tally.failures == [], tally.failures[:20]
    assert tally.statuses[("save", 200)] > 0 and tally.statuses[("reader", 200)] > 0
    assert_saves_kept(tree, tally.saves)
    assert_history_kept(tree, tally.saves)
    assert [path for path in (tree / "locales").rglob("*") if path.name.endswith(".tmp")] == []
    for path in {(save.language, save.domain) for save in tally.saves}:
        catalog = tree / "locales" / path[0] / "LC_MESSAGES" / f"{path[1]}.po"
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], check=True)
    served = log.read_text(errors="replace")
    assert "Traceback" not in served and "WORKER TIMEOUT" not in served, served[-3000:]
