"""Synthetic newsroom trees for the benchmarks: sources, templates and catalogs of N generated articles.

Shared by the benchmarks in this folder. Sources alternate between Ukrainian
and English; every other language gets a catalog per article: about 70 % complete, 15 % stale
(completed once, one paragraph fuzzy since) and 15 % incomplete (every third segment empty).

Two kinds of text: ``mixed`` (the default) strings random Cyrillic and Latin words into every
segment and writes ``[lang] source`` as each translation — the worst case for the language
check; ``real`` recombines the repository's own sample articles (each (source, translation)
pair of ``locales/<lang>/LC_MESSAGES/articles/*.po``, sources from ``content/*.md``) shuffled
and joined, with digits permuted alike in source and translation, so that each translation is
in its catalog's language and nearly every text is distinct.
"""
from __future__ import annotations

import random
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ["uk", "en", "pl"]
#: The languages of each kind of text: the sample articles have no Polish.
TEXT_LANGUAGES = {"mixed": LANGUAGES, "real": ["uk", "en"]}
SOURCES = ["uk", "en"]
PLURALS = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
WORDS = ["рада", "місто", "порт", "зерно", "трамвай", "бібліотека", "енергія", "лінія", "ринок", "уряд", "громада", "проєкт", "*мости*",
         "council", "city", "port", "grain", "tram", "library", "energy", "line", "market", "government", "community", "project"]
EMPTY_MO = (b"\xde\x12\x04\x95" + (0).to_bytes(4, "little") * 2 + (28).to_bytes(4, "little") * 2
            + (0).to_bytes(4, "little") * 2)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"{text} {rng.randint(2, 900)} {rng.choice(WORDS)} {rng.randint(1, 99)},{rng.randint(1, 9)}."


#: The sample catalogs' short segments (anything but a paragraph) and paragraphs.
SHORT, LONG = "short", "long"
DIGITS = re.compile(r"\d+")
Pair = tuple[str, str]


def sample_pairs() -> dict[tuple[str, str], list[Pair]]:
    """The repository's translated sample segments as (source, translation), by (source language, length)."""
    pairs: dict[tuple[str, str], list[Pair]] = {}
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/articles/*.po")):
        catalog = polib.pofile(str(path))
        source = catalog.metadata["X-Source-Language"]
        for entry in catalog.translated_entries():
            length = LONG if entry.msgctxt == "paragraph" else SHORT
            pairs.setdefault((source, length), []).append((entry.msgid, entry.msgstr))
    return pairs


def _as_sentence(text: str) -> str:
    """``text`` as a sentence of a longer segment: capitalised, ending in a full stop."""
    text = text.rstrip(";,:")
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?", "…")) else ".")


def _renumbered(rng: random.Random, pairs: list[Pair]) -> Pair:
    """``pairs`` joined into one (source, translation), digits 1–9 permuted alike in both.

    A permutation (0 kept) changes every number, yet keeps what the numbers check compares:
    ``1,200`` and ``1,2 тис.`` still agree, and so do ``6,8`` and ``6.8``.
    """
    digits = str.maketrans("123456789", "".join(rng.sample("123456789", 9)))
    if len(pairs) == 1:
        return pairs[0][0].translate(digits), pairs[0][1].translate(digits)
    return (" ".join(_as_sentence(source) for source, _ in pairs).translate(digits),
            " ".join(_as_sentence(translation) for _, translation in pairs).translate(digits))


def _variable_digits(pairs: list[Pair]) -> int:
    return len(set("".join(source for source, _ in pairs)) & set("123456789"))


def _draw(rng: random.Random, pool: list[Pair], count: int) -> list[Pair]:
    """``count`` different pairs of ``pool``, and more until they hold 4 different digits (so permuting varies them)."""
    drawn = rng.sample(pool, count)
    while _variable_digits(drawn) < 4:
        drawn.append(rng.choice([pair for pair in pool if DIGITS.search(pair[0]) and pair not in drawn]))
    return drawn


def _real_segments(rng: random.Random, pairs: dict[tuple[str, str], list[Pair]],
                   source: str) -> list[tuple[str, str, str]]:
    """An article's (role, source, translation): sample segments shuffled and recombined, renumbered.

    Every segment holds at least 4 different digits (so 3,024 or more variants); a repeated source within the article is drawn again.
    """
    roles = [("title", pairs[source, SHORT], 1)] + [("point", pairs[source, SHORT], 1)] * 3
    roles += [("paragraph", pairs[source, LONG], rng.randint(1, 2)) for _ in range(10)]
    segments: list[tuple[str, str, str]] = []
    for role, pool, count in roles:
        segment = (role, *_renumbered(rng, _draw(rng, pool, count)))
        while any(segment[:2] == seen[:2] for seen in segments):
            segment = (role, *_renumbered(rng, _draw(rng, pool, count)))
        segments.append(segment)
    return segments


def _header(extra: dict[str, str]) -> str:
    fields = {"Project-Id-Version": "bench", "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit", **extra}
    return 'msgid ""\nmsgstr ""\n' + "".join(f'"{key}: {value}\\n"\n' for key, value in fields.items()) + "\n"


def generate(root: Path, articles: int, seed: int = 5, languages: list[str] | None = None,
             empty_mo: bool = True, text: str = "mixed") -> list[Path]:
    """Write sources, templates and catalogs for ``articles`` synthetic articles; return the catalogs.

    With ``empty_mo`` every catalog gets an empty ``.mo`` (newer than the ``.po``, so the app does
    not compile it); without, the caller compiles them. ``text`` is ``mixed`` or ``real`` (see
    the module's docstring); ``languages`` defaults to that kind of text's.
    """
    languages = languages or TEXT_LANGUAGES[text]
    pairs = sample_pairs() if text == "real" else {}  # empty: mixed text
    rng = random.Random(seed)
    content, locales = root / "content", root / "locales"
    (locales / "articles").mkdir(parents=True)
    content.mkdir()
    for language in languages:
        (locales / language / "LC_MESSAGES" / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "messages.pot", locales / "messages.pot")
    shutil.copy(ROOT / "locales" / "uk" / "LC_MESSAGES" / "messages.po", locales / "uk" / "LC_MESSAGES" / "messages.po")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    catalogs = []
    for number in range(articles):
        slug = f"article-{number:05d}"
        source = SOURCES[number % 2]
        published = start + timedelta(hours=number * 2)
        if pairs:
            real = _real_segments(rng, pairs, source)
            segments = [(role, text) for role, text, _ in real]
            translated = [translation for _, _, translation in real]
        else:
            segments = [("title", _sentence(rng, 6))] + [("point", _sentence(rng, 10)) for _ in range(3)]
            segments += [("paragraph", _sentence(rng, rng.randint(25, 60))) for _ in range(10)]
            translated = []
        (content / f"{slug}.md").write_text(
            f'+++\ntitle = "{_escape(segments[0][1])}"\ncategory = "{rng.choice(["politics", "economy", "society"])}"\n'
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
            for index, (role, source_text) in enumerate(segments):
                translation = translated[index] if translated else f"[{language}] {source_text}"
                if kind >= 0.85 and index % 3 == 0:
                    translation = ""
                if 0.70 <= kind < 0.85 and index == 5:
                    previous = source_text.replace(".", " 7.") if index % 2 else source_text.replace(",", ".")
                    body.append(f'#. {role}\n#, fuzzy\n#| msgctxt "{role}"\n#| msgid "{_escape(previous)}"\n'
                                f'msgctxt "{role}"\nmsgid "{_escape(source_text)}"\nmsgstr "{_escape(translation)}"\n\n')
                    continue
                body.append(f'#. {role}\nmsgctxt "{role}"\nmsgid "{_escape(source_text)}"\nmsgstr "{_escape(translation)}"\n\n')
            path = locales / language / "LC_MESSAGES" / "articles" / f"{slug}.po"
            path.write_text(_header(extra) + "".join(body), encoding="utf-8")
            if empty_mo:
                # Compiled catalogs are not what coverage measures: an empty .mo keeps the
                # app factory from compiling 20,000 catalogs at start.
                path.with_suffix(".mo").write_bytes(EMPTY_MO)
            catalogs.append(path)
    return catalogs


def open_tree(keep: Path | None, articles: int, prefix: str, text: str = "mixed") -> tuple[Path, list[Path]]:
    """Return a synthetic tree and its article catalogs: ``keep`` reused if it holds one, else generated.

    Without ``keep`` the tree goes to a new temporary folder, which the caller removes.
    """
    root = keep or Path(tempfile.mkdtemp(prefix=prefix))
    if keep and (root / "content").exists():
        catalogs = sorted((root / "locales").glob("*/LC_MESSAGES/articles/*.po"))
        print(f"reusing {len(catalogs)} catalogs in {root}")
        return root, catalogs
    began = time.perf_counter()
    catalogs = generate(root, articles, text=text)
    print(f"generated {articles} articles ({text} text), {len(catalogs)} catalogs in {time.perf_counter() - began:.1f} s ({root})")
    return root, catalogs
