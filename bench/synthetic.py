"""Synthetic newsroom trees for the benchmarks: sources, templates and catalogs of N generated articles.

Shared by the benchmarks in this folder. Sources alternate between Ukrainian
and English; every other language gets a catalog per article: about 70 % complete, 15 % stale
(completed once, one paragraph fuzzy since) and 15 % incomplete (every third segment empty).
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ["uk", "en", "pl"]
SOURCES = ["uk", "en"]
PLURALS = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
WORDS = ("рада місто порт зерно трамвай бібліотека енергія лінія ринок уряд громада проєкт *мости* "
         "council city port grain tram library energy line market government community project").split()
EMPTY_MO = (b"\xde\x12\x04\x95" + (0).to_bytes(4, "little") * 2 + (28).to_bytes(4, "little") * 2
            + (0).to_bytes(4, "little") * 2)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"{text} {rng.randint(2, 900)} {rng.choice(WORDS)} {rng.randint(1, 99)},{rng.randint(1, 9)}."


def _header(extra: dict[str, str]) -> str:
    fields = {"Project-Id-Version": "bench", "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit", **extra}
    return 'msgid ""\nmsgstr ""\n' + "".join(f'"{key}: {value}\\n"\n' for key, value in fields.items()) + "\n"


def generate(root: Path, articles: int, seed: int = 5, languages: list[str] = LANGUAGES,
             empty_mo: bool = True) -> list[Path]:
    """Write sources, templates and catalogs for ``articles`` synthetic articles; return the catalogs.

    With ``empty_mo`` every catalog gets an empty ``.mo`` (newer than the ``.po``, so the app does
    not compile it); without, the caller compiles them.
    """
    rng = random.Random(seed)
    content, locales = root / "content", root / "locales"
    (locales / "articles").mkdir(parents=True)
    content.mkdir()
    for language in languages:
        (locales / language / "LC_MESSAGES" / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "messages.pot", locales / "messages.pot")
    shutil.copy(ROOT / "locales" / "uk" / "LC_MESSAGES" / "messages.po", locales / "uk" / "LC_MESSAGES" / "messages.po")
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    catalogs = []
    for number in range(articles):
        slug = f"article-{number:05d}"
        source = SOURCES[number % 2]
        published = start + timedelta(hours=number * 2)
        segments = [("title", _sentence(rng, 6))] + [("point", _sentence(rng, 10)) for _ in range(3)]
        segments += [("paragraph", _sentence(rng, rng.randint(25, 60))) for _ in range(10)]
        (content / f"{slug}.md").write_text(
            f'+++\ntitle = "{segments[0][1]}"\ncategory = "{rng.choice(["politics", "economy", "society"])}"\n'
            f'published = {published.isoformat()}\nsource_language = "{source}"\n+++\n\n'
            + "\n\n".join(text for role, text in segments if role == "paragraph") + "\n",
            encoding="utf-8",
        )
        template = _header({"X-Source-Language": source}) + "".join(
            f'#. {role}\nmsgctxt "{role}"\nmsgid "{_escape(text)}"\nmsgstr ""\n\n' for role, text in segments)
        (locales / "articles" / f"{slug}.pot").write_text(template, encoding="utf-8")
        for language in languages:
            if language == source:
                continue
            kind = rng.random()
            completed = published + timedelta(hours=6)
            extra = {"X-Source-Language": source, "Language": language, "Plural-Forms": PLURALS[language]}
            if kind < 0.85:
                extra["X-Completed"] = completed.isoformat(timespec="minutes")
            if 0.70 <= kind < 0.85:
                extra["X-Stale-Since"] = (completed + timedelta(days=3)).isoformat(timespec="minutes")
            body = []
            for index, (role, text) in enumerate(segments):
                translation = f"[{language}] {text}"
                if kind >= 0.85 and index % 3 == 0:
                    translation = ""
                if 0.70 <= kind < 0.85 and index == 5:
                    previous = text.replace(".", " 7.") if index % 2 else text.replace(",", ".")
                    body.append(f'#. {role}\n#, fuzzy\n#| msgctxt "{role}"\n#| msgid "{_escape(previous)}"\n'
                                f'msgctxt "{role}"\nmsgid "{_escape(text)}"\nmsgstr "{_escape(translation)}"\n\n')
                    continue
                body.append(f'#. {role}\nmsgctxt "{role}"\nmsgid "{_escape(text)}"\nmsgstr "{_escape(translation)}"\n\n')
            path = locales / language / "LC_MESSAGES" / "articles" / f"{slug}.po"
            path.write_text(_header(extra) + "".join(body), encoding="utf-8")
            if empty_mo:
                # Compiled catalogs are not what coverage measures: an empty .mo keeps the
                # app factory from compiling 20,000 catalogs at start.
                path.with_suffix(".mo").write_bytes(EMPTY_MO)
            catalogs.append(path)
    return catalogs


def open_tree(keep: Path | None, articles: int, prefix: str) -> tuple[Path, list[Path]]:
    """Return a synthetic tree and its article catalogs: ``keep`` reused if it holds one, else generated.

    Without ``keep`` the tree goes to a new temporary folder, which the caller removes.
    """
    root = keep or Path(tempfile.mkdtemp(prefix=prefix))
    if keep and (root / "content").exists():
        catalogs = sorted((root / "locales").glob("*/LC_MESSAGES/articles/*.po"))
        print(f"reusing {len(catalogs)} catalogs in {root}")
        return root, catalogs
    began = time.perf_counter()
    catalogs = generate(root, articles)
    print(f"generated {articles} articles, {len(catalogs)} catalogs in {time.perf_counter() - began:.1f} s ({root})")
    return root, catalogs
