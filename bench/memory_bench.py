"""Benchmark: translation memory suggestions over a newsroom-sized tree, index against a brute-force scan.

Generates N synthetic articles (default 10,000: 20,000 catalogs, see ``synthetic.py``), builds the
memory from every catalog (``INSTANCE_DIR/memory.sqlite3``, the one-off cost of the first use),
loads it in a new process's indexes, then asks for suggestions for sampled entries — half with
their source unchanged (an exact match exists in the other language's catalog), half with a few
words changed (fuzzy matches only) — and measures in the same run:

- ``TranslationMemory.suggest`` (prefilter by informative word keys, then rapidfuzz on the candidates);
- a brute-force ``rapidfuzz.process.extract`` over every source of the language (the baseline);
- how many of the brute force's best matches the index also found (its recall at ≥ 70);
- the first suggestion after a save (the save teaches the memory; the next request lists the
  changed folder by inode and reads nothing again).

Usage::

    .venv/bin/python bench/memory_bench.py [--articles 10000] [--queries 400] [--keep DIR]
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain.memory import MIN_SCORE, brute_force  # noqa: E402
from service.domain.names import article_domain  # noqa: E402
from service.storage.catalogs import CatalogStore, entry_id_of  # noqa: E402
from service.storage.layout import Layout  # noqa: E402
from service.storage.memory import TranslationMemory, database_path  # noqa: E402
from service.storage.po_files import read_catalog  # noqa: E402
from synthetic import LANGUAGES, WORDS, open_tree  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _queries(catalogs: list[Path], count: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """Sample ``(language, domain, msgctxt, source)``: half as they are, half with three words changed.

    Each is asked for as if from a new article, so the sampled entry itself is its exact match.
    """
    rng = random.Random(seed)
    found = []
    for path in rng.sample(catalogs, min(count, len(catalogs))):
        language, slug = path.parts[-4], path.stem
        entry = rng.choice([entry for entry in read_catalog(path) if entry.msgid])
        source = entry.msgid
        if len(found) % 2:
            words = source.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            source = " ".join(words)
        found.append((language, article_domain(f"new-{slug}"), entry.msgctxt or "", source))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it (reused if present)")
    options = parser.parse_args()

    root, catalogs = open_tree(options.keep, options.articles, "memory-bench-")
    instance = root / "instance"
    try:
        layout = Layout(root / "locales")
        database = database_path(instance)
        for suffix in ("", "-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        began = time.perf_counter()
        TranslationMemory(database, layout, LANGUAGES).refresh()
        built = time.perf_counter() - began
        began = time.perf_counter()
        memory = TranslationMemory(database, layout, LANGUAGES)  # a new worker: loads what the first built
        sizes = memory.size()
        loaded = time.perf_counter() - began
        print(f"built from {len(catalogs)} catalogs in {built:.1f} s; loaded by a new process in {loaded:.1f} s; "
              f"units per language: {sizes}")

        queries = _queries(catalogs, options.queries)
        everything = {language: {unit_id: unit.source for unit_id, unit in memory._indexes[language].units.items()}
                      for language in memory._indexes}
        index_times, brute_times, recalled, expected, found_any = [], [], 0, 0, 0
        for language, domain, context, source in queries:
            began = time.perf_counter()
            suggestions = memory.suggest(language, domain, context, source)
            index_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            best = brute_force(source, everything[language], limit=5, min_score=MIN_SCORE)
            brute_times.append(time.perf_counter() - began)
            found_any += bool(suggestions)
            top = {text for text, _score, _key in best[:3]}
            expected += len(top)
            recalled += len(top & {suggestion.source for suggestion in suggestions})

        def row(name: str, times: list[float]) -> str:
            return (f"| {name} | {len(times)} | {statistics.median(times) * 1000:.2f} | "
                    f"{_percentile(times, 0.99) * 1000:.2f} | {max(times) * 1000:.2f} |")

        print()
        print("| suggestions for one entry | queries | p50 ms | p99 ms | max ms |")
        print("| --- | ---: | ---: | ---: | ---: |")
        print(row("memory index (prefilter + rapidfuzz)", index_times))
        print(row("brute-force rapidfuzz over every source", brute_times))
        ratio = statistics.median(brute_times) / statistics.median(index_times)
        print(f"\nindex vs brute force: {ratio:.0f}× faster at p50, "
              f"{_percentile(brute_times, 0.99) / _percentile(index_times, 0.99):.0f}× at p99; "
              f"recall of the brute force's top 3: {recalled}/{expected}; "
              f"queries with a suggestion: {found_any}/{len(queries)}")

        # After a save: the store tells the memory (learn), the next suggestion finds the catalog
        # folder changed and lists it by inode (no stat, no re-read of what was learned).
        store = CatalogStore(layout, LANGUAGES, instance / "locks", memory=memory)
        after_save = []
        for path in catalogs[:: max(1, len(catalogs) // 20)][:20]:
            language, domain = path.parts[-4], article_domain(path.stem)
            entry = next(entry for entry in read_catalog(path) if entry.msgid and entry.msgstr and not entry.fuzzy)
            store.save_entry(language, domain, entry_id_of(entry.msgctxt, entry.msgid), entry.msgstr + " (2)",
                             entry.msgstr, "bench")
            began = time.perf_counter()
            found = memory.suggest(language, article_domain("new-story"), entry.msgctxt, entry.msgid)
            after_save.append(time.perf_counter() - began)
            assert found and found[0].translation == entry.msgstr + " (2)", found
        print(f"\nthe first suggestion after a save (20 saves): p50 {statistics.median(after_save) * 1000:.1f} ms, "
              f"max {max(after_save) * 1000:.1f} ms")
        target = _percentile(index_times, 0.99) * 1000
        print(f"target p99 ≤ 50 ms: {'met' if target <= 50 else 'MISSED'} ({target:.1f} ms)")
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
