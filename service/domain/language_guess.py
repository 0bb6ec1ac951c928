"""Guess the language of a translation: Ukrainian, Russian and English told apart by their letters and words.

langdetect judges long text; short text, and the Cyrillic languages langdetect confuses, are told by
tell-tale letters, spellings and frequent words. Pure: no Flask, no files.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .format_strings import BRACE_FORMAT, PYTHON_FORMAT
from .interface_text import N_, Message
from .numbers import strip_urls

_UKRAINIAN_LETTERS = "іїєґ"
_RUSSIAN_LETTERS = "ыэъё"
#: Runs of the letters (``str.isalpha``) of the Cyrillic block, and of ASCII letters: the regex engine
#: finds a word's letters at once, and only their lengths are summed in Python.
_CYRILLIC_LETTERS = re.compile("[\u0400-\u0481\u048a-\u04ff]+")
_ASCII_LETTERS = re.compile("[A-Za-z]+")
#: Spellings Russian has and Ukrainian lacks: "и" before a vowel letter ("изменения", "линия"),
#: reflexive "-тся" (Ukrainian writes "-ться"), "-ее" ("далее", "более") and participles in "-ющий".
#: Case-blind (so that the old letter forms of Cyrillic Extended-C match, as lower-casing would not);
#: the lookahead skips at once the positions where none of the first three can start.
_RUSSIAN_SEQUENCE = re.compile(r"(?=[ите])(?:(?<=[бвгджзклмнпрстфхцчшщ])и[еяю]|тся\b|ее\b)|ющ(?:ий|ая|ее|ие|их)\b",
                               re.IGNORECASE)
#: An apostrophe inside a word is Ukrainian spelling ("з’єднає", "п’ять").
_UKRAINIAN_APOSTROPHE = re.compile(r"(?<=[бпвмфрБПВМФРк])['’ʼ](?=[єїюяЄЇЮЯ])")
#: Frequent words of one of the two languages that the other does not have.
_RUSSIAN_WORDS = frozenset(
    "и из от что это как или его её ее она они мы вы был была были будет нет сейчас здесь где когда "
    "только тоже также если чтобы который которая которые после между года лет поиск сохранить войти "
    "изменить удалить новости статья статьи страница настройки пользователь против очень сегодня вчера еще "
    "время можно нужно война четверг главная вход".split()
)
_UKRAINIAN_WORDS = frozenset(
    "і й та що це як або він вона вони ми ви був була були буде немає зараз тут де коли лише також якщо "
    "щоб який яка які після між року років пошук зберегти увійти змінити видалити новини стаття статті "
    "сторінка налаштування користувач".split()
)
#: English words that the other languages written in Latin letters do not have ("was", "will", "of" are
#: German or Dutch words too): a text with one is English even where langdetect, misled by names, says not.
_ENGLISH_WORDS = frozenset("the and with which that this from have has been their they".split())
_APOSTROPHES = "'’ʼ"
#: A word: letters, joined by apostrophes ("п’ять", "don't").
WORD = re.compile(f"[^\\W\\d_]+(?:[{_APOSTROPHES}][^\\W\\d_]+)*")
#: langdetect judges only text at least this long (shorter text is too little to go on).
LANGDETECT_MIN_LETTERS = 40
LANGDETECT_MIN_WORDS = 6
#: The evidence of a text told by its script alone, by script.
LETTERS_OF_SCRIPT = {"Cyrillic": N_("Cyrillic letters"), "Latin": N_("Latin letters")}
#: Anything tag-like, or a markup character; a tag stops at the next ``<`` so ``<<<…`` is read in linear time.
_HTML_TAG_OR_MARKER = re.compile(r"<[^<>]*>|[*\[\]]")


@dataclass(frozen=True)
class LanguageGuess:
    """The language a text appears to be in (``None`` when it cannot be told) and the evidence."""

    language: str | None
    script: str | None  # "Cyrillic", "Latin" or None
    evidence: str


def prose(text: str) -> str:
    """Return ``text`` without URLs, placeholders and markup characters: only what the language shows in."""
    text = strip_urls(text)
    text = PYTHON_FORMAT.sub(" ", text)
    text = BRACE_FORMAT.sub(" ", text)
    return _HTML_TAG_OR_MARKER.sub(" ", text)


def _langdetect(text: str) -> str | None:
    """Return langdetect's language for ``text``, deterministic (seeded); ``None`` if it cannot say."""
    # Imported when first asked: langdetect reads its profiles then.
    from .language_detection import most_probable_language

    return most_probable_language(text)


def detect_language(text: str, expected: str | None = None) -> LanguageGuess:
    """Guess the language of ``text``: from tell-tale letters and words, with langdetect on long text.

    ``expected``: the language the text should be in. Where the letters and words already tell
    that language, so that langdetect's answer could change no more than the evidence shown
    (English words in Latin text make it English whatever langdetect says), langdetect is not
    asked: it is most of a check's time.
    """
    seen = prose(text)
    written = WORD.findall(seen)
    # Every letter of ``seen`` is in a word: the letters are counted in the words, apostrophes left out
    # (but "ʼ", a modifier letter, is a letter).
    in_words = "".join(written).replace("'", "").replace("’", "")
    # A word may hold a numeral that is no digit ("²", "Ⅻ"): then the letters are counted one by one.
    letters = len(in_words) if in_words.isalpha() else sum(map(str.isalpha, in_words))
    if letters < 2:
        return LanguageGuess(None, None, "no words")
    words = [word.lower() for word in written]
    long_enough = letters >= LANGDETECT_MIN_LETTERS and len(words) >= LANGDETECT_MIN_WORDS
    if sum(map(len, _CYRILLIC_LETTERS.findall(in_words))) > letters / 2:
        folded = seen.lower()
        uk_clues = _clues(seen, folded, written, words, _UKRAINIAN_LETTERS, _UKRAINIAN_APOSTROPHE, _UKRAINIAN_WORDS)
        ru_clues = _clues(seen, folded, written, words, _RUSSIAN_LETTERS, _RUSSIAN_SEQUENCE, _RUSSIAN_WORDS)
        uk_score, ru_score = sum(uk_clues.values()), sum(ru_clues.values())
        clear = uk_score > 2 * ru_score or ru_score > 2 * uk_score
        if long_enough and not clear and (uk_score or ru_score):
            # Tell-tale letters of both languages in a long text: langdetect has enough to go on.
            # (Without any, it is no judge: it takes Ukrainian without і/ї/є for Russian,
            # Bulgarian or Macedonian, so the text gets the benefit of the doubt.)
            detected = _langdetect(seen)
            if detected in ("uk", "ru"):
                return LanguageGuess(detected, "Cyrillic", "langdetect")
        if uk_score > ru_score:
            return LanguageGuess("uk", "Cyrillic", ", ".join(uk_clues))
        if ru_score > uk_score:
            return LanguageGuess("ru", "Cyrillic", ", ".join(ru_clues))
        return LanguageGuess(None, "Cyrillic", Message(LETTERS_OF_SCRIPT["Cyrillic"]))
    if sum(map(len, _ASCII_LETTERS.findall(in_words))) > letters / 2:
        english = list(dict.fromkeys(word for word in words if word in _ENGLISH_WORDS))
        if long_enough and not (english and expected == "en"):
            detected = _langdetect(seen)
            if detected and (detected == "en" or not english):
                return LanguageGuess(detected, "Latin", "langdetect")
        if english:
            return LanguageGuess("en", "Latin", ", ".join(f"«{word}»" for word in english))
        return LanguageGuess(None, "Latin", Message(LETTERS_OF_SCRIPT["Latin"]))
    return LanguageGuess(None, None, "neither Latin nor Cyrillic letters")


def _clues(seen: str, folded: str, written: list[str], words: list[str], letters: str,
           spelling: re.Pattern[str], vocabulary: frozenset[str]) -> Counter[str]:
    """Count the tell-tale letters, spellings and words of one language in ``seen``, keyed by what was seen.

    ``folded``: ``seen`` in lower case; ``written``: the words of
    ``seen`` as written; ``words``: the same in lower case.
    ``letters``: the tell-tale letters in lower case; capitals count too. Letters come first, in
    the order they first occur in ``seen``.
    """
    clues: Counter[str] = Counter()
    found = [(folded.find(letter), letter) for letter in letters]
    for _position, letter in sorted(item for item in found if item[0] >= 0):
        clues[letter] = folded.count(letter)
    shown: dict[str, str] = {}  # each spelling's clue (its first word), made once: a long text repeats a few
    for match in spelling.finditer(seen):
        spelled = match.group(0).lower()
        if spelled not in shown:
            word = next((w for w in written if spelled in w.lower()), spelled)
            shown[spelled] = f"«{word}»"
        clues[shown[spelled]] += 1
    for word in words:
        if word in vocabulary:
            clues[f"«{word}»"] += 1
    return clues
