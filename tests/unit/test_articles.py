from __future__ import annotations

from datetime import timedelta

import pytest

from service.domain.articles import SourceError, parse_article

LANGUAGES = ["uk", "en"]
GOOD = """+++
title = "Заголовок статті"
category = "politics"
published = 2026-11-20T09:15:00+02:00
source_language = "uk"
summary = "Короткий підсумок."
points = [
  "Перший пункт.",
  "Другий пункт.",
]
image_credit = "Фото: редакція"
+++

Перший абзац,
що займає два рядки.

## Підзаголовок

Другий абзац з *наголосом*, **жирним** і [посиланням](https://example.org/a).

- пункт один
- пункт два
"""


def parse(text: str):
    return parse_article("content/sample.md", text, LANGUAGES)


def test_source_splits_into_segments_by_role_in_reading_order():
    article = parse(GOOD)
    assert [(s.role, s.text, s.line) for s in article.segments] == [
        ("title", "Заголовок статті", 2),
        ("summary", "Короткий підсумок.", 6),
        ("point", "Перший пункт.", 8),
        ("point", "Другий пункт.", 9),
        ("paragraph", "Перший абзац, що займає два рядки.", 14),
        ("heading", "Підзаголовок", 17),
        ("paragraph", "Другий абзац з *наголосом*, **жирним** і [посиланням](https://example.org/a).", 19),
        ("item", "пункт один", 21),
        ("item", "пункт два", 22),
    ]
    assert [block.kind for block in article.body] == ["paragraph", "heading", "paragraph", "list"]
    assert article.published.utcoffset() == timedelta(hours=2)
    assert article.slug == "sample"
    assert [s.label for s in article.points] == ["point of attention 1", "point of attention 2"]


def test_word_count_leaves_markup_out():
    article = parse(GOOD)
    assert article.word_count() == 2 + 2 + 2 + 2 + 6 + 1 + 7 + 2 + 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Просто текст без front matter\n", 1, "must start with a '+++'"),
        ("+++\ntitle = \"x\"\n", 1, "never closed"),
        ("+++\ntitle = \"x\ncategory = \"politics\"\n+++\n\nТекст.\n", 2, "not valid TOML"),
        (GOOD.replace('source_language = "uk"', 'source_language = "pl"'), 5, "source_language 'pl'"),
        (GOOD.replace('category = "politics"', 'category = "gossip"'), 3, "unknown category 'gossip'"),
        (GOOD.replace("2026-11-20T09:15:00+02:00", "2026-11-20T09:15:00"), 4, "needs a UTC offset"),
        (GOOD.replace('published = 2026-11-20T09:15:00+02:00', 'published = "yesterday"'), 4, "not an ISO-8601"),
        (GOOD.replace('title = "Заголовок статті"\n', ""), 1, "no 'title'"),
        (GOOD.replace('image_credit', 'image_credits'), 11, "unknown front-matter key"),
        (GOOD + "\n### Третій рівень\n", 24, "only '## ' subheadings"),
        (GOOD + "\n1. нумерований\n", 24, "numbered lists"),
        (GOOD + "\n> цитата\n", 24, "block quotes"),
        (GOOD + "\nТекст із <b>HTML</b>.\n", 24, "HTML is not allowed"),
        (GOOD + "\nПосилання [http](http://example.org).\n", 24, "links must be"),
        (GOOD + "\nКод `x = 1`.\n", 24, "code spans"),
        (GOOD + "\nКартинка ![alt](https://example.org/a.png).\n", 24, "images"),
        (GOOD + "\nНепарна *зірочка.\n", 24, "unbalanced emphasis"),
        (GOOD + "\nАвтопосилання <https://example.org>.\n", 24, "not <…>"),
        (GOOD + "\nТекст ~~закреслений~~.\n", 24, "strikethrough"),
        (GOOD.replace("## Підзаголовок", "##Підзаголовок"), 17, "needs a space"),
    ],
)
def test_bad_source_is_refused_with_file_and_line(text, line, message):
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert caught.value.line == line, str(caught.value)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"content/sample.md:{line}: ")


def test_file_name_must_be_a_slug():
    with pytest.raises(SourceError, match="not a slug"):
        parse_article("content/Bad Name.md", GOOD, LANGUAGES)
