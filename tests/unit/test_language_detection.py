"""The language langdetect finds most probable, found with fewer random walks, is the one langdetect itself finds."""
from __future__ import annotations

import random
import subprocess
import sys

import polib
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from service.config import PROJECT_ROOT
from service.domain.language_detection import most_probable_language
from service.domain.language_guess import prose

WORDS = [
    "рада", "місто", "порт", "зерно", "трамвай", "бібліотека", "енергія", "лінія", "ринок", "уряд", "громада",
    "проєкт", "мости", "город", "это", "council", "city", "port", "grain", "tram", "library", "energy", "line",
    "market", "government", "community", "project", "the", "and", "rada", "miasto", "port", "zboże", "tramwaj",
    "biblioteka", "energia", "linia", "rynek", "rząd", "Stadt", "Hafen", "Getreide"
]


def _langdetect_itself(text: str) -> str | None:
    DetectorFactory.seed = 0
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return None
    return guesses[0].lang if guesses else None


def _committed_texts() -> list[str]:
    texts = []
    for path in sorted((PROJECT_ROOT / "locales").glob("*/LC_MESSAGES/**/*.po")):
        for entry in polib.pofile(str(path)):
            texts += [prose(entry.msgid), prose(entry.msgstr)]
    return [text for text in dict.fromkeys(texts) if len(text) >= 40][:150]


def test_the_answer_is_langdetects_on_the_committed_catalogs():
    texts = _committed_texts()
    assert len(texts) > 50
    assert [most_probable_language.__wrapped__(text) for text in texts] == [_langdetect_itself(text) for text in texts]


def test_the_answer_is_langdetects_on_text_mixing_languages():
    rng = random.Random(7)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 60))) for _ in range(120)]
    assert [most_probable_language.__wrapped__(text) for text in texts] == [_langdetect_itself(text) for text in texts]


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=120))
def test_the_answer_is_langdetects_on_any_text(text):
    assert most_probable_language.__wrapped__(text) == _langdetect_itself(text)


def test_the_profiles_are_out_of_the_collectors_sight_once_loaded():
    # A fresh process: the profiles (tens of thousands of lists) load on the first guess, then are frozen.
    script = ("import gc\nfrom service.domain.language_detection import most_probable_language\n"
              "before = gc.get_freeze_count()\nmost_probable_language('Рада міста ухвалила бюджет')\n"
              "print(before, gc.get_freeze_count())")
    output = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    before, after = int(output[0]), int(output[1])
    assert before == 0 and after > 50_000
