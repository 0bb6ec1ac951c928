"""The language and markup checks' shortcuts give the answers of the slower ways they replaced."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from service.domain import language_guess as lg
from service.domain import markup
from service.domain.interface_text import Message
from service.domain.language_guess import LanguageGuess, detect_language, prose

#: Text built mostly from the characters the counting and the markup parser tell apart.
_TRICKY = st.lists(
    st.one_of(
        st.sampled_from(list("іїєґІЇЄҐыэъёЫЭЪЁиеяюбвтсьщ'’ʼ*_[]()<>`\\!&~:/ .,1\n")),
        st.sampled_from(["the ", "and ", "що ", "это ", "https://x.org ", "ее ", "тся ", "İ", "\u0483", "²"]),
        st.characters(),
    ),
    max_size=80,
).map("".join)


#: The spelling patterns as they were before the lookahead was added.
_OLD_RUSSIAN_SEQUENCE = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])и[еяю]|тся\b|ее\b|ющ(?:ий|ая|ее|ие|их)\b", re.IGNORECASE)
_OLD_UKRAINIAN_APOSTROPHE = re.compile(r"(?<=[бпвмфрБПВМФРк])['’ʼ](?=[єїюяЄЇЮЯ])")


def _old_detect_language(text: str, expected: str | None = None) -> LanguageGuess:
    """``detect_language`` as it was, counting with Python loops over every character: the oracle."""
    seen = prose(text)
    letters = [char for char in seen if char.isalpha()]
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    latin = sum(1 for char in letters if char.isascii())
    words = [word.lower() for word in lg.WORD.findall(seen)]
    if len(letters) < 2:
        return LanguageGuess(None, None, "no words")
    long_enough = len(letters) >= lg.LANGDETECT_MIN_LETTERS and len(words) >= lg.LANGDETECT_MIN_WORDS
    if cyrillic > len(letters) / 2:
        uk_clues = _old_clues(seen, words, set("іїєґІЇЄҐ"), _OLD_UKRAINIAN_APOSTROPHE, lg._UKRAINIAN_WORDS)
        ru_clues = _old_clues(seen, words, set("ыэъёЫЭЪЁ"), _OLD_RUSSIAN_SEQUENCE, lg._RUSSIAN_WORDS)
        uk_score, ru_score = sum(uk_clues.values()), sum(ru_clues.values())
        clear = uk_score > 2 * ru_score or ru_score > 2 * uk_score
        if long_enough and not clear and (uk_score or ru_score):
            detected = lg._langdetect(seen)
            if detected in ("uk", "ru"):
                return LanguageGuess(detected, "Cyrillic", "langdetect")
        if uk_score > ru_score:
            return LanguageGuess("uk", "Cyrillic", ", ".join(uk_clues))
        if ru_score > uk_score:
            return LanguageGuess("ru", "Cyrillic", ", ".join(ru_clues))
        return LanguageGuess(None, "Cyrillic", Message(lg.LETTERS_OF_SCRIPT["Cyrillic"]))
    if latin > len(letters) / 2:
        english = list(dict.fromkeys(word for word in words if word in lg._ENGLISH_WORDS))
        if long_enough and not (english and expected == "en"):
            detected = lg._langdetect(seen)
            if detected and (detected == "en" or not english):
                return LanguageGuess(detected, "Latin", "langdetect")
        if english:
            return LanguageGuess("en", "Latin", ", ".join(f"«{word}»" for word in english))
        return LanguageGuess(None, "Latin", Message(lg.LETTERS_OF_SCRIPT["Latin"]))
    return LanguageGuess(None, None, "neither Latin nor Cyrillic letters")


def _old_clues(seen: str, words: list[str], letters: set[str], spelling: re.Pattern[str],
               vocabulary: frozenset[str]) -> Counter[str]:
    clues: Counter[str] = Counter()
    for char in seen:
        if char in letters:
            clues[char.lower()] += 1
    shown: dict[str, str] = {}
    for match in spelling.finditer(seen):
        spelled = match.group(0).lower()
        if spelled not in shown:
            word = next((w for w in lg.WORD.findall(seen) if spelled in w.lower()), match.group(0))
            shown[spelled] = f"«{word}»"
        clues[shown[spelled]] += 1
    for word in words:
        if word in vocabulary:
            clues[f"«{word}»"] += 1
    return clues


@settings(max_examples=400, deadline=None)
@given(_TRICKY, st.sampled_from([None, "uk", "en"]))
@example("Їжак І ЇЖАК є ґанок ы Ё, ЫЭЪ ёлка", "uk")
@example("İİ abc", None)
@example("ab\u0483\u0483\u0483", None)
@example("İі тся", "uk")
@example("ab² Ⅻ cd", None)
@example("ПОЛЕ ЛИНИЯ ДЕЛАЕТСЯ К’ЯЗ", None)
@example("Поле тᲃя", None)
@example("Поле ᲀие", None)
def test_letters_are_counted_as_the_python_loops_counted_them(text, expected):
    assert detect_language(text, expected) == _old_detect_language(text, expected)


def _fully_parsed(text: str) -> markup.MarkupSummary:
    """Summarize ``text`` by the full parse, whatever characters it holds."""
    saved = markup._MARKUP_CHARACTER
    markup._MARKUP_CHARACTER = re.compile(r"(?s).|^$")  # matches every text: no shortcut
    try:
        return markup.summarize_markup.__wrapped__(text)
    finally:
        markup._MARKUP_CHARACTER = saved


@settings(max_examples=500, deadline=None)
@given(_TRICKY)
@example("a ](b) ![c] `d` <b> _e_ *f* **g** [h](https://x.org) \\* &amp; ~~i~~")
@example("plain text, (with) brackets! & \\ ~ but no markup")
@example("an _e_ word")
@example("a `d` span")
@example("a <b> tag")
@example("x](y")
@example("![c")
@example("[h](https://x.org)")
@example("*f*")
def test_the_markup_summary_without_parsing_is_the_full_parses(text):
    assert markup.summarize_markup.__wrapped__(text) == _fully_parsed(text)


def test_the_shortcut_is_taken_for_text_without_markup_characters():
    assert not markup._MARKUP_CHARACTER.search("plain text, (with) brackets! & \\ ~ but no markup")
    assert markup._MARKUP_CHARACTER.search("one *star")
